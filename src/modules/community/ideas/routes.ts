import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId, staffOf } from '../../../platform/auth/caller.js'
import type { Principal } from '../../../platform/auth/principal.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, Query, Ref, Text } from '../../../platform/http/schemas.js'
import { categoriesBoughtBy, storeRegions, storesOfMember } from '../../activity/index.js'
import {
  Counts,
  DemandRecorded,
  IdeaMerged,
  IdeaPage,
  IdeaPlaces,
  IdeaScope,
  IdeaStatus,
  IdeaSummary,
  IdeasBoard,
  LinkProducts,
  MergeIdea,
  MyVotes,
  NewComment,
  NewIdea,
  Pledge,
  StatusChange,
  StatusChanged,
  VoteResult,
  Voters,
  WouldBuy,
} from './api-schemas.js'
import { commentOn, createIdea, followIdea, type IdeaRow, ideaPlaces, ideasBoard, ideasNear, unfollowIdea, visibleIdea } from './ideas.js'
import { cancelDemand, recordDemand } from './ladder.js'
import { getIdeaSettings, IdeaSettings, saveIdeaSettings } from './settings.js'
import { changeStatus, linkProducts, mergeIdeas } from './status.js'
import { ideaPage, ideaSummary, presentIdeas, storeNameOf } from './views.js'
import { budgetOf, castVote, votersOf, votesOf, withdrawVote } from './votes.js'

