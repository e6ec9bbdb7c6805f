import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import { DomainError } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { type ledgerEntries, type ledgerPostings, pointsBalances } from './schema.js'

export type Account = (typeof ledgerPostings.$inferInsert)['account']
export type EntryKind = (typeof ledgerEntries.$inferInsert)['kind']
export interface Balance {
  available: number
  pending: number
  reserved: number
  owed: number
}

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
 * before is skipped, so replays post nothing. Balances and lots follow, in the database's
 * `post_ledger_entries` (sql/post_ledger_entries.sql): one round trip, and the one place posting is written,
 * which the till's redemptions use too. Call with the members' balances locked. Returns the
 * entries actually posted.
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
  const entriesJson = JSON.stringify(
    withIds.map((e) => ({
      id: e.id,
      member_id: e.memberId,
      kind: e.kind,
      source_key: e.sourceKey,
      occurred_at: e.occurredAt,
      rule_id: e.ruleId ?? null,
      rule_version: e.ruleVersion ?? null,
      activity_id: e.activityId ?? null,
      explanation: e.explanation,
      details: e.details ?? {},
      postings: e.postings,
    })),
  )
  const posted = await queryRows<{ id: string }>(
    db,
    sql`select id from post_ledger_entries(${entriesJson}::jsonb, ${now.toISOString()}::timestamptz, ${expiryMonths}::int, ${lots}) as id`,
  )
  const fresh = new Set(posted.map((r) => r.id))
  return withIds.filter((e) => fresh.has(e.id))
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
