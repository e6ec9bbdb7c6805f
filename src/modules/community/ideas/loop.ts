import { sql } from 'drizzle-orm'
import { queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { salesByMonth } from '../../activity/index.js'
import { getIdeaSettings } from './settings.js'

/**
 * Closing the loop, measured (docs/community.md#closing-the-loop): of the ideas shared in the window
 * (merged duplicates left out), the share answered within N days (among those at least N days old,
 * which all had the chance), the median days to the first answer (a status change or a staff
 * comment), and the share that became products; month by month beside net sales.
 */
export async function loopFigures(deps: Pick<Deps, 'db' | 'clock' | 'config'>, { months, storeIds }: { months: number; storeIds?: string[] }) {
  const now = deps.clock.now()
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1, 1))
  const { answeredWithinDays: days } = await getIdeaSettings(deps.db)
  const due = new Date(now.getTime() - days * 86_400_000)
  // A store-held manager sees their stores' ideas and sales.
  const held = storeIds ? sql`and store_id = any(${sql.param(storeIds)}::uuid[])` : sql``
  const [[totals], monthly, sales] = await Promise.all([
    queryRows<{ shared: number; due: number; answered_in_time: number; answered: number; median_days: number | null; launched: number }>(
      deps.db,
      sql`select count(*)::int as shared,
                 count(*) filter (where created_at <= ${due})::int as due,
                 count(*) filter (where created_at <= ${due} and first_answered_at <= created_at + make_interval(days => ${days}))::int as answered_in_time,
                 count(first_answered_at)::int as answered,
                 percentile_cont(0.5) within group (order by extract(epoch from first_answered_at - created_at) / 86400) as median_days,
                 count(*) filter (where status = 'in_stock' or exists (select 1 from idea_products p where p.idea_id = ideas.id))::int as launched
            from ideas where status <> 'merged' and created_at >= ${since} ${held}`,
    ),
    queryRows<{ month: string; shared: number; answered: number; launched: number }>(
      deps.db,
      sql`select to_char(date_trunc('month', created_at at time zone 'UTC'), 'YYYY-MM') as month, count(*)::int as shared,
                 count(first_answered_at)::int as answered, count(*) filter (where status = 'in_stock')::int as launched
            from ideas where status <> 'merged' and created_at >= ${since} ${held} group by 1 order by 1`,
    ),
    salesByMonth(deps.db, since, deps.config.currency, storeIds),
  ])
  const share = (part: number, whole: number) => (whole === 0 ? null : Number((part / whole).toFixed(3)))
  const byMonth = new Map(monthly.map((m) => [m.month, m]))
  const salesOf = new Map(sales.map((s) => [s.month, s.salesMinor]))
  const allMonths = Array.from({ length: months }, (_, i) => {
    const d = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth() + i, 1))
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
  })
  return {
    since: since.toISOString(),
    answeredWithinDays: days,
    ideasShared: totals.shared,
    answeredInTimeShare: share(totals.answered_in_time, totals.due),
    ideasDue: totals.due,
    answered: totals.answered,
    medianDaysToFirstAnswer: totals.median_days === null ? null : Number(Number(totals.median_days).toFixed(1)),
    becameProductsShare: share(totals.launched, totals.shared),
    launched: totals.launched,
    currency: deps.config.currency,
    months: allMonths.map((month) => ({
      month,
      ideasShared: byMonth.get(month)?.shared ?? 0,
      answered: byMonth.get(month)?.answered ?? 0,
      launched: byMonth.get(month)?.launched ?? 0,
      salesMinor: salesOf.get(month) ?? 0,
    })),
  }
}
