import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { DateOnly, Id, IdParams, Nullable, Ref, Text } from '../../../platform/http/schemas.js'
import { Enrolled, MemberCard, MemberSummary } from '../api-schemas.js'
import { enrolAtTill } from '../enrol.js'
import { editProfile, memberCard, memberSummaryById } from '../service.js'
import { codeRate, me, staff, staffWrite } from './access.js'

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
/** The member card: a member's own profile, the same for staff, and joining a shopper at the till. */
export const profileRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/me',
    { config: me, schema: { tags: ['member home'], summary: 'My profile, identifiers and history summary', response: { 200: Ref(MemberCard) } } },
    async (request) => memberCard(deps.db, myMemberId(request)),
  )
  app.patch(
    '/me',
    { config: me, schema: { tags: ['member home'], summary: 'Change my profile', body: ProfileChange, response: { 200: Ref(MemberCard) } } },
    async (request) => editProfile(deps, myMemberId(request), request.body, callerOf(request)),
  )
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
}
