import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, insertMany, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { memberTiers, tierHistory, tierPolicy, tiers } from './schema.js'

export interface Tier {
  code: string
  name: string
  threshold: number
  perks: string[]
}
export interface TierPolicy {
  spendWeight: number
  participationWeight: number
  windowMonths: number
  graceDays: number
}
export interface TierSetup {
  tiers: Tier[]
  policy: TierPolicy
}

const defaultSetup: TierSetup = {
  tiers: [{ code: 'member', name: 'Member', threshold: 0, perks: [] }],
  policy: { spendWeight: 1, participationWeight: 1, windowMonths: 12, graceDays: 60 },
}

export class InvalidTiers extends DomainError {
  constructor(detail: string) {
    super('/problems/invalid-tiers', 400, 'The tiers are not valid', {}, detail)
  }
}

export async function tierSetup(db: Db): Promise<TierSetup> {
  const rows = await db.select().from(tiers).orderBy(tiers.threshold)
  const [policy] = await db.select().from(tierPolicy)
  return {
    tiers: rows.length ? rows : defaultSetup.tiers,
    policy: policy
      ? { spendWeight: policy.spendWeight, participationWeight: policy.participationWeight, windowMonths: policy.windowMonths, graceDays: policy.graceDays }
      : defaultSetup.policy,
  }
}

/** Replaces the tiers and the scoring policy (admins; audited). Members move on the next evaluation. */
export async function saveTierSetup(deps: Pick<Deps, 'db' | 'clock'>, setup: TierSetup, actor: Principal) {
  const codes = new Set(setup.tiers.map((t) => t.code))
  if (codes.size !== setup.tiers.length) throw new InvalidTiers('Each tier needs its own code.')
  if (!setup.tiers.some((t) => t.threshold === 0)) throw new InvalidTiers('One tier must start at a score of 0, so every member has a tier.')
  if (new Set(setup.tiers.map((t) => t.threshold)).size !== setup.tiers.length) throw new InvalidTiers('Two tiers cannot share a threshold.')
  return deps.db.transaction(async (tx) => {
    const before = await tierSetup(tx)
    await tx.delete(tiers)
    await tx.insert(tiers).values(setup.tiers)
    await tx
      .insert(tierPolicy)
      .values({ id: 'default', ...setup.policy })
      .onConflictDoUpdate({ target: tierPolicy.id, set: setup.policy })
    await recordAudit(tx, deps.clock.now(), actor, { action: 'tiers.saved', targetKind: 'tiers', before, after: setup })
    return tierSetup(tx)
  })
}

/** The tier a score reaches. */
const tierFor = (ladder: Tier[], score: number) => [...ladder].reverse().find((t) => score >= t.threshold) ?? ladder[0]

/**
 * Scores members on spend and participation over the rolling window and moves them between tiers:
 * up at once, down only after the grace period (and not if the score recovers meanwhile), each
 * change kept in the member's tier history. Everyone, nightly and on demand; between runs each
 * batch of activity bumps its members' scores (bumpScores).
 */
export async function evaluateTiers(db: Db, now: Date) {
  const { tiers: ladder, policy } = await tierSetup(db)
  const since = new Date(now)
  since.setUTCMonth(since.getUTCMonth() - policy.windowMonths)
  const rows = await queryRows<{ member_id: string; score: number; tier: string | null; since: Date | null; downgrade_at: Date | null }>(
    db,
    sql`with spend as (select member_id, sum(total_minor) as minor from activities where kind in ('purchase', 'return') and occurred_at >= ${since} group by 1),
             part as (select member_id, sum((details->>'points')::int) as points from ledger_entries
                       where kind = 'earn' and coalesce(details->>'activityKind', 'purchase') <> 'purchase' and occurred_at >= ${since} group by 1)
        select m.id as member_id,
               greatest(0, floor(coalesce(spend.minor, 0) / 100.0) * ${policy.spendWeight} + coalesce(part.points, 0) * ${policy.participationWeight})::int as score,
               t.tier, t.since, t.downgrade_at
          from members m left join spend on spend.member_id = m.id left join part on part.member_id = m.id left join member_tiers t on t.member_id = m.id
         where m.merged_into is null`,
  )
  const rank = new Map(ladder.map((t, i) => [t.code, i]))
  const graceEnds = new Date(now.getTime() + policy.graceDays * 86_400_000)
  let upgraded = 0
  let downgraded = 0
  const states: (typeof memberTiers.$inferInsert)[] = []
  const changes: (typeof tierHistory.$inferInsert)[] = []
  for (const row of rows) {
    const reached = tierFor(ladder, row.score)
    const current = row.tier && rank.has(row.tier) ? row.tier : null
    let tier = current ?? reached.code
    let downgradeAt: Date | null = null
    let since = row.since ? new Date(row.since) : now
    if (!current || (rank.get(reached.code) as number) > (rank.get(current) as number)) {
      if (current) upgraded++
      tier = reached.code
      since = now
    } else if ((rank.get(reached.code) as number) < (rank.get(current) as number)) {
      const due = row.downgrade_at ? new Date(row.downgrade_at) : graceEnds
      if (due <= now) {
        tier = reached.code
        since = now
        downgraded++
      } else downgradeAt = due
    }
    if (tier !== current) changes.push({ memberId: row.member_id, id: newId(), fromTier: current, toTier: tier, score: row.score, at: now })
    states.push({ memberId: row.member_id, tier, score: row.score, since, downgradeAt, evaluatedAt: now })
  }
  for (let i = 0; i < states.length; i += 10_000)
    await insertMany(
      db,
      memberTiers,
      states.slice(i, i + 10_000),
      sql`on conflict (member_id) do update set tier = excluded.tier, score = excluded.score, since = excluded.since, downgrade_at = excluded.downgrade_at, evaluated_at = excluded.evaluated_at`,
    )
  for (let i = 0; i < changes.length; i += 10_000) await insertMany(db, tierHistory, changes.slice(i, i + 10_000))
  return { evaluated: rows.length, upgraded, downgraded, inGrace: states.filter((s) => s.downgradeAt).length }
}

