import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import { activities, stores } from '../activity/index.js'
import { members } from '../members/index.js'

/**
 * The leadership overview: members, how many are active, how many come back, and sales by month,
 * channel and store over the last `months` months (ending at `asOf`). Sales come from the monthly
 * sums the insights refresh keeps (this month's and last month's every few minutes). With `stores`
 * (a store manager, a store's key, `?store=`): the members whose home store it is, and the sales
 * made at those stores.
 */
export async function overview(db: Db, { months, asOf, stores: only, currency }: { months: number; asOf: Date; stores?: string[]; currency: string }) {
  const fromMonth = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - months + 1, 1)).toISOString().slice(0, 10)
  const since90 = new Date(asOf.getTime() - 90 * 86_400_000)
  const storeList = only && sql`${sql.param(only)}::uuid[]`
  const homeMembers = storeList ? sql`member_id in (select id from ${members} where home_store_id = any(${storeList}))` : sql`true`
  const [[counts], salesByMonth, channelMix, storeSales] = await Promise.all([
    queryRows<{ members: number; active: number; buyers: number; repeaters: number }>(
      db,
      sql`with buys as (
            select member_id, count(distinct coalesce(order_ref, id::text)) as orders
              from ${activities} where kind = 'purchase' and occurred_at < ${asOf} and ${homeMembers} group by member_id)
          select (select count(*) from ${members} where merged_into is null ${storeList ? sql`and home_store_id = any(${storeList})` : sql``})::int as members,
                 (select count(distinct member_id) from ${activities} where occurred_at >= ${since90} and occurred_at < ${asOf} and ${homeMembers})::int as active,
                 (select count(*) from buys)::int as buyers,
                 (select count(*) from buys where orders >= 2)::int as repeaters`,
    ),
    queryRows<{ month: string; sales_minor: number; orders: number; members: number }>(
      db,
      storeList
        ? sql`select to_char(month, 'YYYY-MM') as month, sum(sales_minor)::bigint as sales_minor, sum(orders)::int as orders, sum(members)::int as members
                from sales_months where dimension = 'store' and key = any(${storeList}::text[]) and month >= ${fromMonth}::date
               group by month order by month`
        : sql`select to_char(month, 'YYYY-MM') as month, sales_minor, orders, members
                from sales_months where dimension = 'total' and month >= ${fromMonth}::date order by month`,
    ),
    // Members per channel: buying members in an average month of the period.
    storeList
      ? queryRows<{ channel: string; members: number; sales_minor: number }>(
          db,
          sql`select channel, round(avg(members))::int as members, sum(sales_minor)::bigint as sales_minor
                from (select channel, date_trunc('month', occurred_at) as month, count(distinct member_id) as members, coalesce(sum(total_minor), 0) as sales_minor
                        from ${activities}
                       where kind in ('purchase', 'return') and occurred_at >= ${fromMonth}::date and occurred_at < ${asOf} and ${homeMembers}
                       group by 1, 2) by_month
               group by channel order by sales_minor desc`,
        )
      : queryRows<{ channel: string; members: number; sales_minor: number }>(
          db,
          sql`select key as channel, round(avg(members))::int as members, sum(sales_minor)::bigint as sales_minor
                from sales_months where dimension = 'channel' and month >= ${fromMonth}::date
               group by key order by sales_minor desc`,
        ),
    queryRows<{ store_code: string; store_name: string; sales_minor: number; orders: number }>(
      db,
      sql`select s.code as store_code, s.name as store_name, coalesce(sum(m.sales_minor), 0)::bigint as sales_minor, coalesce(sum(m.orders), 0)::int as orders
            from ${stores} s left join sales_months m on m.dimension = 'store' and m.key = s.id::text and m.month >= ${fromMonth}::date
           ${storeList ? sql`where s.id = any(${storeList})` : sql``}
           group by s.code, s.name order by s.code`,
    ),
  ])
  return {
    members: counts.members,
    activeMembers90d: counts.active,
    repeatRate: counts.buyers ? counts.repeaters / counts.buyers : 0,
    salesByMonth: salesByMonth.map((r) => ({ month: r.month, salesMinor: Number(r.sales_minor), orders: r.orders, members: r.members })),
    channelMix: channelMix.map((r) => ({ channel: r.channel, members: r.members, salesMinor: Number(r.sales_minor) })),
    storeSales: storeSales.map((r) => ({ storeCode: r.store_code, storeName: r.store_name, salesMinor: Number(r.sales_minor), orders: r.orders })),
    currency,
  }
}
