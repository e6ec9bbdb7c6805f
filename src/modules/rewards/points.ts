import { inArray, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { balanceOf, creditPostings, lockBalances, NotEnoughPoints, postEntries } from './ledger.js'
import { pointsBalances } from './schema.js'

/** A member's points as their home page shows them. */
export async function pointsSummary(db: Db, memberId: string, now: Date) {
  const balance = await balanceOf(db, memberId)
  const soon = new Date(now.getTime() + 60 * 86_400_000)
  const expiring = await queryRows<{ expires_at: Date; points: number }>(
    db,
    sql`select expires_at, sum(remaining)::int as points from points_lots where member_id = ${memberId} and remaining > 0 and expires_at < ${soon}
         group by expires_at order by expires_at limit 5`,
  )
  const [lifetime] = await queryRows<{ earned: number }>(
    db,
    sql`select coalesce(sum((details->>'points')::int), 0)::int as earned from ledger_entries where member_id = ${memberId} and kind = 'earn'`,
  )
  return {
    ...balance,
    lifetimeEarned: lifetime.earned,
    expiringSoon: expiring.map((e) => ({ points: e.points, expiresAt: new Date(e.expires_at).toISOString() })),
  }
}

/**
 * Every movement of a member's points as they read it, latest first by when it happened: each
 * entry's change to what is theirs (available, pending and owed; points held at a till count as
 * spent until given back). Lines that change nothing for the member are left out: a release
 * (the purchase's line already said "pending until …") and the confirm of a till's hold (its hold
 * was the spend).
 */
export async function pointsHistory(db: Db, memberId: string, limit = 50) {
  const rows = await queryRows<{
    id: string
    kind: string
    occurred_at: Date
    explanation: string
    available: number
    pending: number
    points: number
    pending_until: Date | null
    rule_id: string | null
    rule_version: number | null
  }>(
    db,
    sql`select e.id, e.kind, e.occurred_at, e.explanation, e.rule_id, e.rule_version,
               coalesce(sum(p.points) filter (where p.account = 'available'), 0)::int as available,
               coalesce(sum(p.points) filter (where p.account = 'pending'), 0)::int as pending,
               coalesce(sum(p.points) filter (where p.account in ('available', 'pending', 'owed')), 0)::int as points,
               (select h.release_at from pending_points h where h.member_id = e.member_id and h.entry_id = e.id and h.released_at is null and h.remaining > 0) as pending_until
          from ledger_entries e join ledger_postings p on p.member_id = e.member_id and p.entry_id = e.id
         where e.member_id = ${memberId}
         group by e.id, e.member_id
        having coalesce(sum(p.points) filter (where p.account in ('available', 'pending', 'owed')), 0) <> 0
         order by e.occurred_at desc, e.posted_at desc, e.id desc limit ${limit}`,
  )
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    occurredAt: new Date(r.occurred_at).toISOString(),
    explanation: r.explanation,
    points: r.points,
    pendingUntil: r.pending_until ? new Date(r.pending_until).toISOString() : null,
    available: r.available,
    pending: r.pending,
    rule: r.rule_id ? { id: r.rule_id, version: r.rule_version } : null,
  }))
}

/** A goodwill credit or a correction by a manager, with a reason the member reads; audited. */
export async function adjustPoints(deps: Pick<Deps, 'db' | 'clock' | 'config'>, memberId: string, points: number, reason: string, actor: Principal) {
  const { db, clock, config } = deps
  return db.transaction(async (tx) => {
    const balances = await lockBalances(tx, [memberId])
    const balance = balances.get(memberId) as NonNullable<ReturnType<typeof balances.get>>
    const before = { ...balance }
    if (points < 0 && balance.available < -points) throw new NotEnoughPoints(memberId, -points, balance.available)
    const now = clock.now()
    const postings =
      points > 0
        ? creditPostings(balance, points, 'program:adjusted')
        : [
            { account: 'available' as const, points },
            { account: 'program:adjusted' as const, points: -points },
          ]
    await postEntries(
      tx,
      [
        {
          memberId,
          kind: 'adjust',
          sourceKey: newId(),
          occurredAt: now,
          explanation: `${points > 0 ? '+' : '−'}${Math.abs(points)}: ${reason}`,
          details: { points, reason },
          postings,
        },
      ],
      now,
      config.pointsExpiryMonths,
    )
    await recordAudit(tx, now, actor, { action: 'points.adjusted', targetKind: 'member', targetId: memberId, memberId, before, after: { points, reason } })
    return balanceOf(tx, memberId)
  })
}

/** Points each member can spend now, for many members in one statement (duplicate review). */
export async function availablePoints(db: Db, memberIds: string[]): Promise<Map<string, { points: number }>> {
  if (memberIds.length === 0) return new Map()
  const rows = await db
    .select({ memberId: pointsBalances.memberId, available: pointsBalances.available })
    .from(pointsBalances)
    .where(inArray(pointsBalances.memberId, memberIds))
  return new Map(rows.map((r) => [r.memberId, { points: r.available }]))
}
