import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../platform/auth/caller.js'
import type { Principal } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js'
import { DateOnly, Id, IdParams, Nullable, PageQuery, Ref, Text, Timestamp } from '../../platform/http/schemas.js'
import { consentHistory, consentPurposes, IdentifierKindSchema, marketingChannels } from '../members/index.js'
import { ConsentHistory, Enrolled, Linked, MemberCard, MemberSummary, Timeline } from './api-schemas.js'
import { enrolAtTill } from './enrol.js'
import {
  changeConsents,
  changeMarketingChannels,
  consentLedger,
  editProfile,
  linkIdentifier,
  memberCard,
  memberSummaryById,
  recordConsents,
  timelineOf,
  verifyIdentifier,
} from './service.js'

const TimelineQuery = Type.Object({
  ...PageQuery.properties,
  kind: Type.Optional(Text({ maxLength: 50 })),
  channel: Type.Optional(Text({ maxLength: 50 })),
})

type TimelineParams = { limit?: number; cursor?: string; kind?: string; channel?: string }
async function timelinePage(deps: Deps, memberId: string, query: TimelineParams) {
  const [occurredAt, id] = decodeCursor(query.cursor, Type.Tuple([Timestamp, Id])) ?? []
  const before = occurredAt && id ? { occurredAt, id } : undefined
  const { items, next } = await timelineOf(deps.db, memberId, { limit: query.limit ?? 50, before, kind: query.kind, channel: query.channel })
  return { items, nextCursor: next ? encodeCursor([next.occurredAt, next.id]) : null }
}

const text = (max: number) => Type.Optional(Nullable(Text({ maxLength: max })))
const ProfileChange = Type.Object(
  {
    givenName: text(100),
    familyName: text(100),
    birthDate: Type.Optional(Nullable(DateOnly)),
    email: text(320),
    phone: text(40),
    addressLine: text(300),
    postcode: text(20),
    city: text(100),
    homeStoreId: Type.Optional(Nullable(Id)),
    preferredChannel: text(50),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' })),
  },
  { additionalProperties: false, minProperties: 1 },
)
const NewIdentifier = Type.Object({ kind: IdentifierKindSchema, value: Text({ minLength: 1, maxLength: 320 }) }, { additionalProperties: false })
const CodeEntry = Type.Object(
  {
    kind: Type.Union([Type.Literal('email'), Type.Literal('phone')]),
    value: Text({ minLength: 1, maxLength: 320 }),
    code: Type.String({ pattern: '^\\s*[0-9]{6}\\s*$', maxLength: 20, description: 'The six digits sent to the email or phone' }),
  },
  { additionalProperties: false },
)
// Codes are six digits: tries are counted per code, and this caps how fast any one login can ask.
const codeRate = {
  rateLimit: {
    max: 10,
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    keyGenerator: (request: { principal?: Principal; ip: string }) =>
      request.principal?.kind === 'apiKey' ? `key:${request.principal.keyId}` : (request.principal?.userId ?? request.ip),
  },
}
const Consents = Type.Object(Object.fromEntries(consentPurposes.map((p) => [p, Type.Optional(Type.Boolean())])), {
  additionalProperties: false,
  minProperties: 1,
})

