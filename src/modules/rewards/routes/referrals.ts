import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, IdParams, Text, Timestamp } from '../../../platform/http/schemas.js'
import { MyReferral, ReferralTree } from '../api-schemas.js'
import { claimReferral, myReferrals, referralTree } from '../referrals.js'
import { admins, me } from './access.js'

const referralOut = (r: { memberId: string; referrerId: string; code: string; status: string; claimedAt: Date }) => ({
  ...r,
  claimedAt: r.claimedAt.toISOString(),
})

const Referral = Type.Object({ memberId: Id, referrerId: Id, code: Type.String(), status: Type.String(), claimedAt: Timestamp })
const Code = Type.Object({ code: Text({ minLength: 4, maxLength: 20 }) }, { additionalProperties: false })

/** Member-gets-member: invite codes, claims, and the tree admins read. */
export const referralRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/me/referral',
    {
      config: me,
      schema: {
        tags: ['rewards'],
        summary: 'My invite code and the friends I brought',
        response: { 200: MyReferral },
      },
    },
    async (request) => myReferrals(deps, myMemberId(request)),
  )
  app.post(
    '/me/referral/claim',
    {
      config: me,
      schema: { tags: ['rewards'], summary: 'Say who invited me (new members, before a first purchase)', body: Code, response: { 201: Referral } },
    },
    async (request, reply) => reply.code(201).send(referralOut(await claimReferral(deps, myMemberId(request), request.body.code, callerOf(request)))),
  )
  app.post(
    '/members/:id/referral',
    {
      config: { access: { staff: 'associate' as const } },
      schema: { tags: ['rewards'], summary: 'At the till: record who invited a new member', params: IdParams, body: Code, response: { 201: Referral } },
    },
    async (request, reply) => reply.code(201).send(referralOut(await claimReferral(deps, request.params.id, request.body.code, callerOf(request)))),
  )
  app.get(
    '/referrals',
    {
      config: admins,
      schema: {
        tags: ['rewards'],
        summary: 'Every referral, for the referral tree',
        response: { 200: ReferralTree },
      },
    },
    async () => ({ items: await referralTree(deps.db) }),
  )
}
