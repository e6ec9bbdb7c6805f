import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from 'typebox'
import { callerOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, Ref } from '../../../platform/http/schemas.js'
import { Reward, RewardInput } from '../api-schemas.js'
import { listRewards, saveReward } from '../redeem.js'
import { admins } from './access.js'

type RewardRow = Awaited<ReturnType<typeof listRewards>>[number]
const rewardOut = (r: RewardRow) => ({
  ...r,
  active: r.active === 'yes',
  validFrom: r.validFrom?.toISOString() ?? null,
  validUntil: r.validUntil?.toISOString() ?? null,
})
const stored = (input: Static<typeof RewardInput>) => ({
  ...input,
  active: input.active === false ? ('no' as const) : ('yes' as const),
  validFrom: input.validFrom ? new Date(input.validFrom) : null,
  validUntil: input.validUntil ? new Date(input.validUntil) : null,
})

/** The rewards catalogue: members and tills see what is on offer, admins change it. */
export const catalogueRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/rewards',
    {
      config: { access: { member: true as const, staff: 'associate' as const, scopes: ['rewards:redeem'] } },
      schema: { tags: ['rewards'], summary: 'The rewards catalogue', response: { 200: Type.Object({ items: Type.Array(Ref(Reward)) }) } },
    },
    // Staff see retired rewards too, to bring them back.
    async (request) => ({ items: (await listRewards(deps.db, { activeOnly: callerOf(request).kind !== 'staff', now: deps.clock.now() })).map(rewardOut) }),
  )
  app.post(
    '/rewards',
    {
      config: admins,
      schema: { tags: ['rewards'], summary: 'Add a reward to the catalogue (audited)', body: RewardInput, response: { 201: Ref(Reward) } },
    },
    async (request, reply) => reply.code(201).send(rewardOut(await saveReward(deps, stored(request.body), callerOf(request)))),
  )
  app.put(
    '/rewards/:id',
    {
      config: admins,
      schema: { tags: ['rewards'], summary: 'Change a reward (audited)', params: IdParams, body: RewardInput, response: { 200: Ref(Reward) } },
    },
    async (request) => rewardOut(await saveReward(deps, { ...stored(request.body), id: request.params.id }, callerOf(request))),
  )
}
