import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { myMemberId, staffOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, Ref } from '../../../platform/http/schemas.js'
import { Answer, MyPoll, NearbyPolls, NewPoll, NextPair, PairChoice, Poll, PollList, PollResults, Review, SuggestedOption, Suggestion } from './api-schemas.js'
import { choosePair, nextPair, reviewOption, suggestOption } from './pairwise.js'
import { pollResults } from './results.js'
import { answerPoll, closePoll, createPoll, listPolls, pollFor, pollForMember, pollsNearMe } from './service.js'

const PollParams = Type.Object({ pollId: Id })
const OptionParams = Type.Object({ pollId: Id, optionId: Id })

/** Polls: staff write and read results (managers run them, associates read them); members answer the ones near them. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  for (const schema of [Poll, PollResults]) app.addSchema(schema)
  const tags = ['polls']
  const me = { access: { member: true as const } }
  const managers = { access: { staff: 'manager' as const } }
  const readers = { access: { staff: 'associate' as const, scopes: ['insights:read'] } }
  const now = () => deps.clock.now()

  app.get('/polls', { config: readers, schema: { tags, summary: 'Every poll, newest first, with its voices', response: { 200: PollList } } }, async () => ({
    items: await listPolls(deps.db, now()),
  }))
  app.post(
    '/polls',
    {
      config: managers,
      schema: { tags, summary: 'Start a poll or a pairwise survey for everyone, a region, a store or a category', body: NewPoll, response: { 201: Ref(Poll) } },
    },
    async (request, reply) => reply.code(201).send(await createPoll(deps, request.body, staffOf(request).userId)),
  )
  app.get(
    '/polls/:pollId',
    {
      config: readers,
      schema: { tags, summary: 'A poll with all its options, suggestions awaiting review among them', params: PollParams, response: { 200: Ref(Poll) } },
    },
    async (request) => pollFor(deps.db, request.params.pollId, now()),
  )
  app.get(
    '/polls/:pollId/results',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Results: each option’s score with its 95% interval, overall, by member segment and by store',
        params: PollParams,
        response: { 200: Ref(PollResults) },
      },
    },
    async (request) => pollResults(deps.db, request.params.pollId, now()),
  )
  app.post(
    '/polls/:pollId/close',
    { config: managers, schema: { tags, summary: 'End a poll now; its results stay', params: PollParams, response: { 200: Ref(Poll) } } },
    async (request) => closePoll(deps, request.params.pollId),
  )
  app.post(
    '/polls/:pollId/options/:optionId/review',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Publish a member’s suggested option (it enters the pairs) or decline it',
        params: OptionParams,
        body: Review,
        response: { 200: SuggestedOption },
      },
    },
    async (request) => reviewOption(deps.db, request.params.pollId, request.params.optionId, request.body.decision),
  )

  app.get(
    '/me/polls',
    { config: me, schema: { tags, summary: 'Open polls near me: for everyone, my region, my store, the categories I buy in', response: { 200: NearbyPolls } } },
    async (request) => ({
      items: await pollsNearMe(deps.db, myMemberId(request), now()),
    }),
  )
  app.get(
    '/me/polls/:pollId',
    { config: me, schema: { tags, summary: 'A poll near me and my answer', params: PollParams, response: { 200: MyPoll } } },
    async (request) => {
      const { poll, myAnswer } = await pollForMember(deps.db, request.params.pollId, myMemberId(request), now())
      return { poll, myAnswer }
    },
  )
  app.post(
    '/me/polls/:pollId/answer',
    {
      config: me,
      schema: {
        tags,
        summary: 'Answer a poll: one voice per member, across all my cards and accounts',
        params: PollParams,
        body: Answer,
        response: { 201: MyPoll },
      },
    },
    async (request, reply) => {
      const { poll, myAnswer } = await answerPoll(deps, request.params.pollId, myMemberId(request), request.body.optionIds)
      return reply.code(201).send({ poll, myAnswer })
    },
  )
  app.get(
    '/me/polls/:pollId/pair',
    {
      config: me,
      schema: { tags, summary: 'The next two options to choose between (never a pair I answered)', params: PollParams, response: { 200: NextPair } },
    },
    async (request) => nextPair(deps.db, request.params.pollId, myMemberId(request), now()),
  )
  app.post(
    '/me/polls/:pollId/pair',
    {
      config: me,
      schema: { tags, summary: 'Choose one of the pair, or skip it; answers the next pair', params: PollParams, body: PairChoice, response: { 201: NextPair } },
    },
    async (request, reply) => reply.code(201).send(await choosePair(deps, request.params.pollId, myMemberId(request), request.body)),
  )
  app.post(
    '/me/polls/:pollId/suggestions',
    {
      config: me,
      schema: {
        tags,
        summary: 'Suggest a new option: it is shown once staff approve it',
        params: PollParams,
        body: Suggestion,
        response: { 201: SuggestedOption },
      },
    },
    async (request, reply) => reply.code(201).send(await suggestOption(deps, request.params.pollId, myMemberId(request), request.body.label)),
  )
}
