import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { staffOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { DateOnly, Id, IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { ContactOptions, Conversation, Outreach, outreachReasons } from '../api-schemas.js'
import { outreachList } from '../clienteling.js'
import { contactOptions, markOutreach, messageMember } from '../outreach.js'
import { iso, staff } from './access.js'

const Reason = Type.Object({ reason: Type.Enum(outreachReasons) }, { additionalProperties: false })
const Mark = Type.Object({ memberId: Id, reason: Type.String(), state: Type.String(), until: DateOnly })

/** Each associate's outreach list, marking its entries, and writing to a member by a channel they allow. */
export const outreachRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
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
