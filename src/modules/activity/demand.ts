import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

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
