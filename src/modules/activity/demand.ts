import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { DemandSource } from '../../platform/demand.js'

/**
 * Reads of activity that the community's ideas and merchandising feed need, so they never take
 * activity's tables themselves.
 */

/**
 * Verified purchases (any channel) a member made of products in a category, or of anything when
 * `category` is null: purchase activities with at least one such line. `category` matches any level
 * of a product's path (`Coffee` and `Beans` both match `{Coffee,Beans}`), case-insensitively.
 */
export async function purchasesInCategory(db: Db, memberId: string, category: string | null): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    category === null
      ? sql`select count(*)::int as n from activities where member_id = ${memberId} and kind = 'purchase'`
      : sql`select count(*)::int as n from activities a
             where a.member_id = ${memberId} and a.kind = 'purchase'
               and exists (select 1 from activity_lines l join products p on p.sku = l.sku
                            where l.member_id = a.member_id and l.activity_id = a.id and l.quantity > 0
                              and exists (select 1 from unnest(p.category) c where lower(c) = lower(${category})))`,
  )
  return row?.n ?? 0
}

/**
 * The categories a member has bought in (any channel), at every level of the products' paths,
 * lower-cased: the purchases `purchasesInCategory` counts. A category idea or poll is "near" a
 * member who bought in its category (docs/community.md).
 */
export async function categoriesBoughtBy(db: Db, memberId: string): Promise<string[]> {
  const rows = await queryRows<{ category: string }>(
    db,
    sql`select distinct lower(c) as category
          from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id
          join products p on p.sku = l.sku cross join lateral unnest(p.category) c
         where a.member_id = ${memberId} and a.kind = 'purchase' and l.quantity > 0`,
  )
  return rows.map((r) => r.category)
}

/** One category's sales in a store (null: online) over a period, each level of the product's path counted. */
export interface CategorySales {
  category: string
  storeId: string | null
  units: number
  salesMinor: number
  currency: string
}

/** Sales since a moment, per category name and store, net of returns; in the stores' currencies. */
export async function salesByCategory(db: Db, since: Date, retailerCurrency: string): Promise<CategorySales[]> {
  const rows = await queryRows<{ category: string; store_id: string | null; units: number; sales_minor: number; currency: string }>(
    db,
    sql`select c as category, a.store_id, sum(l.quantity)::int as units,
               sum(l.quantity * l.unit_price_minor - sign(l.quantity) * l.discount_minor)::bigint as sales_minor,
               coalesce(a.currency, ${retailerCurrency}) as currency
          from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id
          join products p on p.sku = l.sku cross join lateral unnest(p.category) c
         where a.kind in ('purchase', 'return') and a.occurred_at >= ${since}
         group by 1, 2, 5`,
  )
  return rows.map((r) => ({ category: r.category, storeId: r.store_id, units: r.units, salesMinor: Number(r.sales_minor), currency: r.currency }))
}

/** Each product's name and category path, for the skus asked about (unknown skus are left out). */
export async function describeProducts(db: Db, skus: string[]): Promise<Map<string, { name: string; category: string[] }>> {
  if (skus.length === 0) return new Map()
  const rows = await queryRows<{ sku: string; name: string; category: string[] }>(
    db,
    sql`select sku, name, category from products where sku = any(${sql.param(skus)}::text[])`,
  )
  return new Map(rows.map((r) => [r.sku, { name: r.name, category: r.category }]))
}

/** The stores with their regions, for the feed's per-region sums. */
export async function storeRegions(db: Db): Promise<Map<string, { code: string; name: string; region: string | null }>> {
  const rows = await queryRows<{ id: string; code: string; name: string; region: string | null }>(db, sql`select id, code, name, region from stores`)
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name, region: r.region }]))
}

/** Which of these skus the catalogue has. */
export async function knownSkus(db: Db, skus: string[]): Promise<string[]> {
  if (skus.length === 0) return []
  const rows = await queryRows<{ sku: string }>(db, sql`select sku from products where sku = any(${sql.param(skus)}::text[])`)
  return rows.map((r) => r.sku)
}

