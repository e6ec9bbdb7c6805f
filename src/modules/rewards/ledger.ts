import { sql } from 'drizzle-orm'
import { type Db, insertMany, queryRows } from '../../platform/db/index.js'
import { DomainError } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { ledgerEntries, ledgerPostings, pointsBalances, pointsLots } from './schema.js'

export type Account = (typeof ledgerPostings.$inferInsert)['account']
export type EntryKind = (typeof ledgerEntries.$inferInsert)['kind']
export interface Balance {
  available: number
  pending: number
  reserved: number
  owed: number
}
const memberAccounts = ['available', 'pending', 'reserved', 'owed'] as const

export interface Entry {
  memberId: string
  kind: EntryKind
  sourceKey: string
  occurredAt: Date
  explanation: string
  ruleId?: string | null
  ruleVersion?: number | null
  activityId?: string | null
  details?: Record<string, unknown>
  postings: { account: Account; points: number }[]
}

export class NotEnoughPoints extends DomainError {
  constructor(memberId: string, needed: number, available: number) {
    super(
      '/problems/not-enough-points',
      409,
      'The member does not have enough points',
      { memberId, needed, available },
      `This needs ${needed} points; ${available} are available.`,
    )
  }
}

const byMember = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Locks the members' balance rows (creating empty ones), in member order so two transactions never
 * deadlock, and returns them. Everything that changes a member's points happens under this lock.
 */
export async function lockBalances(db: Db, memberIds: string[]): Promise<Map<string, Balance>> {
  const ids = [...new Set(memberIds)].sort(byMember)
  if (ids.length === 0) return new Map()
  await db.execute(sql`insert into ${pointsBalances} (member_id) select unnest(${sql.param(ids)}::uuid[]) order by 1 on conflict do nothing`)
  const rows = await queryRows<{ member_id: string } & Balance>(
    db,
    sql`select member_id, available, pending, reserved, owed from ${pointsBalances} where member_id = any(${sql.param(ids)}::uuid[]) order by member_id for update`,
  )
  return new Map(rows.map(({ member_id, ...balance }) => [member_id, balance]))
}

/**
 * Posts entries whose postings each sum to zero; an entry whose (member, kind, source) was posted
 * before is skipped, so replays post nothing. Balances and lots follow in the same statements.
 * Call with the members' balances locked. Returns the entries actually posted.
 */
