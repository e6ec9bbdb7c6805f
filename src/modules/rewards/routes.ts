import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../platform/auth/caller.js'
import type { Principal } from '../../platform/auth/principal.js'
import type { Db } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { NotFound } from '../../platform/http/problems.js'
import { Described, Id, IdParams, Nullable, Ref, Text, Timestamp } from '../../platform/http/schemas.js'
import { storeForWrite, storesInScope } from '../activity/index.js'
import { resolveMemberId } from '../members/index.js'
import {
  LedgerReport,
  MemberTier,
  MyReferral,
  Points,
  PointsHistory,
  Redemption,
  ReferralTree,
  Reward,
  RewardInput,
  Rule,
  RuleDocument,
  Simulation,
  TierEvaluation,
  TierSetup,
} from './api-schemas.js'
import { adjustPoints, pointsHistory, pointsSummary } from './points.js'
import { cancelRedemption, confirmRedemption, listRewards, redeemAtTill, redeemOnline, redemptionStore, redemptionsOf, saveReward } from './redeem.js'
import { claimReferral, myReferrals, referralTree } from './referrals.js'
import { ledgerReport } from './report.js'
import { invalidRule, listRules, saveRule } from './rule-store.js'
import { simulateRule } from './simulate.js'
import { evaluateTiers, saveTierSetup, tierOf, tierSetup } from './tiers.js'

