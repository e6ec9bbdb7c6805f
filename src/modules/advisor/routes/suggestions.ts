import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { JobStarted, runJobNow, type WithJobs } from '../../../platform/jobs/index.js'
import { IdentifierKindSchema } from '../../members/index.js'
import { Digest, MemberSuggestions, Suggestion, Suggestions } from '../api-schemas.js'
import { adviceFor, checkoutSuggestions, recordStaffFeedback, weeklyDigest } from '../digest.js'
import { recordFeedback, suggestionsFor } from '../suggestions.js'
import { admins, Feedback, member, staff, tills } from './access.js'

const K = Type.Object({ k: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, default: 5 })) })

/** Suggestions with their reasons: for the member, the associate, the till and the weekly digest. */
export const suggestionRoutes: FastifyPluginAsyncTypebox<Deps & WithJobs> = async (app, { jobs, ...deps }) => {
  app.get(
    '/me/suggestions',
    { config: member, schema: { tags: ['advisor'], summary: 'Suggestions for me, each with why', querystring: K, response: { 200: Suggestions } } },
    async (request) => ({ items: await suggestionsFor(deps, myMemberId(request), { k: request.query.k }) }),
  )
  app.post(
    '/me/suggestions/feedback',
    { config: member, schema: { tags: ['advisor'], summary: 'Tell us what you did with a suggestion', body: Feedback, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await recordFeedback(deps, myMemberId(request), { ...request.body, surface: 'home' }, callerOf(request))
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/members/:id/suggestions',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Suggestions for a member with talking points, for the associate in front of them',
        params: IdParams,
        querystring: K,
        response: { 200: MemberSuggestions },
      },
    },
    async (request) => adviceFor(deps, request.params.id, request.query.k),
  )
  app.post(
    '/members/:id/suggestions/feedback',
    {
      config: tills,
      schema: {
        tags: ['advisor'],
        summary: 'Record what a member did with a suggestion at the till or in the console',
        params: IdParams,
        body: Feedback,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await recordStaffFeedback(deps, request.params.id, request.body, callerOf(request))
      return reply.code(204).send(null)
    },
  )
  app.post(
    '/checkout/suggestions',
    {
      config: tills,
      schema: {
        tags: ['advisor'],
        summary: 'Suggest at checkout: the till sends the card and the basket, and gets what to offer (nothing already in the basket)',
        body: Type.Object(
          {
            member: Type.Object({ kind: IdentifierKindSchema, value: Text({ minLength: 1, maxLength: 320 }) }, { additionalProperties: false }),
            basket: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 100 }), { maxItems: 500 })),
            k: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ memberId: Id, items: Type.Array(Ref(Suggestion)) }) },
      },
    },
    async (request) => checkoutSuggestions(deps, request.body),
  )
  app.get(
    '/members/:id/digest',
    {
      config: tills,
      schema: {
        tags: ['advisor'],
        summary: 'The weekly digest for e-mail or the app: suggestions with reasons, points and tier',
        params: IdParams,
        response: { 200: Digest },
      },
    },
    async (request) => weeklyDigest(deps, request.params.id),
  )
  app.post(
    '/advisor/train',
    {
      config: admins,
      schema: {
        tags: ['advisor'],
        summary: 'Queue a retraining of suggestions on all purchase history now (the server does this nightly)',
        description: 'Queues the suggestions-training job, as its schedule does: 202 with the run to follow.',
        response: { 202: JobStarted },
      },
    },
    async (request, reply) => reply.code(202).send(await runJobNow(deps, jobs, 'suggestions-training', callerOf(request))),
  )
}
