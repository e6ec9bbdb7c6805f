import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { consentPurposes, marketingChannels } from '../../members/index.js'
import { ConsentHistory, MemberCard } from '../api-schemas.js'
import { changeConsents, changeMarketingChannels, consentLedger, recordConsents } from '../service.js'
import { me, staff, staffWrite } from './access.js'

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

/** Consents: the member's own choices, those recorded in store, and the ledger of both. */
export const consentRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
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
    async (request) => ({ items: await consentLedger(deps.db, myMemberId(request)) }),
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
}