export async function postEntries(db: Db, entries: Entry[], now: Date, expiryMonths: number, { lots = true } = {}): Promise<(Entry & { id: string })[]> {
  const withIds = entries
    .filter((e) => e.postings.some((p) => p.points !== 0))
    .map((e) => {
      const sum = e.postings.reduce((total, p) => total + p.points, 0)
      if (sum !== 0) throw new Error(`ledger entry ${e.kind} ${e.sourceKey} does not balance (${sum})`)
      return { ...e, id: newId(), postings: e.postings.filter((p) => p.points !== 0) }
    })
  if (withIds.length === 0) return []
  const posted = new Set(
    (
      await insertMany<typeof ledgerEntries, { id: string }>(
        db,
        ledgerEntries,
        withIds.map((e) => ({
          id: e.id,
          memberId: e.memberId,
          kind: e.kind,
          sourceKey: e.sourceKey,
          occurredAt: e.occurredAt,
          postedAt: now,
          ruleId: e.ruleId ?? null,
          ruleVersion: e.ruleVersion ?? null,
          activityId: e.activityId ?? null,
          explanation: e.explanation,
          details: e.details ?? {},
        })),
        sql`on conflict do nothing returning id`,
      )
    ).map((r) => r.id),
  )
  const fresh = withIds.filter((e) => posted.has(e.id))
  if (fresh.length === 0) return []
  await insertMany(
    db,
    ledgerPostings,
    fresh.flatMap((e) => e.postings.map((p) => ({ memberId: e.memberId, entryId: e.id, account: p.account, points: p.points }))),
  )

  // Balances: one row per member, whatever the number of entries.
  const deltas = new Map<string, Balance>()
  for (const e of fresh) {
    const delta = deltas.get(e.memberId) ?? { available: 0, pending: 0, reserved: 0, owed: 0 }
    for (const p of e.postings) if ((memberAccounts as readonly string[]).includes(p.account)) delta[p.account as keyof Balance] += p.points
    deltas.set(e.memberId, delta)
  }
  const members = [...deltas.keys()].sort(byMember)
  const column = (account: keyof Balance) => sql.param(members.map((m) => (deltas.get(m) as Balance)[account]))
  await db.execute(
    sql`update ${pointsBalances} b set available = b.available + d.available, pending = b.pending + d.pending, reserved = b.reserved + d.reserved, owed = b.owed + d.owed
          from unnest(${sql.param(members)}::uuid[], ${column('available')}::int[], ${column('pending')}::int[], ${column('reserved')}::int[], ${column('owed')}::int[])
               as d(member_id, available, pending, reserved, owed)
         where b.member_id = d.member_id`,
  )

  // Lots: points coming into `available` start a lot; points leaving it spend the oldest lots first.
  // (A merge moves lots itself, dates and all.)
  if (!lots) return fresh
  const expires = new Date(now)
  expires.setUTCMonth(expires.getUTCMonth() + expiryMonths)
  const credits = fresh.flatMap((e) => {
    const points = e.postings.filter((p) => p.account === 'available' && p.points > 0).reduce((s, p) => s + p.points, 0)
    return points > 0
      ? [{ memberId: e.memberId, entryId: e.id, earnedAt: now, expiresAt: (e.details?.lotExpiresAt as Date | undefined) ?? expires, points, remaining: points }]
      : []
  })
  await insertMany(db, pointsLots, credits)
  const debits = new Map<string, number>()
  for (const e of fresh)
    for (const p of e.postings) if (p.account === 'available' && p.points < 0) debits.set(e.memberId, (debits.get(e.memberId) ?? 0) - p.points)
  if (debits.size) await spendOldestLots(db, debits)
  return fresh
}

/** Takes points from each member's oldest lots first (those expire first). */
async function spendOldestLots(db: Db, debits: Map<string, number>) {
  const members = [...debits.keys()].sort(byMember)
  await db.execute(
    sql`with debit as (select * from unnest(${sql.param(members)}::uuid[], ${sql.param(members.map((m) => debits.get(m)))}::int[]) as d(member_id, points)),
             ordered as (
               select l.member_id, l.entry_id, l.remaining, d.points,
                      sum(l.remaining) over (partition by l.member_id order by l.expires_at, l.entry_id) as running
                 from ${pointsLots} l join debit d on d.member_id = l.member_id
                where l.remaining > 0)
        update ${pointsLots} l set remaining = least(o.remaining, greatest(0, o.running - o.points))
          from ordered o
         where l.member_id = o.member_id and l.entry_id = o.entry_id and o.running - o.remaining < o.points`,
  )
}

/** Points coming to a member: what they owe from earlier returns is paid off first. */
export function creditPostings(balance: Balance, points: number, from: Account): Entry['postings'] {
  const repay = Math.min(points, -balance.owed)
  balance.owed += repay
  balance.available += points - repay
  return [
    { account: from, points: -points },
    { account: 'owed', points: repay },
    { account: 'available', points: points - repay },
  ]
}

/** Points taken back (a return): from what is available, the rest owed; never below zero. */
export function takeBackPostings(balance: Balance, points: number, to: Account): Entry['postings'] {
  const taken = Math.min(points, balance.available)
  balance.available -= taken
  balance.owed -= points - taken
  return [
    { account: 'available', points: -taken },
    { account: 'owed', points: -(points - taken) },
    { account: to, points },
  ]
}

export async function balanceOf(db: Db, memberId: string): Promise<Balance> {
  const [row] = await queryRows<Balance>(db, sql`select available, pending, reserved, owed from ${pointsBalances} where member_id = ${memberId}`)
  return row ?? { available: 0, pending: 0, reserved: 0, owed: 0 }
}
