import { sql } from 'drizzle-orm'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { storesToReport } from '../activity/index.js'
import { InvalidPeriod } from './reports.js'
import type { Period } from './scorecards.js'

const dayMs = 86_400_000

/** A year earlier, day for day (29 February falls on 1 March). */
const yearBefore = (at: Date) => new Date(Date.UTC(at.getUTCFullYear() - 1, at.getUTCMonth(), at.getUTCDate()))

/** Sales of a period at some stores (undefined: all): every sale, and those linked to a member. */
async function salesFigures(db: Db, { from, to }: Period, stores?: string[]) {
  const atStores = stores ? sql`and store_id = any(${sql.param(stores)}::uuid[])` : sql``
  const [row] = await queryRows<{ member_orders: number; member_sales: number; other_orders: number; other_sales: number }>(
    db,
    sql`select (select count(*) filter (where kind = 'purchase') from activities
                 where kind in ('purchase', 'return') and occurred_at >= ${from} and occurred_at < ${to} ${atStores})::int as member_orders,
               (select coalesce(sum(total_minor), 0) from activities
                 where kind in ('purchase', 'return') and occurred_at >= ${from} and occurred_at < ${to} ${atStores})::bigint as member_sales,
               (select count(*) filter (where total_minor > 0) from unlinked_sales
                 where occurred_at >= ${from} and occurred_at < ${to} ${atStores})::int as other_orders,
               (select coalesce(sum(total_minor), 0) from unlinked_sales
                 where occurred_at >= ${from} and occurred_at < ${to} ${atStores})::bigint as other_sales`,
  )
  const orders = row.member_orders + row.other_orders
  const salesMinor = Number(row.member_sales) + Number(row.other_sales)
  return {
    salesMinor,
    orders,
    averageOrderMinor: orders ? Math.round(salesMinor / orders) : null,
    memberOrders: row.member_orders,
    memberSalesMinor: Number(row.member_sales),
    /** Orders linked to a member ÷ all orders, the member capture rate; null without orders. */
    captureRate: orders ? Number((row.member_orders / orders).toFixed(4)) : null,
  }
}

/**
 * The sales headline a manager reads: total sales, orders, average order value and the member capture
 * rate for a period (by default this month to date), beside the same days a year before.
 */
export async function salesReport(deps: Deps, caller: Principal, query: { from?: string; to?: string; store?: string }) {
  const stores = await storesToReport(deps.db, caller, query.store)
  const now = deps.clock.now()
  const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
  const monthToDate = !query.from && !query.to
  const to = query.to ? new Date(query.to) : tomorrow
  const from = query.from
    ? new Date(query.from)
    : monthToDate
      ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
      : new Date(to.getTime() - 30 * dayMs)
  if (from >= to) throw new InvalidPeriod()
  const lastYear = { from: yearBefore(from), to: yearBefore(to) }
  const [current, before] = await Promise.all([salesFigures(deps.db, { from, to }, stores), salesFigures(deps.db, lastYear, stores)])
  return {
    period: { from: from.toISOString(), to: to.toISOString() },
    lastYear: { from: lastYear.from.toISOString(), to: lastYear.to.toISOString() },
    monthToDate,
    current,
    previous: before,
    currency: deps.config.currency,
  }
}
