import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, memberOf, myMemberId, staffOf } from '../../platform/auth/caller.js'
import type { Deps } from '../../platform/deps.js'
import { DateOnly, Id, IdParams, Ref, Text, Timestamp } from '../../platform/http/schemas.js'
import { JobStarted, runJobNow, type WithJobs } from '../../platform/jobs/index.js'
import { IdentifierKindSchema } from '../members/index.js'
import {
  ContactOptions,
  Conversation,
  Digest,
  FollowUp,
  feedbackEvents,
  MemberNote,
  MemberSuggestions,
  Outreach,
  outreachReasons,
  Preference,
  preferenceKinds,
  preferenceSubjects,
  Suggestion,
  Suggestions,
  Taste,
} from './api-schemas.js'
import { addFollowUp, addNote, completeFollowUp, conversationsOf, followUpsOf, logConversation, notesOf, outreachList } from './clienteling.js'
import { adviceFor, checkoutSuggestions, recordStaffFeedback, weeklyDigest } from './digest.js'
import { contactOptions, markOutreach, messageMember } from './outreach.js'
import { recordFeedback, suggestionsFor } from './suggestions.js'
import { addPreference, removePreference, tasteProfile } from './taste.js'

const PreferenceInput = Type.Object(
  {
    kind: Type.Enum(preferenceKinds),
    subjectKind: Type.Enum(preferenceSubjects),
    subject: Text({ minLength: 1, maxLength: 200, description: 'A category path, brand, sku, "colour: navy", a size…' }),
  },
  { additionalProperties: false },
)

const K = Type.Object({ k: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, default: 5 })) })
const Feedback = Type.Object(
  {
    sku: Text({ minLength: 1, maxLength: 100 }),
    event: Type.Enum(feedbackEvents, { description: 'dismissed: rests 30 days; not_for_me: never again, and lowers the taste for it' }),
  },
  { additionalProperties: false },
)

const staff = { access: { staff: 'associate' as const } }
const member = { access: { member: true as const } }
const tills = { access: { staff: 'associate' as const, scopes: ['suggestions:read'] } }
const tasteOut = (t: Awaited<ReturnType<typeof tasteProfile>>) => ({ ...t, preferences: t.preferences.map(iso) })
const iso = <T extends Record<string, unknown>>(row: T) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) as {
    [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K]
  }

