import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, Ref } from '../../../platform/http/schemas.js'
import { JobStarted, runJobNow, type WithJobs } from '../../../platform/jobs/index.js'
import { MemberTier, TierSetup } from '../api-schemas.js'
import { saveTierSetup, tierOf, tierSetup } from '../tiers.js'
import { admins, managers, me, staffOrTill } from './access.js'

/** Tiers: the ladder and score policy, each member's place on it, and the re-score. */
export const tierRoutes: FastifyPluginAsyncTypebox<Deps & WithJobs> = async (app, { jobs, ...deps }) => {
  app.get(
    '/tiers',
    {
      config: { access: { member: true as const, staff: 'associate' as const } },
      schema: { tags: ['rewards'], summary: 'The tiers and how the relationship score is made', response: { 200: Ref(TierSetup) } },
    },
    async () => tierSetup(deps.db),
  )
  app.put(
    '/tiers',
    {
      config: admins,
      schema: { tags: ['rewards'], summary: 'Replace the tiers and the score policy (audited)', body: TierSetup, response: { 200: Ref(TierSetup) } },
    },
    async (request) => saveTierSetup(deps, request.body, callerOf(request)),
  )
  app.post(
    '/tiers/evaluate',
    {
      config: managers,
      schema: {
        tags: ['rewards'],
        summary: 'Queue a re-score of every member now (the server does it nightly): up at once, down after the grace period',
        description: 'Queues the tier-review job, as its schedule does: 202 with the run to follow (GET /v1/jobs/runs/{runId}).',
        response: { 202: JobStarted },
      },
    },
    async (request, reply) => reply.code(202).send(await runJobNow(deps, jobs, 'tier-review', callerOf(request))),
  )
  app.get(
    '/me/tier',
    { config: me, schema: { tags: ['rewards'], summary: 'My tier, score, the next tier and my tier history', response: { 200: Ref(MemberTier) } } },
    async (request) => tierOf(deps.db, myMemberId(request)),
  )
  app.get(
    '/members/:id/tier',
    { config: staffOrTill, schema: { tags: ['rewards'], summary: 'A member’s tier and score', params: IdParams, response: { 200: Ref(MemberTier) } } },
    async (request) => tierOf(deps.db, request.params.id),
  )
}