const MarketingChannels = Type.Object(Object.fromEntries(marketingChannels.map((c) => [c, Type.Optional(Type.Boolean())])), {
  additionalProperties: false,
  minProperties: 1,
  description: 'Per channel: true allows offers and news by it, false stops them (whatever marketing says)',
})
const RecordedConsents = Type.Object(
  {
    purposes: Type.Optional(Consents),
    marketingChannels: Type.Optional(MarketingChannels),
    wording: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 2000,
        description: 'What the member was shown or read (a paper form, the app’s screen); default: the home page’s words',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(MemberCard)
  app.addSchema(Timeline)
  const me = { access: { member: true as const } }
  const staff = { access: { staff: 'associate' as const, scopes: ['members:read'] } }

  app.get(
    '/me',
    { config: me, schema: { tags: ['member home'], summary: 'My profile, identifiers and history summary', response: { 200: Ref(MemberCard) } } },
    async (request) => memberCard(deps.db, myMemberId(request)),
  )
  app.get(
    '/me/timeline',
    {
      config: me,
      schema: {
        tags: ['member home'],
        summary: 'My history across channels, newest first',
        querystring: TimelineQuery,
        response: { 200: Ref(Timeline) },
      },
    },
    async (request) => timelinePage(deps, myMemberId(request), request.query),
  )
  app.patch(
    '/me',
    { config: me, schema: { tags: ['member home'], summary: 'Change my profile', body: ProfileChange, response: { 200: Ref(MemberCard) } } },
    async (request) => editProfile(deps, myMemberId(request), request.body, callerOf(request)),
  )
  app.post(
    '/me/identifiers',
    {
      config: { ...me, ...codeRate },
      schema: {
        tags: ['member home'],
        summary: 'Add a card, email, phone or other identifier to my membership; an email or phone gets a code to verify it (adding it again sends a new one)',
        body: NewIdentifier,
        response: { 201: Linked },
      },
    },
    async (request, reply) => reply.code(201).send(await linkIdentifier(deps, myMemberId(request), request.body.kind, request.body.value, callerOf(request))),
  )
  app.post(
    '/me/identifiers/verify',
    {
      config: { ...me, ...codeRate },
      schema: {
        tags: ['member home'],
        summary: 'Prove an email or phone is mine with the code sent to it; attaches my parked guest activity',
        body: CodeEntry,
        response: { 200: Linked },
      },
    },
    async (request) => {
      const { kind, value, code } = request.body
      return verifyIdentifier(deps, myMemberId(request), kind, value, code, callerOf(request))
    },
  )
  app.put(
    '/me/consents',
    {
      config: me,
      schema: {
        tags: ['member home'],
        summary: 'Give or withdraw my consents (marketing, profiling, social visibility)',
        body: Consents,
        response: { 200: Ref(MemberCard) },
      },
    },
    async (request) => changeConsents(deps, myMemberId(request), request.body),
  )
  app.put(
    '/me/consents/channels',
    {
      config: me,
      schema: {
        tags: ['member home'],
        summary: 'Choose the channels offers and news may reach me by (email, sms, push)',
        body: MarketingChannels,
        response: { 200: Ref(MemberCard) },
      },
    },
    async (request) => changeMarketingChannels(deps, myMemberId(request), request.body),
  )
  app.get(
    '/me/consents/history',
    {
      config: me,
      schema: {
        tags: ['member home'],
        summary: 'Every consent I gave or withdrew, newest first, with where and the wording I was shown',
        response: { 200: ConsentHistory },
      },
    },
    async (request) => ({ items: (await consentHistory(deps.db, myMemberId(request))).map((e) => ({ ...e, at: e.at.toISOString() })) }),
  )
  const staffWrite = { access: { staff: 'associate' as const, scopes: ['members:write'] } }
  app.post(
    '/members',
    {
      config: { ...staffWrite, ...codeRate },
      schema: {
        tags: ['members'],
        summary: 'Join a shopper at the till: a name and one identifier (a card, or an email or phone that gets a code to verify)',
        description:
          'The home store is the associate’s own (or `store`, which a store-held caller must hold). An identifier another member holds is a 409 and nothing is created.',
        body: Type.Object(
          {
            givenName: Text({ minLength: 1, maxLength: 100 }),
            familyName: Type.Optional(Text({ maxLength: 100 })),
            identifier: Type.Object(
              { kind: Type.Union([Type.Literal('card'), Type.Literal('email'), Type.Literal('phone')]), value: Text({ minLength: 1, maxLength: 320 }) },
              { additionalProperties: false },
            ),
            store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Store code' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Enrolled },
      },
    },
    async (request, reply) => reply.code(201).send(await enrolAtTill(deps, request.body, callerOf(request))),
  )
  app.patch(
    '/members/:id',
    {
      config: staffWrite,
      schema: {
        tags: ['members'],
        summary: 'Change a member’s profile (audited)',
        params: IdParams,
        body: ProfileChange,
        response: { 200: Ref(MemberCard) },
      },
    },
    async (request) => editProfile(deps, request.params.id, request.body, callerOf(request)),
  )
  app.put(
    '/members/:id/consents',
    {
      config: staffWrite,
      schema: {
        tags: ['members'],
        summary: 'Record consents the member gave or withdrew in store or in another system, with the wording they were shown (audited)',
        params: IdParams,
        body: RecordedConsents,
        response: { 200: Ref(MemberCard) },
      },
    },
    async (request) => recordConsents(deps, request.params.id, request.body, callerOf(request)),
  )
  app.get(
    '/members/:id/consents/history',
    {
      config: staff,
      schema: {
        tags: ['members'],
        summary: 'A member’s consent ledger, newest first: every grant and withdrawal with its source and the wording shown',
        params: IdParams,
        response: { 200: ConsentHistory },
      },
    },
    async (request) => ({ items: await consentLedger(deps.db, request.params.id) }),
  )
  app.post(
    '/members/:id/identifiers',
    {
      config: staffWrite,
      schema: {
        tags: ['members'],
        summary: 'Link an identifier to a member: a card is vouched for by the associate; an email or phone gets a code to verify it',
        params: IdParams,
        body: NewIdentifier,
        response: { 201: Linked },
      },
    },
    async (request, reply) => reply.code(201).send(await linkIdentifier(deps, request.params.id, request.body.kind, request.body.value, callerOf(request))),
  )
  app.post(
    '/members/:id/identifiers/verify',
    {
      config: { ...staffWrite, ...codeRate },
      schema: {
        tags: ['members'],
        summary: 'Enter the code the member received (read to the associate at the till); attaches their parked guest activity',
        params: IdParams,
        body: CodeEntry,
        response: { 200: Linked },
      },
    },
    async (request) => {
      const { kind, value, code } = request.body
      return verifyIdentifier(deps, request.params.id, kind, value, code, callerOf(request))
    },
  )
  app.get(
    '/members/:id',
    {
      config: staff,
      schema: {
        tags: ['members'],
        summary: 'A member’s card: profile, identifiers, history summary',
        params: IdParams,
        response: { 200: Ref(MemberCard) },
      },
    },
    async (request) => memberCard(deps.db, request.params.id),
  )
  app.get(
    '/members/:id/summary',
    {
      config: staff,
      schema: {
        tags: ['members'],
        summary: 'A member’s history summary (for tills and integrations)',
        params: IdParams,
        response: { 200: MemberSummary },
      },
    },
    async (request) => memberSummaryById(deps.db, request.params.id),
  )
  app.get(
    '/members/:id/timeline',
    {
      config: staff,
      schema: {
        tags: ['members'],
        summary: 'A member’s history across channels, newest first',
        params: IdParams,
        querystring: TimelineQuery,
        response: { 200: Ref(Timeline) },
      },
    },
    async (request) => timelinePage(deps, request.params.id, request.query),
  )
}