const IdeaParams = Type.Object({ ideaId: Id })
const Empty = { 204: Type.Null() }
const BoardQuery = Query({
  sort: Type.Optional(Type.Union([Type.Literal('support'), Type.Literal('newest'), Type.Literal('status')], { default: 'support' })),
  status: Type.Optional(IdeaStatus),
  scope: Type.Optional(IdeaScope),
  storeId: Type.Optional(Id),
  region: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
  category: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
  mine: Type.Optional(
    Type.Union([Type.Literal('voted'), Type.Literal('following'), Type.Literal('shared')], {
      description: 'Members: only ideas I voted for, follow, or shared',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
})

/** Ideas: members share, vote, follow, comment and climb the ladder; staff answer, link products and merge duplicates. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  for (const schema of [IdeaSummary, IdeasBoard, IdeaPage, MyVotes, IdeaSettings]) app.addSchema(schema)
  const tags = ['ideas']
  const readers = { access: { member: true as const, staff: 'associate' as const } }
  const members = { access: { member: true as const } }
  const staff = { access: { staff: 'associate' as const } }
  const done = <T>(reply: { code(n: number): { send(v: null): T } }) => reply.code(204).send(null)
  const idea = (request: { params: { ideaId: string }; principal?: Principal }) => visibleIdea(deps.db, request.params.ideaId, callerOf(request))
  const summary = async (request: { principal?: Principal }, row: IdeaRow) =>
    ideaSummary(row, { myVote: false, following: false }, storeNameOf(await storeRegions(deps.db), row), callerOf(request))

  app.get(
    '/ideas',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The ideas board: by weighted support, newest or status; members can keep to ideas they voted for',
        querystring: BoardQuery,
        response: { 200: Ref(IdeasBoard) },
      },
    },
    async (request) => {
      const caller = callerOf(request)
      const page = await ideasBoard(deps.db, caller, request.query)
      return {
        ideas: page.ideas.map(({ idea, storeName, myVote, following }) => ideaSummary(idea, { myVote, following }, storeName, caller)),
        nextOffset: page.more ? (request.query.offset ?? 0) + (request.query.limit ?? 20) : null,
      }
    },
  )
  app.post(
    '/ideas',
    {
      config: members,
      schema: {
        tags,
        summary: 'Share an idea: a product, a range change or a store service, for the whole shop, a region, a store or a category',
        body: NewIdea,
        response: { 201: Ref(IdeaPage) },
      },
    },
    async (request, reply) => {
      const id = await createIdea(deps, myMemberId(request), request.body)
      return reply.code(201).send(await ideaPage(deps.db, await getIdeaSettings(deps.db), await visibleIdea(deps.db, id, callerOf(request)), callerOf(request)))
    },
  )
  app.get(
    '/ideas/places',
    {
      config: readers,
      schema: { tags, summary: 'What an idea can be for: stores with their regions, regions, and the catalogue’s categories', response: { 200: IdeaPlaces } },
    },
    async () => ideaPlaces(deps.db),
  )
  app.get(
    '/ideas/settings',
    {
      config: staff,
      schema: {
        tags,
        summary: 'How votes weigh, vote budgets, the ladder’s thresholds per scope, and the loop’s N days',
        response: { 200: Ref(IdeaSettings) },
      },
    },
    async () => getIdeaSettings(deps.db),
  )
  app.put(
    '/ideas/settings',
    {
      config: { access: { staff: 'admin' as const } },
      schema: {
        tags,
        summary: 'Change the idea settings (audited); votes already cast keep their weight',
        body: Ref(IdeaSettings),
        response: { 200: Ref(IdeaSettings) },
      },
    },
    async (request) => saveIdeaSettings(deps, request.body, staffOf(request)),
  )
  app.get(
    '/ideas/:ideaId',
    {
      config: readers,
      schema: {
        tags,
        summary: 'An idea’s page: the weight formula in words, the ladder, demand, history, products and comments',
        params: IdeaParams,
        response: { 200: Ref(IdeaPage) },
      },
    },
    async (request) => ideaPage(deps.db, await getIdeaSettings(deps.db), await idea(request), callerOf(request)),
  )
  app.put(
    '/ideas/:ideaId/vote',
    {
      config: members,
      schema: {
        tags,
        summary: 'Vote for an idea (one vote per person, weighted by your relationship; it spends one of this period’s votes)',
        params: IdeaParams,
        response: { 200: VoteResult },
      },
    },
    async (request) => castVote(deps, myMemberId(request), request.params.ideaId),
  )
  app.delete(
    '/ideas/:ideaId/vote',
    { config: members, schema: { tags, summary: 'Take my vote back (the vote returns to my budget)', params: IdeaParams, response: { 200: Counts } } },
    async (request) => withdrawVote(deps, myMemberId(request), request.params.ideaId),
  )
  app.put(
    '/ideas/:ideaId/follow',
    { config: members, schema: { tags, summary: 'Follow an idea: hear of each status change', params: IdeaParams, response: Empty } },
    async (request, reply) => {
      await followIdea(deps, myMemberId(request), await idea(request))
      return done(reply)
    },
  )
  app.delete(
    '/ideas/:ideaId/follow',
    { config: members, schema: { tags, summary: 'Stop following an idea', params: IdeaParams, response: Empty } },
    async (request, reply) => {
      await unfollowIdea(deps.db, myMemberId(request), (await idea(request)).id)
      return done(reply)
    },
  )
  app.post(
    '/ideas/:ideaId/comments',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Comment on an idea; a staff comment answers it',
        params: IdeaParams,
        body: NewComment,
        response: { 201: Type.Object({ id: Id }) },
      },
    },
    async (request, reply) => {
      const comment = await commentOn(deps, callerOf(request), await idea(request), request.body.body)
      return reply.code(201).send({ id: comment.id })
    },
  )
  for (const [path, kind, body] of [
    ['would-buy', 'would_buy', WouldBuy],
    ['pledge', 'pledge', Pledge],
  ] as const) {
    app.put(
      `/ideas/:ideaId/${path}`,
      {
        config: members,
        schema: {
          tags,
          summary:
            kind === 'would_buy'
              ? '“I’d buy it”: the price I would pay and my size, once the idea has the support'
              : 'Pre-order intent: how many I would buy (no payment is taken; cancel any time)',
          params: IdeaParams,
          body,
          response: { 200: DemandRecorded },
        },
      },
      async (request) => {
        const row = await recordDemand(deps, await getIdeaSettings(deps.db), myMemberId(request), await idea(request), kind, request.body)
        return { kind, priceMinor: row.priceMinor, currency: row.currency, size: row.size, quantity: row.quantity, recordedAt: row.recordedAt.toISOString() }
      },
    )
    app.delete(
      `/ideas/:ideaId/${path}`,
      {
        config: members,
        schema: { tags, summary: kind === 'would_buy' ? 'Take back my “I’d buy it”' : 'Cancel my pledge', params: IdeaParams, response: Empty },
      },
      async (request, reply) => {
        await cancelDemand(deps, myMemberId(request), (await idea(request)).id, kind)
        return done(reply)
      },
    )
  }
  app.post(
    '/ideas/:ideaId/status',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Answer an idea: under review, planned, in stock now (with its products) or declined with a reason; voters and followers are told',
        params: IdeaParams,
        body: StatusChange,
        response: { 200: StatusChanged },
      },
    },
    async (request) => {
      const changed = await changeStatus(deps, staffOf(request), await idea(request), request.body)
      return { idea: await summary(request, changed.idea), notified: changed.notified.length }
    },
  )
  app.post(
    '/ideas/:ideaId/products',
    { config: staff, schema: { tags, summary: 'Link the products that answered an idea', params: IdeaParams, body: LinkProducts, response: Empty } },
    async (request, reply) => {
      await linkProducts(deps, staffOf(request), await idea(request), request.body.skus)
      return done(reply)
    },
  )
  app.post(
    '/ideas/:ideaId/merge',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Merge a duplicate idea into the one it repeats: votes carry over, a person who voted for both counts once',
        params: IdeaParams,
        body: MergeIdea,
        response: { 200: IdeaMerged },
      },
    },
    async (request) => {
      const caller = callerOf(request)
      const merged = await mergeIdeas(deps, staffOf(request), await idea(request), await visibleIdea(deps.db, request.body.into, caller))
      return { idea: await summary(request, merged.idea), carriedVotes: merged.carriedVotes }
    },
  )
  app.get(
    '/ideas/:ideaId/voters',
    { config: staff, schema: { tags, summary: 'Who voted, with each vote’s weight (staff only)', params: IdeaParams, response: { 200: Voters } } },
    async (request) => ({ voters: await votersOf(deps.db, (await idea(request)).id) }),
  )
  app.get(
    '/me/ideas/votes',
    { config: members, schema: { tags, summary: 'My votes and how many I have left this period', response: { 200: Ref(MyVotes) } } },
    async (request) => {
      const memberId = myMemberId(request)
      const [budget, votes] = await Promise.all([budgetOf(deps, memberId), votesOf(deps.db, memberId)])
      return {
        budget,
        votes: votes.map((v) => ({ ...v, weight: v.weight / 100, castAt: v.castAt.toISOString(), returnedAt: v.returnedAt?.toISOString() ?? null })),
      }
    },
  )
  app.get(
    '/me/ideas/near',
    {
      config: members,
      schema: {
        tags,
        summary: 'Open ideas near me: my stores’, their regions’, the categories I buy in, and the whole shop’s',
        response: { 200: Type.Object({ ideas: Type.Array(Ref(IdeaSummary)) }) },
      },
    },
    async (request) => {
      const caller = callerOf(request)
      const memberId = myMemberId(request)
      const near = await ideasNear(deps.db, caller, await storesOfMember(deps.db, memberId), await categoriesBoughtBy(deps.db, memberId))
      return { ideas: await presentIdeas(deps.db, near, caller) }
    },
  )
}
