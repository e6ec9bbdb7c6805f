import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { myMemberId, staffOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { DateOnly, Id, IdParams, Ref, Text, Timestamp } from '../../../platform/http/schemas.js'
import { Conversation, FollowUp, MemberNote } from '../api-schemas.js'
import { addFollowUp, addNote, completeFollowUp, conversationsOf, followUpsOf, logConversation, notesOf } from '../clienteling.js'
import { iso, member, staff } from './access.js'

/** The store team's notes on a member (and the ones shared with the member). */
export const noteRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
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
      config: member,
      schema: { tags: ['advisor'], summary: 'Notes our team shared with me', response: { 200: Type.Object({ items: Type.Array(Ref(MemberNote)) }) } },
    },
    async (request) => ({ items: (await notesOf(deps.db, myMemberId(request), { shareableOnly: true })).map(iso) }),
  )
}

/** Follow-ups promised to a member, and marking them done. */
export const followUpRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
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
}

/** The conversation log: what was said with a member and what came of it. */
export const conversationRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
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
}
