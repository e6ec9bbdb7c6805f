import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Principal } from '../../platform/auth/principal.js'
import type { Clock } from '../../platform/clock.js'
import type { Db } from '../../platform/db/index.js'
import { NotFound } from '../../platform/http/problems.js'
import { storesInScope } from '../activity/index.js'
import { resolveMemberId } from '../members/index.js'
import { balanceOf } from './ledger.js'
import { listRewards } from './redeem.js'
import { memberTiers, redemptions, tiers } from './schema.js'

/**
 * The catalogue as the till sees it for one member: every active reward, whether the member can
 * have it here and now, and if not, why, in the words the associate reads out ("Needs 60 more
 * points"); plus the holds still open for the member at the caller's stores, to confirm or cancel.
 * The reasons follow the redemption's own checks (sql/redemptions.sql), which still decide.
 */
export async function rewardsAtTill({ db, clock }: { db: Db; clock: Clock }, memberId: string, actor: Principal) {
  const id = await resolveMemberId(db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const [balance, catalogue, used, scoped, [tier]] = await Promise.all([
    balanceOf(db, id),
    listRewards(db, { activeOnly: true, now: clock.now() }),
    db
      .select({ rewardId: redemptions.rewardId, count: sql<number>`count(*)::int` })
      .from(redemptions)
      .where(and(eq(redemptions.memberId, id), inArray(redemptions.status, ['reserved', 'confirmed'])))
      .groupBy(redemptions.rewardId),
    storesInScope(db, actor),
    db.select({ tier: memberTiers.tier }).from(memberTiers).where(eq(memberTiers.memberId, id)),
  ])
  const tierNames = new Map((await db.select({ code: tiers.code, name: tiers.name }).from(tiers)).map((t) => [t.code, t.name]))
  const usedOf = new Map(used.map((u) => [u.rewardId, u.count]))
  const holds = await db
    .select()
    .from(redemptions)
    .where(
      and(
        eq(redemptions.memberId, id),
        eq(redemptions.status, 'reserved'),
        scoped
          ? inArray(
              redemptions.storeCode,
              scoped.map((s) => s.code),
            )
          : undefined,
      ),
    )
    .orderBy(redemptions.reservedAt)
  const names = new Map(catalogue.map((r) => [r.id, r.name]))
  return {
    available: balance.available,
    rewards: catalogue.map((reward) => {
      const reason = whyNot(reward, balance.available, usedOf.get(reward.id) ?? 0, tier?.tier ?? null, tierNames)
      return {
        ...reward,
        active: true,
        validFrom: reward.validFrom?.toISOString() ?? null,
        validUntil: reward.validUntil?.toISOString() ?? null,
        redeemable: reason === null,
        reason,
      }
    }),
    holds: holds.map((h) => ({
      id: h.id,
      rewardId: h.rewardId,
      rewardName: names.get(h.rewardId) ?? 'A reward',
      points: h.points,
      storeCode: h.storeCode,
      reservedAt: h.reservedAt.toISOString(),
      expiresAt: h.expiresAt?.toISOString() ?? null,
    })),
  }
}

type Listed = Awaited<ReturnType<typeof listRewards>>[number]

/** Why the member cannot have a reward at a till now, or null when they can. */
function whyNot(reward: Listed, available: number, used: number, tier: string | null, tierNames: Map<string, string>): string | null {
  if (reward.tiers.length > 0 && !(tier && reward.tiers.includes(tier)))
    return `Only for ${reward.tiers.map((t) => tierNames.get(t) ?? t).join(' or ')} members`
  if (reward.stock !== null && reward.stock <= 0) return 'Out of stock'
  if (reward.channels.length > 0 && !reward.channels.includes('store')) return `Only ${reward.channels.join(' or ')}, not at a till`
  if (reward.perMemberLimit !== null && used >= reward.perMemberLimit) {
    return reward.perMemberLimit === 1 ? 'Already redeemed: once per member' : `Already redeemed ${used} times, the most per member`
  }
  if (reward.cost > available) return `Needs ${(reward.cost - available).toLocaleString('en-GB')} more points`
  return null
}
