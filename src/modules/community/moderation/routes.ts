import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { myMemberId, staffOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, Ref } from '../../../platform/http/schemas.js'
import {
  Ban,
  ContentKind,
  Decided,
  Decision,
  ModerationQueue,
  NewBan,
  NewReport,
  NewWordFilter,
  Report,
  Settings,
  WordFilter,
  WordFilters,
} from './api-schemas.js'
import { banMember, decide, liftBan, reportContent } from './decisions.js'
import { moderationQueue } from './queue.js'
import { addWordFilter, moderationSettings, removeWordFilter, setModerationSettings, wordFilters } from './settings.js'

const ItemParams = Type.Object({ kind: ContentKind, contentId: Id })

/** Reports (members), the queue, decisions and bans (staff, in their stores' scope), filters and settings (admins). */
export const moderationRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(ModerationQueue)
  const member = { access: { member: true as const } }
  const staff = { access: { staff: 'associate' as const } }
  const admin = { access: { staff: 'admin' as const } }
  const tags = ['moderation']

  app.post(
    '/community/reports',
    {
      config: member,
      schema: {
        tags,
        summary: 'Report a post to the moderators (once per post: reporting again answers the first report)',
        body: NewReport,
        response: { 200: Report, 201: Report },
      },
    },
    async (request, reply) => {
      const { created, ...report } = await reportContent(deps, myMemberId(request), request.body)
      return reply.code(created ? 201 : 200).send(report)
    },
  )
  app.get(
    '/moderation/queue',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Held and reported posts in my stores’ scope (admins: all), oldest first',
        querystring: Type.Object(
          {
            show: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('held'), Type.Literal('reported')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Ref(ModerationQueue) },
      },
    },
    async (request) => moderationQueue(deps, staffOf(request), request.query),
  )
  for (const decision of ['hide', 'restore', 'dismiss'] as const) {
    app.post(
      `/moderation/items/:kind/:contentId/${decision}`,
      {
        config: staff,
        schema: {
          tags,
          summary: {
            hide: 'Hide a post (its author is told)',
            restore: 'Restore a hidden post, or publish a held one',
            dismiss: 'Dismiss the reports on a post and keep it',
          }[decision],
          params: ItemParams,
          body: Decision,
          response: { 200: Decided },
        },
        // The reason is optional, and so is the body that carries it.
        preValidation: async (request) => {
          request.body ??= {}
        },
      },
      async (request) => decide(deps, staffOf(request), { ...request.params, decision, reason: request.body?.reason ?? null, requestId: request.id }),
    )
  }
  app.post(
    '/moderation/bans',
    {
      config: staff,
      schema: { tags, summary: 'Stop a member posting (staff held to stores: about their own store only)', body: NewBan, response: { 201: Ban } },
    },
    async (request, reply) => reply.code(201).send(await banMember(deps, staffOf(request), { ...request.body, requestId: request.id })),
  )
  app.delete(
    '/moderation/bans/:memberId/:banId',
    { config: staff, schema: { tags, summary: 'Lift a ban', params: Type.Object({ memberId: Id, banId: Id }), response: { 204: Type.Null() } } },
    async (request, reply) => {
      await liftBan(deps, staffOf(request), { ...request.params, requestId: request.id })
      return reply.code(204).send(null)
    },
  )
  app.get('/moderation/filters', { config: admin, schema: { tags, summary: 'The word filters', response: { 200: WordFilters } } }, async () =>
    wordFilters(deps),
  )
  app.post(
    '/moderation/filters',
    { config: admin, schema: { tags, summary: 'Add a word or phrase to the filters', body: NewWordFilter, response: { 201: WordFilter } } },
    async (request, reply) => reply.code(201).send(await addWordFilter(deps, staffOf(request), { ...request.body, requestId: request.id })),
  )
  app.delete(
    '/moderation/filters/:filterId',
    { config: admin, schema: { tags, summary: 'Remove a word filter', params: Type.Object({ filterId: Id }), response: { 204: Type.Null() } } },
    async (request, reply) => {
      await removeWordFilter(deps, staffOf(request), request.params.filterId, request.id)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/moderation/settings',
    { config: admin, schema: { tags, summary: 'First posts held and the posting rate limit', response: { 200: Settings } } },
    async () => moderationSettings(deps.db),
  )
  app.put(
    '/moderation/settings',
    { config: admin, schema: { tags, summary: 'Change first posts held and the posting rate limit', body: Settings, response: { 200: Settings } } },
    async (request) => setModerationSettings(deps, staffOf(request), request.body, request.id),
  )
}
