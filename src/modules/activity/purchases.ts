import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

/**
 * What others may ask of purchases without reading our tables: whether members bought a product
 * (on any channel: a verified purchase), where products sell, and what a sku is called.
 */

/** `memberId|sku` for each pair where the member's own activity has a purchase line of the sku. */
export async function boughtProducts(db: Db, pairs: { memberId: string; sku: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set()
  const rows = await queryRows<{ member_id: string; sku: string }>(
    db,
    sql`select distinct p.member_id, p.sku
          from unnest(${sql.param(pairs.map((p) => p.memberId))}::uuid[], ${sql.param(pairs.map((p) => p.sku))}::text[]) as p(member_id, sku)
         where exists (select 1 from activity_lines l join activities a on a.member_id = l.member_id and a.id = l.activity_id
                        where l.member_id = p.member_id and l.sku = p.sku and l.quantity > 0 and a.kind = 'purchase')`,
  )
  return new Set(rows.map((r) => `${r.member_id}|${r.sku}`))
}

/** The stores each sku was sold in, for routing questions to associates who know it. */
export async function storesSelling(db: Db, skus: string[]): Promise<Map<string, string[]>> {
  if (skus.length === 0) return new Map()
  const rows = await queryRows<{ sku: string; store_ids: string[] }>(
    db,
    sql`select l.sku, array_agg(distinct a.store_id) as store_ids
          from activity_lines l join activities a on a.member_id = l.member_id and a.id = l.activity_id
         where l.sku = any(${sql.param([...new Set(skus)])}::text[]) and a.store_id is not null and a.kind = 'purchase'
         group by l.sku`,
  )
  return new Map(rows.map((r) => [r.sku, r.store_ids]))
}

export interface ProductName {
  sku: string
  name: string
  brand: string | null
  category: string[]
  priceMinor: number | null
  currency: string
  inStock: boolean
}

/** The catalogue's names for skus (unknown skus are left out). */
export async function productNames(db: Db, skus: string[]): Promise<Map<string, ProductName>> {
  if (skus.length === 0) return new Map()
  const rows = await queryRows<{
    sku: string
    name: string
    brand: string | null
    category: string[]
    price_minor: string | number | null
    currency: string
    in_stock: boolean
  }>(db, sql`select sku, name, brand, category, price_minor, currency, in_stock from products where sku = any(${sql.param([...new Set(skus)])}::text[])`)
  return new Map(
    rows.map((r) => [
      r.sku,
      {
        sku: r.sku,
        name: r.name,
        brand: r.brand,
        category: r.category,
        priceMinor: r.price_minor === null ? null : Number(r.price_minor),
        currency: r.currency,
        inStock: r.in_stock,
      },
    ]),
  )
}
