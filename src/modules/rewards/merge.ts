import { sql } from 'drizzle-orm'
import { type Db, queryRows, rehomeRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { type Balance, type Entry, lockBalances, postEntries } from './ledger.js'

interface Moved {
  balance: Balance
  lots: string[]
  pending: string[]
  redemptions: string[]
}

const transfer = (memberId: string, sign: 1 | -1, balance: Balance, why: string, now: Date): Entry => {
  const total = balance.available + balance.pending + balance.reserved + balance.owed
  return {
    memberId,
    kind: 'transfer',
    sourceKey: newId(),
    occurredAt: now,
    explanation: why,
    details: { points: sign * total },
    postings: [
      { account: 'available', points: sign * balance.available },
      { account: 'pending', points: sign * balance.pending },
      { account: 'reserved', points: sign * balance.reserved },
      { account: 'owed', points: sign * balance.owed },
      { account: 'program:transferred', points: -sign * total },
    ],
  }
}

/**
 * A merge moves the merged member's points to the survivor: balances by a pair of transfer
 * entries (each balancing against the programme's transfer account), and the lots, pending holds
 * and redemptions themselves, so expiry dates and return windows carry over.
 */
export async function mergePoints(db: Db, mergedId: string, survivorId: string): Promise<Moved> {
  const balances = await lockBalances(db, [mergedId, survivorId])
  const balance = balances.get(mergedId) as Balance
  const now = new Date()
  const entries = [
    transfer(mergedId, -1, balance, 'Points moved to the membership this one was merged into', now),
    transfer(survivorId, 1, balance, 'Points from a merged membership', now),
  ]
  await postEntries(db, entries, now, 0, { lots: false })
  const lots = await rehomeRows<{ entry_id: string }>(db, 'points_lots', mergedId, survivorId, { returning: 'entry_id' })
  const pending = await rehomeRows<{ entry_id: string }>(db, 'pending_points', mergedId, survivorId, { returning: 'entry_id' })
  const moved = await rehomeRows<{ id: string }>(db, 'redemptions', mergedId, survivorId, { returning: 'id' })
  return { balance, lots: lots.map((l) => l.entry_id), pending: pending.map((p) => p.entry_id), redemptions: moved.map((r) => r.id) }
}

/**
 * Undoes a merge's move of points: what is left of the moved lots, holds and reservations goes
 * back (points spent since the merge stay spent), with the matching transfer entries.
 */
export async function unmergePoints(db: Db, mergedId: string, survivorId: string, moved: Moved) {
  const balances = await lockBalances(db, [mergedId, survivorId])
  const survivor = balances.get(survivorId) as Balance
  const sum = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(db, query))[0].n
  const back: Balance = {
    available: moved.lots.length
      ? await sum(
          sql`select coalesce(sum(remaining), 0)::int as n from points_lots where member_id = ${survivorId} and entry_id = any(${sql.param(moved.lots)}::uuid[])`,
        )
      : 0,
    pending: moved.pending.length
      ? await sum(
          sql`select coalesce(sum(remaining), 0)::int as n from pending_points where member_id = ${survivorId} and released_at is null and entry_id = any(${sql.param(moved.pending)}::uuid[])`,
        )
      : 0,
    reserved: moved.redemptions.length
      ? await sum(
          sql`select coalesce(sum(points), 0)::int as n from redemptions where member_id = ${survivorId} and status = 'reserved' and id = any(${sql.param(moved.redemptions)}::uuid[])`,
        )
      : 0,
    owed: Math.max(moved.balance.owed, survivor.owed),
  }
  const now = new Date()
  await postEntries(
    db,
    [transfer(survivorId, -1, back, 'Points moved back: the merge was undone', now), transfer(mergedId, 1, back, 'Points back from an undone merge', now)],
    now,
    0,
    { lots: false },
  )
  const only = (column: string, ids: string[]) => ({ only: sql`${sql.raw(column)} = any(${sql.param(ids)}::uuid[])`, returning: column })
  if (moved.lots.length) await rehomeRows(db, 'points_lots', survivorId, mergedId, only('entry_id', moved.lots))
  if (moved.pending.length) await rehomeRows(db, 'pending_points', survivorId, mergedId, only('entry_id', moved.pending))
  if (moved.redemptions.length) await rehomeRows(db, 'redemptions', survivorId, mergedId, only('id', moved.redemptions))
}
