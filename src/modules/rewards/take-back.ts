import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import { creditPostings, type Entry, lockBalances, postEntries, takeBackPostings } from './ledger.js'

interface Standing {
  /** What the activity's rules awarded. */
  awarded: number
  /** What it holds now: awarded − taken back + given back. */
  held: number
  changes: number
}

async function standingOf(db: Db, memberId: string, activityId: string): Promise<Standing> {
  const [row] = await queryRows<{ awarded: number; taken: number; given: number; changes: number }>(
    db,
    sql`select coalesce(sum((details->>'points')::int) filter (where kind = 'earn' and rule_id is not null), 0)::int as awarded,
               coalesce(sum((details->>'points')::int) filter (where kind = 'reverse'), 0)::int as taken,
               coalesce(sum((details->>'points')::int) filter (where kind = 'earn' and rule_id is null), 0)::int as given,
               count(*) filter (where kind = 'reverse' or (kind = 'earn' and rule_id is null))::int as changes
          from ledger_entries where member_id = ${memberId} and activity_id = ${activityId}`,
  )
  return { awarded: row.awarded, held: row.awarded - row.taken + row.given, changes: row.changes }
}

/**
 * Takes back what an activity earned (a review moderators hid): first from what is still pending
 * for it, then from the balance (owed when it is spent). Nothing when it holds nothing; in the
 * caller's transaction, under the member's balance lock, so two moderators never take twice.
 */
export async function takeBackActivityPoints(db: Db, { memberId, activityId, why, now, expiryMonths }: ActivityPointsChange): Promise<number> {
  const balances = await lockBalances(db, [memberId])
  const balance = balances.get(memberId) as NonNullable<ReturnType<typeof balances.get>>
  const { held, changes } = await standingOf(db, memberId, activityId)
  if (held <= 0) return 0
  const holds = await queryRows<{ entry_id: string; remaining: number }>(
    db,
    sql`select entry_id, remaining from pending_points where member_id = ${memberId} and activity_id = ${activityId} and released_at is null and remaining > 0 order by entry_id`,
  )
  let fromPending = 0
  for (const hold of holds) {
    const take = Math.min(hold.remaining, held - fromPending)
    if (take <= 0) break
    fromPending += take
    await db.execute(sql`update pending_points set remaining = remaining - ${take} where member_id = ${memberId} and entry_id = ${hold.entry_id}`)
  }
  balance.pending -= fromPending
  const sums = new Map<string, number>()
  for (const p of [
    { account: 'pending', points: -fromPending },
    { account: 'program:issued', points: fromPending },
    ...(held - fromPending > 0 ? takeBackPostings(balance, held - fromPending, 'program:issued') : []),
  ])
    sums.set(p.account, (sums.get(p.account) ?? 0) + p.points)
  const entry: Entry = {
    memberId,
    kind: 'reverse',
    sourceKey: `${activityId}:change:${changes + 1}`,
    occurredAt: now,
    explanation: `−${held} taken back: ${why}`,
    activityId,
    details: { points: held, why },
    postings: [...sums].map(([account, points]) => ({ account: account as Entry['postings'][number]['account'], points })),
  }
  await postEntries(db, [entry], now, expiryMonths)
  return held
}

/** Gives back what takeBackActivityPoints took (a review restored), up to what its rules awarded. */
export async function restoreActivityPoints(db: Db, { memberId, activityId, why, now, expiryMonths }: ActivityPointsChange): Promise<number> {
  const balances = await lockBalances(db, [memberId])
  const balance = balances.get(memberId) as NonNullable<ReturnType<typeof balances.get>>
  const { awarded, held, changes } = await standingOf(db, memberId, activityId)
  const points = awarded - held
  if (points <= 0) return 0
  await postEntries(
    db,
    [
      {
        memberId,
        kind: 'earn',
        sourceKey: `${activityId}:change:${changes + 1}`,
        occurredAt: now,
        explanation: `+${points} given back: ${why}`,
        activityId,
        details: { points, why },
        postings: creditPostings(balance, points, 'program:issued'),
      },
    ],
    now,
    expiryMonths,
  )
  return points
}

export interface ActivityPointsChange {
  memberId: string
  activityId: string
  /** What the member reads in their points history: "your review of Linen shirt was hidden by a moderator". */
  why: string
  now: Date
  expiryMonths: number
}