const IdempotencyKey = Type.Object({
  'idempotency-key': Text({ minLength: 8, maxLength: 200, description: 'A retry with the same key answers the first result' }),
})
type RewardRow = Awaited<ReturnType<typeof listRewards>>[number]
const rewardOut = (r: RewardRow) => ({ ...r, active: r.active === 'yes' })
type RedemptionRow = Awaited<ReturnType<typeof redemptionsOf>>[number]
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
const ruleOut = (r: {
  id: string
  version: number
  status: string
  document: unknown
  startsAt: Date | null
  endsAt: Date | null
  createdAt: Date
  createdBy: string
}) => ({
  ...r,
  document: r.document as RuleDocument,
  startsAt: r.startsAt?.toISOString() ?? null,
  endsAt: r.endsAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
})
/** A store-held till settles only its stores' redemptions; another store's is "not found", like any not yours. */
async function assertRedemptionInScope(db: Db, principal: Principal | undefined, redemptionId: string) {
  const scoped = await storesInScope(db, principal)
  if (!scoped) return
  const store = await redemptionStore(db, redemptionId)
  if (store !== undefined && !scoped.some((s) => s.code === store)) throw new NotFound('Redemption', redemptionId)
}

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  for (const schema of [Points, PointsHistory, Reward, Redemption, RuleDocument, Rule, TierSetup, MemberTier]) app.addSchema(schema)
  const me = { access: { member: true as const } }
  const staffOrTill = { access: { staff: 'associate' as const, scopes: ['rewards:redeem', 'members:read'] } }
  const till = { access: { staff: 'associate' as const, scopes: ['rewards:redeem'] } }
  const managers = { access: { staff: 'manager' as const } }
  const admins = { access: { staff: 'admin' as const } }
  const live = async (id: string) => {
    const memberId = await resolveMemberId(deps.db, id)
    if (!memberId) throw new NotFound('Member', id)
    return memberId
  }

  app.get(
    '/me/points',
    { config: me, schema: { tags: ['rewards'], summary: 'My points: available, pending, expiring soon', response: { 200: Ref(Points) } } },
    async (request) => pointsSummary(deps.db, myMemberId(request), deps.clock.now()),
  )
  app.get(
    '/me/points/history',
    { config: me, schema: { tags: ['rewards'], summary: 'Every movement of my points, explained', response: { 200: Ref(PointsHistory) } } },
    async (request) => ({
      items: await pointsHistory(deps.db, myMemberId(request)),
    }),
  )
  app.get(
    '/me/redemptions',
    { config: me, schema: { tags: ['rewards'], summary: 'Rewards I redeemed', response: { 200: Type.Object({ items: Type.Array(Ref(Redemption)) }) } } },
    async (request) => ({
      items: (await redemptionsOf(deps.db, myMemberId(request))).map(redemptionOut),
    }),
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
    '/rewards',
    {
      config: { access: { member: true as const, staff: 'associate' as const, scopes: ['rewards:redeem'] } },
      schema: { tags: ['rewards'], summary: 'The rewards catalogue', response: { 200: Type.Object({ items: Type.Array(Ref(Reward)) }) } },
    },
    async (request) => ({
      items: (await listRewards(deps.db, { activeOnly: request.principal?.kind !== 'staff' })).map(rewardOut),
    }),
  )
  app.post(
    '/rewards',
    {
      config: admins,
      schema: { tags: ['rewards'], summary: 'Add a reward to the catalogue (audited)', body: RewardInput, response: { 201: Ref(Reward) } },
    },
    async (request, reply) =>
      reply.code(201).send(rewardOut(await saveReward(deps, { ...request.body, active: request.body.active === false ? 'no' : 'yes' }, callerOf(request)))),
  )
  app.put(
    '/rewards/:id',
    {
      config: admins,
      schema: { tags: ['rewards'], summary: 'Change a reward (audited)', params: IdParams, body: RewardInput, response: { 200: Ref(Reward) } },
    },
    async (request) =>
      rewardOut(await saveReward(deps, { ...request.body, id: request.params.id, active: request.body.active === false ? 'no' : 'yes' }, callerOf(request))),
  )

  app.get(
    '/members/:id/points',
    { config: staffOrTill, schema: { tags: ['rewards'], summary: 'A member’s points', params: IdParams, response: { 200: Ref(Points) } } },
    async (request) => pointsSummary(deps.db, await live(request.params.id), deps.clock.now()),
  )
  app.get(
    '/members/:id/points/history',
    {
      config: staffOrTill,
      schema: { tags: ['rewards'], summary: 'A member’s points history', params: IdParams, response: { 200: Ref(PointsHistory) } },
    },
    async (request) => ({
      items: await pointsHistory(deps.db, await live(request.params.id)),
    }),
  )
  app.post(
    '/members/:id/points/adjustments',
    {
      config: managers,
      schema: {
        tags: ['rewards'],
        summary: 'Goodwill credit or correction, with the reason the member reads (managers; audited)',
        params: IdParams,
        body: Type.Object(
          { points: Type.Integer({ minimum: -100_000, maximum: 100_000, not: { const: 0 } }), reason: Text({ minLength: 3, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ available: Type.Integer(), pending: Type.Integer(), reserved: Type.Integer(), owed: Type.Integer() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await adjustPoints(deps, await live(request.params.id), request.body.points, request.body.reason, callerOf(request))),
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
    async (request, reply) => {
      // A merged member's id redeems for the survivor: the database follows the redirect.
      const redemption = await redeemAtTill(
        deps,
        {
          memberId: request.params.id,
          rewardId: request.body.rewardId,
          idempotencyKey: request.headers['idempotency-key'],
          storeCode: await storeForWrite(deps.db, request.principal, request.body.store),
        },
        callerOf(request),
      )
      return reply.code(201).send(redemptionOut(redemption))
    },
  )
  app.post(
    '/redemptions/:id/confirm',
    {
      config: till,
      schema: { tags: ['rewards'], summary: 'The sale went through: spend the held points', params: IdParams, response: { 200: Ref(Redemption) } },
    },
    async (request) => {
      await assertRedemptionInScope(deps.db, request.principal, request.params.id)
      return redemptionOut(await confirmRedemption(deps, request.params.id, callerOf(request)))
    },
  )
  app.post(
    '/redemptions/:id/cancel',
    {
      config: till,
      schema: { tags: ['rewards'], summary: 'The sale did not happen: give the held points back', params: IdParams, response: { 200: Ref(Redemption) } },
    },
    async (request) => {
      await assertRedemptionInScope(deps.db, request.principal, request.params.id)
      return redemptionOut(await cancelRedemption(deps, request.params.id, 'cancelled', callerOf(request)))
    },
  )

  app.get(
    '/rules',
    {
      config: managers,
      schema: { tags: ['rewards'], summary: 'Earning rules (newest version of each)', response: { 200: Type.Object({ items: Type.Array(Ref(Rule)) }) } },
    },
    async () => ({
      items: (await listRules(deps.db)).map(ruleOut),
    }),
  )
  app.post(
    '/rules',
    {
      config: { ...admins, invalidRequest: invalidRule },
      schema: {
        tags: ['rewards'],
        summary: 'Save an earning rule as a new version (a new rule without id; audited)',
        body: Type.Object(
          {
            id: Type.Optional(Id),
            document: Described(Ref(RuleDocument), 'Invalid documents are refused with every problem listed'),
            startsAt: Type.Optional(Nullable(Timestamp)),
            endsAt: Type.Optional(Nullable(Timestamp)),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ref(Rule) },
      },
    },
    async (request, reply) => reply.code(201).send(ruleOut(await saveRule(deps, request.body, callerOf(request)))),
  )
  app.post(
    '/rules/simulate',
    {
      config: { ...managers, invalidRequest: invalidRule },
      schema: {
        tags: ['rewards'],
        summary: 'Dry run: what a draft rule would have given over the last N days (writes nothing)',
        body: Type.Object(
          { document: Ref(RuleDocument), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) },
          { additionalProperties: false },
        ),
        response: { 200: Simulation },
      },
    },
    async (request) => simulateRule(deps, request.body.document, request.body.days ?? 30),
  )
  app.get(
    '/tiers',
    {
      config: { access: { member: true as const, staff: 'associate' as const } },
      schema: { tags: ['rewards'], summary: 'The tiers and how the relationship score is made', response: { 200: Ref(TierSetup) } },
    },
    async () => tierSetup(deps.db),
  )
  app.put(
    '/tiers',
    {
      config: admins,
      schema: { tags: ['rewards'], summary: 'Replace the tiers and the score policy (audited)', body: TierSetup, response: { 200: Ref(TierSetup) } },
    },
    async (request) => saveTierSetup(deps, request.body, callerOf(request)),
  )
  app.post(
    '/tiers/evaluate',
    {
      config: managers,
      schema: {
        tags: ['rewards'],
        summary: 'Re-score every member now (the server does it nightly): up at once, down after the grace period',
        response: { 200: TierEvaluation },
      },
    },
    async () => deps.db.transaction((tx) => evaluateTiers(tx, deps.clock.now())),
  )
  app.get(
    '/me/tier',
    { config: me, schema: { tags: ['rewards'], summary: 'My tier, score, the next tier and my tier history', response: { 200: Ref(MemberTier) } } },
    async (request) => tierOf(deps.db, myMemberId(request)),
  )
  app.get(
    '/members/:id/tier',
    { config: staffOrTill, schema: { tags: ['rewards'], summary: 'A member’s tier and score', params: IdParams, response: { 200: Ref(MemberTier) } } },
    async (request) => tierOf(deps.db, await live(request.params.id)),
  )
  const Referral = Type.Object({ memberId: Id, referrerId: Id, code: Type.String(), status: Type.String(), claimedAt: Timestamp })
  const referralOut = (r: { memberId: string; referrerId: string; code: string; status: string; claimedAt: Date }) => ({
    ...r,
    claimedAt: r.claimedAt.toISOString(),
  })
  const Code = Type.Object({ code: Text({ minLength: 4, maxLength: 20 }) }, { additionalProperties: false })
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
    async (request, reply) => reply.code(201).send(referralOut(await claimReferral(deps, await live(request.params.id), request.body.code, callerOf(request)))),
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
  app.get(
    '/rewards/report',
    {
      config: managers,
      schema: {
        tags: ['rewards'],
        summary: 'Ledger report: points outstanding (the programme’s liability) and issued, redeemed, expired by the month they happened',
        response: { 200: LedgerReport },
      },
    },
    async () => ledgerReport(deps.db),
  )
}
