import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { defineJob, type Job } from '../../platform/jobs/index.js'
import { publish } from '../../platform/outbox/index.js'
import { creditPostings, type Entry, lockBalances, postEntries } from './ledger.js'
import { cancelRedemption } from './redeem.js'
import { rewardReferrals } from './referrals.js'
import { evaluateTiers } from './tiers.js'

type JobDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>
const batch = 1000

/** Pending points whose return window closed become spendable (paying off anything owed first). */
export async function releasePendingPoints({ db, clock, config }: JobDeps) {
  let released = 0
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const now = clock.now()
      const due = await queryRows<{ member_id: string; entry_id: string; remaining: number; activity_id: string }>(
        tx,
        sql`select member_id, entry_id, remaining, activity_id from pending_points where released_at is null and release_at <= ${now} order by member_id, entry_id limit ${batch}`,
      )
      if (due.length === 0) return 0
      const balances = await lockBalances(
        tx,
        due.map((d) => d.member_id),
      )
      const entries: Entry[] = due
        .filter((d) => d.remaining > 0)
        .map((d) => ({
          memberId: d.member_id,
          kind: 'release',
          sourceKey: d.entry_id,
          occurredAt: now,
          explanation: `${d.remaining} points are yours to spend: the return window closed`,
          activityId: d.activity_id,
          details: { points: d.remaining },
          postings: creditPostings(balances.get(d.member_id) as NonNullable<ReturnType<typeof balances.get>>, d.remaining, 'pending'),
        }))
      await postEntries(tx, entries, now, config.pointsExpiryMonths)
      await tx.execute(
        sql`update pending_points p set released_at = ${now} from unnest(${sql.param(due.map((d) => d.member_id))}::uuid[], ${sql.param(due.map((d) => d.entry_id))}::uuid[]) as d(member_id, entry_id)
             where p.member_id = d.member_id and p.entry_id = d.entry_id`,
      )
      return due.length
    })
    released += done
    if (done < batch) return released
  }
}

/** Lots past their date expire, oldest first; members were told a month before (remindExpiringPoints). */
export async function expirePoints({ db, clock, config }: JobDeps) {
  let expired = 0
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const now = clock.now()
      const due = await queryRows<{ member_id: string; entry_id: string; remaining: number }>(
        tx,
        sql`select member_id, entry_id, remaining from points_lots where remaining > 0 and expires_at <= ${now} order by member_id, entry_id limit ${batch}`,
      )
      if (due.length === 0) return 0
      await lockBalances(
        tx,
        due.map((d) => d.member_id),
      )
      await postEntries(
        tx,
        due.map((d) => ({
          memberId: d.member_id,
          kind: 'expire',
          sourceKey: d.entry_id,
          occurredAt: now,
          explanation: `−${d.remaining} expired`,
          details: { points: d.remaining },
          postings: [
            { account: 'available', points: -d.remaining },
            { account: 'program:expired', points: d.remaining },
          ],
        })),
        now,
        config.pointsExpiryMonths,
      )
      return due.length
    })
    expired += done
    if (done < batch) return expired
  }
}

/** Tells members (through the outbox: e-mail, app) about points expiring within 30 days, once per lot. */
export async function remindExpiringPoints({ db, clock }: JobDeps) {
  return db.transaction(async (tx) => {
    const now = clock.now()
    const soon = new Date(now.getTime() + 30 * 86_400_000)
    const lots = await queryRows<{ member_id: string; points: number; expires_at: Date }>(
      tx,
      sql`update points_lots set reminded_at = ${now} where remaining > 0 and reminded_at is null and expires_at <= ${soon}
          returning member_id, remaining as points, expires_at`,
    )
    const byMember = new Map<string, { points: number; expiresAt: Date }>()
    for (const lot of lots) {
      const seen = byMember.get(lot.member_id)
      const expiresAt = new Date(lot.expires_at)
      byMember.set(lot.member_id, { points: (seen?.points ?? 0) + lot.points, expiresAt: seen && seen.expiresAt < expiresAt ? seen.expiresAt : expiresAt })
    }
    await publish(
      tx,
      now,
      [...byMember].map(([memberId, r]) => ({ topic: 'points.expiring', memberId, payload: { points: r.points, expiresAt: r.expiresAt.toISOString() } })),
    )
    return byMember.size
  })
}

/** Till holds nobody confirmed give their points back. */
export async function lapseReservations(deps: JobDeps) {
  const due = await queryRows<{ id: string }>(
    deps.db,
    sql`select id from redemptions where status = 'reserved' and expires_at <= ${deps.clock.now()} limit 1000`,
  )
  for (const { id } of due) await cancelRedemption(deps, id, 'expired')
  return due.length
}

/**
 * Everything time moves on (the rewards-housekeeping job, every five minutes);
 * `nightly` also re-scores every member's tier (the tier-review job).
 */
export async function runRewardJobs(deps: JobDeps, { nightly = false } = {}) {
  const done = {
    released: await releasePendingPoints(deps),
    reminded: await remindExpiringPoints(deps),
    expired: await expirePoints(deps),
    lapsedReservations: await lapseReservations(deps),
    referralsRewarded: await rewardReferrals(deps),
  }
  if (!nightly) return { ...done, tiers: null }
  return { ...done, tiers: await deps.db.transaction((tx) => evaluateTiers(tx, deps.clock.now())) }
}

/** Points housekeeping every five minutes; tiers re-scored for everyone each night. */
export const jobs: Job[] = [
  defineJob({
    name: 'rewards-housekeeping',
    title: 'Points housekeeping',
    description: 'Releases pending points whose return window closed, reminds and expires old points, lapses till holds, rewards referrals.',
    schedule: '*/5 * * * *',
    run: (deps) => runRewardJobs(deps),
    summarise: (done) =>
      `Released ${done.released} pending holds, reminded ${done.reminded} members, expired ${done.expired} lots, lapsed ${done.lapsedReservations} till holds, rewarded ${done.referralsRewarded} referrals.`,
  }),
  defineJob({
    name: 'tier-review',
    title: 'Tier review',
    description: "Re-scores every member's tier over the rolling window; downgrades after the grace period happen here (members who earn move up at once).",
    schedule: '0 2 * * *',
    heavy: true,
    timeoutMinutes: 60,
    run: (deps) => deps.db.transaction((tx) => evaluateTiers(tx, deps.clock.now())),
    summarise: (tiers) => `Tiers: ${tiers.evaluated} members scored, ${tiers.upgraded} up, ${tiers.downgraded} down, ${tiers.inGrace} in their grace period.`,
  }),
]