/** Clienteling: notes, follow-ups, the conversation log and each associate's outreach list. */
export const routes: FastifyPluginAsyncTypebox<Deps & WithJobs> = async (app, { jobs, ...deps }) => {
  app.addSchema(MemberNote)
  app.addSchema(FollowUp)
  app.addSchema(Conversation)
  app.addSchema(Preference)
  app.addSchema(Taste)
  app.addSchema(Suggestion)

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
      config: { access: { staff: 'admin' as const } },
      schema: {
        tags: ['advisor'],
        summary: 'Queue a retraining of suggestions on all purchase history now (the server does this nightly)',
        description: 'Queues the suggestions-training job, as its schedule does: 202 with the run to follow.',
        response: { 202: JobStarted },
      },
    },
    async (request, reply) => reply.code(202).send(await runJobNow(deps, jobs, 'suggestions-training', callerOf(request))),
  )

  app.get(
    '/me/taste',
    {
      config: member,
      schema: { tags: ['advisor'], summary: 'My taste profile: what you learnt and why, and what I told you', response: { 200: Ref(Taste) } },
    },
    async (request) => tasteOut(await tasteProfile(deps, myMemberId(request))),
  )
  app.post(
    '/me/taste/preferences',
    {
      config: member,
      schema: {
        tags: ['advisor'],
        summary: 'Tell the shop a like, dislike, size or a product never to suggest',
        body: PreferenceInput,
        response: { 201: Ref(Preference) },
      },
    },
    async (request, reply) => reply.code(201).send(iso(await addPreference(deps, myMemberId(request), request.body, callerOf(request)))),
  )
  app.delete(
    '/me/taste/preferences/:id',
    { config: member, schema: { tags: ['advisor'], summary: 'Take back something I said', params: IdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await removePreference(deps, myMemberId(request), request.params.id, callerOf(request))
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/members/:id/taste',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: "A member's taste profile, for the associate advising them",
        params: IdParams,
        response: { 200: Ref(Taste) },
      },
    },
    async (request) => tasteOut(await tasteProfile(deps, request.params.id)),
  )
  app.post(
    '/members/:id/taste/preferences',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Record what the member told you: a like, dislike, size, or never suggest',
        params: IdParams,
        body: PreferenceInput,
        response: { 201: Ref(Preference) },
      },
    },
    // The id arrives live (members' followMergeRedirects): an unknown member is a 404 before this runs.
    async (request, reply) => reply.code(201).send(iso(await addPreference(deps, request.params.id, request.body, callerOf(request)))),
  )
  app.delete(
    '/members/:id/taste/preferences/:preferenceId',
    {
      config: staff,
      schema: { tags: ['advisor'], summary: 'Remove a recorded preference', params: Type.Object({ id: Id, preferenceId: Id }), response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await removePreference(deps, request.params.id, request.params.preferenceId, callerOf(request))
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/members/:id/notes',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: "The store team's notes on a member, newest first",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Ref(MemberNote)) }) },
      },
    },
    async (request) => ({ items: (await notesOf(deps.db, request.params.id, { shareableOnly: false })).map(iso) }),
  )
  app.post(
    '/members/:id/notes',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Write a note on a member (shareable: the member sees it too)',
        params: IdParams,
        body: Type.Object(
          {
            body: Text({ minLength: 1, maxLength: 4000 }),
            tags: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 40 }), { maxItems: 10 })),
            shareable: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ref(MemberNote) },
      },
    },
    async (request, reply) => reply.code(201).send(iso(await addNote(deps, request.params.id, request.body, staffOf(request)))),
  )
  app.get(
    '/me/notes',
    {
      config: { access: { member: true as const } },
      schema: { tags: ['advisor'], summary: 'Notes our team shared with me', response: { 200: Type.Object({ items: Type.Array(Ref(MemberNote)) }) } },
    },
    async (request) => {
      const me = memberOf(request)
      return { items: (await notesOf(deps.db, me.memberId, { shareableOnly: true })).map(iso) }
    },
  )

  app.get(
    '/members/:id/follow-ups',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Follow-ups owed to a member',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Ref(FollowUp)) }) },
      },
    },
    async (request) => ({ items: (await followUpsOf(deps.db, request.params.id)).map(iso) }),
  )
  app.post(
    '/members/:id/follow-ups',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Promise a member a follow-up by a day (assigned to yourself; managers may assign others)',
        params: IdParams,
        body: Type.Object({ title: Text({ minLength: 1, maxLength: 300 }), dueOn: DateOnly, assigneeId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 201: Ref(FollowUp) },
      },
    },
    async (request, reply) => reply.code(201).send(iso(await addFollowUp(deps, request.params.id, request.body, staffOf(request)))),
  )
  app.post(
    '/members/:id/follow-ups/:followUpId/done',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Mark a follow-up done, with what came of it (its assignee, or a manager)',
        params: Type.Object({ id: Id, followUpId: Id }),
        body: Type.Object({ outcome: Text({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: Ref(FollowUp) },
      },
    },
    async (request) => iso(await completeFollowUp(deps, request.params.id, request.params.followUpId, request.body.outcome, staffOf(request))),
  )

  app.get(
    '/members/:id/conversations',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Conversations with a member, newest first',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Ref(Conversation)) }) },
      },
    },
    async (request) => ({ items: (await conversationsOf(deps.db, request.params.id)).map(iso) }),
  )
  app.post(
    '/members/:id/conversations',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Log a conversation and its outcome (feeds the associate scorecard)',
        params: IdParams,
        body: Type.Object(
          {
            reason: Text({ minLength: 1, maxLength: 50, description: "'visit', 'call', or the outreach reason" }),
            summary: Text({ minLength: 1, maxLength: 4000 }),
            outcome: Conversation.properties.outcome,
            at: Type.Optional(Timestamp),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ref(Conversation) },
      },
    },
    async (request, reply) => reply.code(201).send(iso(await logConversation(deps, request.params.id, request.body, staffOf(request)))),
  )

  const Reason = Type.Object({ reason: Type.Enum(outreachReasons) }, { additionalProperties: false })
  const Mark = Type.Object({ memberId: Id, reason: Type.String(), state: Type.String(), until: DateOnly })
  app.post(
    '/members/:id/outreach/done',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Mark an entry of your outreach list done: it stays off your list for 30 days',
        params: IdParams,
        body: Reason,
        response: { 200: Mark },
      },
    },
    async (request) => markOutreach(deps, staffOf(request), request.params.id, { reason: request.body.reason, state: 'done' }),
  )
  app.post(
    '/members/:id/outreach/snooze',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Snooze an entry of your outreach list to a day (default tomorrow, at most 90 days ahead)',
        params: IdParams,
        body: Type.Object({ reason: Type.Enum(outreachReasons), until: Type.Optional(DateOnly) }, { additionalProperties: false }),
        response: { 200: Mark },
      },
    },
    async (request) => markOutreach(deps, staffOf(request), request.params.id, { ...request.body, state: 'snoozed' }),
  )
  app.get(
    '/members/:id/contact',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'How you may write to a member: the channels they allow offers by (with a verified address) and a message for the reason',
        params: IdParams,
        querystring: Type.Object({ reason: Type.Optional(Type.Enum(outreachReasons)) }),
        response: { 200: ContactOptions },
      },
    },
    async (request) => contactOptions(deps, staffOf(request), request.params.id, request.query.reason ?? 'follow_up'),
  )
  app.post(
    '/members/:id/messages',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Write to a member by a channel they allow (sent through the delivery interface, logged as a conversation)',
        params: IdParams,
        body: Type.Object(
          {
            channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
            subject: Text({ minLength: 1, maxLength: 200 }),
            text: Text({ minLength: 1, maxLength: 2000 }),
            reason: Type.Enum(outreachReasons),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ref(Conversation) },
      },
    },
    async (request, reply) => reply.code(201).send(iso(await messageMember(deps, staffOf(request), request.params.id, request.body))),
  )
  app.get(
    '/outreach',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: "Today's outreach list for the calling associate: their follow-ups and their stores' members, each with a reason",
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })) }),
        response: { 200: Outreach },
      },
    },
    async (request) => ({ items: await outreachList(deps, staffOf(request), request.query.limit ?? 25) }),
  )
}
