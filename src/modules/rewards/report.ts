import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

/** What the programme owes members now, and how points moved month by month. */
export async function ledgerReport(db: Db) {
  const [liability] = await queryRows<{ available: number; pending: number; reserved: number; owed: number }>(
    db,
    sql`select coalesce(sum(available), 0)::int as available, coalesce(sum(pending), 0)::int as pending,
               coalesce(sum(reserved), 0)::int as reserved, coalesce(sum(owed), 0)::int as owed from points_balances`,
  )
  const months = await queryRows<{ month: string; issued: number; redeemed: number; expired: number; adjusted: number }>(
    db,
    sql`select to_char(date_trunc('month', e.occurred_at at time zone 'UTC'), 'YYYY-MM') as month,
               coalesce(-sum(p.points) filter (where p.account = 'program:issued'), 0)::int as issued,
               coalesce(sum(p.points) filter (where p.account = 'program:redeemed'), 0)::int as redeemed,
               coalesce(sum(p.points) filter (where p.account = 'program:expired'), 0)::int as expired,
               coalesce(-sum(p.points) filter (where p.account = 'program:adjusted'), 0)::int as adjusted
          from ledger_entries e join ledger_postings p on p.member_id = e.member_id and p.entry_id = e.id
         group by 1 order by 1`,
  )
  return { liability, months }
}
