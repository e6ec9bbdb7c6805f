import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { MyRedemptions, Redemption, TillRewards } from '../api-schemas.js'
import { rewardsAtTill } from '../at-till.js'
import { redeemOnline, redemptionsOf } from '../redeem.js'
import { reserveAtTill, settleAtTill } from '../till.js'
import { me, staffOrTill, till } from './access.js'

const IdempotencyKey = Type.Object({
  'idempotency-key': Text({ minLength: 8, maxLength: 200, description: 'A retry with the same key answers the first result' }),
})
type RedemptionRow = Omit<Awaited<ReturnType<typeof redemptionsOf>>[number], 'rewardName' | 'rewardKind'>
const myRedemptionOut = (r: Awaited<ReturnType<typeof redemptionsOf>>[number]) => ({
  id: r.id,
  rewardId: r.rewardId,
  rewardName: r.rewardName ?? 'A reward no longer offered',
  rewardKind: r.rewardKind,
  points: r.points,
  status: r.status,
  channel: r.channel,
  storeCode: r.storeCode,
  code: r.code,
  reservedAt: r.reservedAt.toISOString(),
  expiresAt: r.expiresAt?.toISOString() ?? null,
  decidedAt: r.decidedAt?.toISOString() ?? null,
})
const redemptionOut = (r: RedemptionRow) => ({
  id: r.id,
  memberId: r.memberId,
  rewardId: r.rewardId,
  points: r.points,
  status: r.status,
  channel: r.channel,
  storeCode: r.storeCode,
  code: r.code,
  reservedAt: r.reservedAt.toISOString(),
  expiresAt: r.expiresAt?.toISOString() ?? null,
})
const Settled = { 200: Ref(Redemption) }
const MemberRedemption = Type.Object({ id: Id, redemptionId: Id })
const confirmSummary = 'The sale went through: spend the held points'
const cancelSummary = 'The sale did not happen: give the held points back'
const deprecation = 'Deprecated: use the same action under /v1/members/:id/redemptions/:redemptionId, which names the member.'

/** Redeeming online and at the till: reserve, then confirm or cancel. */
export const redemptionRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/me/redemptions',
    {
      config: me,
      schema: {
        tags: ['rewards'],
        summary: 'My rewards: every redemption with its reward, code, status and when a hold lapses (latest 50)',
        response: { 200: MyRedemptions },
      },
    },
    async (request) => ({ items: (await redemptionsOf(deps.db, myMemberId(request))).map(myRedemptionOut) }),
  )
  app.post(
    '/me/redemptions',
    {
      config: me,
      schema: {
        tags: ['rewards'],
        summary: 'Redeem a reward online: points are spent at once and a code returned',
        headers: IdempotencyKey,
        body: Type.Object({ rewardId: Id }, { additionalProperties: false }),
        response: { 201: Ref(Redemption) },
      },
    },
    async (request, reply) => {
      const redemption = await redeemOnline(
        deps,
        { memberId: myMemberId(request), rewardId: request.body.rewardId, idempotencyKey: request.headers['idempotency-key'] },
        callerOf(request),
      )
      return reply.code(201).send(redemptionOut(redemption))
    },
  )
  app.get(
    '/members/:id/rewards',
    {
      config: staffOrTill,
      schema: {
        tags: ['rewards'],
        summary: 'The catalogue at the till for a member: what they can have now, why not otherwise, and their open holds at your stores',
        params: IdParams,
        response: { 200: TillRewards },
      },
    },
    async (request) => rewardsAtTill(deps, request.params.id, callerOf(request)),
  )
  app.post(
    '/members/:id/redemptions',
    {
      config: { ...till, memberIdAsGiven: true },
      schema: {
        tags: ['rewards'],
        summary: 'At the till: reserve a reward’s points, then confirm or cancel the redemption',
        description: 'The points are held until confirmed or cancelled; a hold lapses after REGULARS_RESERVATION_MINUTES.',
        params: IdParams,
        headers: IdempotencyKey,
        body: Type.Object({ rewardId: Id, store: Type.Optional(Text({ maxLength: 50 })) }, { additionalProperties: false }),
        response: { 201: Ref(Redemption) },
      },
    },
    // A merged member's id redeems for the survivor: the database follows the redirect.
    async (request, reply) => {
      const { rewardId, store } = request.body
      const redemption = await reserveAtTill(
        deps,
        { memberId: request.params.id, rewardId, idempotencyKey: request.headers['idempotency-key'], store },
        callerOf(request),
      )
      return reply.code(201).send(redemptionOut(redemption))
    },
  )
  for (const [action, outcome, summary] of [
    ['confirm', 'confirmed', confirmSummary],
    ['cancel', 'cancelled', cancelSummary],
  ] as const) {
    app.post(
      `/members/:id/redemptions/:redemptionId/${action}`,
      { config: till, schema: { tags: ['rewards'], summary, params: MemberRedemption, response: Settled } },
      async (request) => {
        const { id: memberId, redemptionId } = request.params
        return redemptionOut(await settleAtTill(deps, { memberId, redemptionId, outcome }, callerOf(request)))
      },
    )
    app.post(
      `/redemptions/:id/${action}`,
      { config: till, schema: { tags: ['rewards'], summary, description: deprecation, deprecated: true, params: IdParams, response: Settled } },
      async (request) => redemptionOut(await settleAtTill(deps, { redemptionId: request.params.id, outcome }, callerOf(request))),
    )
  }
}