/** The stores a member bought or visited in, most recent first (for "ideas near me"). */
export async function storesOfMember(db: Db, memberId: string): Promise<string[]> {
  const rows = await queryRows<{ store_id: string }>(
    db,
    sql`select store_id from activities where member_id = ${memberId} and store_id is not null
         group by store_id order by max(occurred_at) desc limit 5`,
  )
  return rows.map((r) => r.store_id)
}

/** Net sales per calendar month (UTC) since a moment, in the retailer's currency only (other currencies are left out, not converted). */
export async function salesByMonth(db: Db, since: Date, currency: string, storeIds?: string[]): Promise<{ month: string; salesMinor: number }[]> {
  const held = storeIds ? sql`and store_id = any(${sql.param(storeIds)}::uuid[])` : sql``
  const rows = await queryRows<{ month: string; sales_minor: number }>(
    db,
    sql`select to_char(date_trunc('month', occurred_at at time zone 'UTC'), 'YYYY-MM') as month, sum(total_minor)::bigint as sales_minor
          from activities where kind in ('purchase', 'return') and occurred_at >= ${since} and coalesce(currency, ${currency}) = ${currency} ${held}
         group by 1 order by 1`,
  )
  return rows.map((r) => ({ month: r.month, salesMinor: Number(r.sales_minor) }))
}

/** Every category name the catalogue uses, at any level of a path, alphabetically (at most 500). */
export async function catalogueCategories(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(db, sql`select distinct c as name from products cross join lateral unnest(category) c order by 1 limit 500`)
  return rows.map((r) => r.name)
}

/**
 * Back-in-stock requests: members waiting for a product that is out of stock now — they wished for it
 * (a `wishlist_add` on any channel since `since`) and have not bought it since. One per live member
 * and product; placed at the wish's store, else the member's home store (where they would buy it).
 */
export async function backInStockRequests(
  db: Db,
  since: Date,
): Promise<{ sku: string; name: string; category: string[]; storeId: string | null; members: number }[]> {
  const rows = await queryRows<{ sku: string; name: string; category: string[]; store_id: string | null; members: number }>(
    db,
    sql`select p.sku, p.name, p.category, w.store_id, count(*)::int as members
          from (select distinct on (coalesce(m.merged_into, m.id), a.details ->> 'sku')
                       coalesce(m.merged_into, m.id) as member_id, a.details ->> 'sku' as sku, coalesce(a.store_id, m.home_store_id) as store_id, a.occurred_at
                  from activities a join members m on m.id = a.member_id
                 where a.kind = 'wishlist_add' and a.occurred_at >= ${since} and a.details ? 'sku'
                 order by coalesce(m.merged_into, m.id), a.details ->> 'sku', a.occurred_at desc) w
          join products p on p.sku = w.sku and not p.in_stock
         where not exists (select 1 from activities b join members bm on bm.id = b.member_id
                             join activity_lines l on l.member_id = b.member_id and l.activity_id = b.id
                            where coalesce(bm.merged_into, bm.id) = w.member_id and b.kind = 'purchase' and l.sku = w.sku
                              and l.quantity > 0 and b.occurred_at >= w.occurred_at)
         group by p.sku, p.name, p.category, w.store_id`,
  )
  return rows.map((r) => ({ sku: r.sku, name: r.name, category: r.category, storeId: r.store_id, members: r.members }))
}

/** Every level of a category path; a product without one counts under no category. */
const levels = (path: string[]): (string | null)[] => (path.length ? path : [null])

/** The merchandising feed's back-in-stock requests (platform/demand.ts), per category level and store, with the products awaited. */
export const backInStockDemand: DemandSource = {
  name: 'back_in_stock',
  async collect(db, { since }) {
    const waiting = await backInStockRequests(db, since)
    return waiting.flatMap((w) => levels(w.category).map((category) => ({ category, storeId: w.storeId, measure: 'back_in_stock_requests', value: w.members })))
  },
  async findings(db, { since }) {
    const waiting = await backInStockRequests(db, since)
    return waiting.flatMap((w) =>
      levels(w.category).map((category) => ({ category, storeId: w.storeId, kind: 'back_in_stock' as const, sku: w.sku, product: w.name, members: w.members })),
    )
  },
}
