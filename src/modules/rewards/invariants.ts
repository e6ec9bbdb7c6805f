import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

/**
 * What must always hold in the ledger, as a list of what does not (empty when all is well):
 * every entry sums to zero; each balance is the sum of its postings and never negative; what is
 * available is exactly what the lots still hold; what is pending is what the holds still hold.
 */
export async function ledgerProblems(db: Db): Promise<string[]> {
  const unbalanced = await queryRows<{ entry_id: string; sum: number }>(
    db,
    sql`select entry_id, sum(points)::int as sum from ledger_postings group by member_id, entry_id having sum(points) <> 0`,
  )
  const drifted = await queryRows<{ member_id: string; account: string; balance: number; postings: number }>(
    db,
    sql`with sums as (
          select member_id, account, sum(points)::int as postings from ledger_postings
           where account in ('available', 'pending', 'reserved', 'owed') group by 1, 2)
        select b.member_id, a.account, a.balance, coalesce(s.postings, 0) as postings
          from points_balances b
          cross join lateral (values ('available', b.available), ('pending', b.pending), ('reserved', b.reserved), ('owed', b.owed)) as a(account, balance)
          left join sums s on s.member_id = b.member_id and s.account = a.account
         where a.balance <> coalesce(s.postings, 0)`,
  )
  const lots = await queryRows<{ member_id: string; available: number; lots: number }>(
    db,
    sql`select b.member_id, b.available, coalesce((select sum(remaining) from points_lots l where l.member_id = b.member_id), 0)::int as lots
          from points_balances b
         where b.available <> coalesce((select sum(remaining) from points_lots l where l.member_id = b.member_id), 0)`,
  )
  const holds = await queryRows<{ member_id: string; pending: number; holds: number }>(
    db,
    sql`select b.member_id, b.pending, coalesce((select sum(remaining) from pending_points p where p.member_id = b.member_id and p.released_at is null), 0)::int as holds
          from points_balances b
         where b.pending <> coalesce((select sum(remaining) from pending_points p where p.member_id = b.member_id and p.released_at is null), 0)`,
  )
  const negative = await queryRows<{ member_id: string }>(
    db,
    sql`select member_id from points_balances where available < 0 or pending < 0 or reserved < 0 or owed > 0`,
  )
  return [
    ...unbalanced.map((u) => `entry ${u.entry_id} sums to ${u.sum}`),
    ...drifted.map((d) => `member ${d.member_id} ${d.account} is ${d.balance} but its postings sum to ${d.postings}`),
    ...lots.map((l) => `member ${l.member_id} has ${l.available} available but lots hold ${l.lots}`),
    ...holds.map((h) => `member ${h.member_id} has ${h.pending} pending but holds keep ${h.holds}`),
    ...negative.map((n) => `member ${n.member_id} has a negative balance`),
  ]
}