/** A member's tier, score, what the next tier needs, and how they got here. */
export async function tierOf(db: Db, memberId: string) {
  const { tiers: ladder } = await tierSetup(db)
  const [state] = await db.select().from(memberTiers).where(sql`${memberTiers.memberId} = ${memberId}`)
  const history = await db
    .select()
    .from(tierHistory)
    .where(sql`${tierHistory.memberId} = ${memberId}`)
    .orderBy(sql`${tierHistory.at} desc, ${tierHistory.id} desc`)
    .limit(20)
  const tier = ladder.find((t) => t.code === state?.tier) ?? ladder[0]
  const score = state?.score ?? 0
  const next = ladder.find((t) => t.threshold > tier.threshold)
  return {
    tier: tier.code,
    name: tier.name,
    perks: tier.perks,
    score,
    since: state?.since.toISOString() ?? null,
    downgradeAt: state?.downgradeAt?.toISOString() ?? null,
    next: next ? { tier: next.code, name: next.name, threshold: next.threshold, needed: Math.max(0, next.threshold - score) } : null,
    // Only a member who reached the last of several tiers is "at the top": a one-tier ladder, or a member never evaluated, is not.
    highest: !next && ladder.length > 1 && state !== undefined,
    history: history.map((h) => ({ from: h.fromTier, to: h.toTier, score: h.score, at: h.at.toISOString() })),
  }
}

/** Each member's tier code (the lowest tier for members never evaluated), for the earning rules. */
export async function tiersOf(db: Db, memberIds: string[]): Promise<Map<string, string>> {
  const rows = memberIds.length
    ? await queryRows<{ member_id: string; tier: string }>(
        db,
        sql`select member_id, tier from member_tiers where member_id = any(${sql.param([...new Set(memberIds)])}::uuid[])`,
      )
    : []
  return new Map(rows.map((r) => [r.member_id, r.tier]))
}

/**
 * Adds what just happened to members' scores (spend and participation, weighted) and moves up at
 * once anyone who now reaches a higher tier. Cheap enough for every batch of activity; the nightly
 * evaluation recomputes scores over the rolling window and handles downgrades.
 */
export async function bumpScores(db: Db, now: Date, bumps: { memberId: string; spendMinor: number; participationPoints: number }[]) {
  if (bumps.length === 0) return
  const { tiers: ladder, policy } = await tierSetup(db)
  const delta = new Map<string, number>()
  for (const b of bumps)
    delta.set(
      b.memberId,
      (delta.get(b.memberId) ?? 0) + Math.floor(b.spendMinor / 100) * policy.spendWeight + b.participationPoints * policy.participationWeight,
    )
  const members = [...delta.keys()].sort()
  const rows = await queryRows<{ member_id: string; tier: string; score: number; inserted: boolean }>(
    db,
    sql`insert into ${memberTiers} (member_id, tier, score, since, evaluated_at)
        select member_id, ${ladder[0].code}, greatest(0, d.score), ${now}, ${now}
          from unnest(${sql.param(members)}::uuid[], ${sql.param(members.map((m) => delta.get(m)))}::int[]) as d(member_id, score)
        on conflict (member_id) do update set score = greatest(0, ${memberTiers.score} + excluded.score), evaluated_at = excluded.evaluated_at
        returning member_id, tier, score, (xmax = 0) as inserted`,
  )
  const rank = new Map(ladder.map((t, i) => [t.code, i]))
  const up = rows.flatMap((r) => {
    const reached = tierFor(ladder, r.score)
    const current = rank.get(r.tier) ?? 0
    return (rank.get(reached.code) as number) > current || r.inserted ? [{ ...r, to: reached.code, from: r.inserted ? null : r.tier }] : []
  })
  const moved = up.filter((u) => u.to !== u.from)
  if (moved.length === 0) return
  await db.execute(
    sql`update ${memberTiers} t set tier = d.tier, since = ${now}, downgrade_at = null
          from unnest(${sql.param(moved.map((m) => m.member_id))}::uuid[], ${sql.param(moved.map((m) => m.to))}::text[]) as d(member_id, tier)
         where t.member_id = d.member_id`,
  )
  await insertMany(
    db,
    tierHistory,
    moved.map((m) => ({ memberId: m.member_id, id: newId(), fromTier: m.from, toTier: m.to, score: m.score, at: now })),
  )
}
