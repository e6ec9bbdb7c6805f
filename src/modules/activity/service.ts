import { and, asc, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm'
import { type Db, preparedRows, queryRows, rehomeRows } from '../../platform/db/index.js'
import { activities, activityLines, channels, products, stores } from './schema.js'

export type Store = typeof stores.$inferSelect
export type Product = typeof products.$inferInsert
export type ActivityRow = typeof activities.$inferInsert
export type ActivityLineRow = typeof activityLines.$inferInsert

export const defaultChannels = [
  { code: 'store', name: 'In store', unknownIdentifier: 'enrol' as const },
  { code: 'web', name: 'Web shop', unknownIdentifier: 'park' as const },
  { code: 'app', name: 'App', unknownIdentifier: 'enrol' as const },
  { code: 'call_center', name: 'Call centre', unknownIdentifier: 'park' as const },
]

/** Adds the channels every retailer has; existing ones keep their settings. */
export async function ensureDefaultChannels(db: Db) {
  await db.insert(channels).values(defaultChannels).onConflictDoNothing()
}

export async function listStores(db: Db): Promise<Store[]> {
  return db.select().from(stores).orderBy(asc(stores.code))
}

/** Creates or updates stores by code (a store without a currency sells in the retailer's); returns them with their ids. */
export async function upsertStores(db: Db, rows: (Omit<Store, 'currency'> & { currency?: string | null })[]): Promise<Store[]> {
  if (rows.length === 0) return []
  return db
    .insert(stores)
    .values(rows)
    .onConflictDoUpdate({
      target: stores.code,
      set: { name: sql`excluded.name`, region: sql`excluded.region`, timezone: sql`excluded.timezone`, currency: sql`excluded.currency` },
    })
    .returning()
}

/**
 * Creates or updates products by sku, in batches. A row that says whether it is in stock sets that
 * too (see `setStock`); one that does not leaves the stock as the stock system last said.
 */
export async function upsertProducts(db: Db, rows: Product[], at = new Date()) {
  const withStock = rows.filter((r) => r.inStock !== undefined)
  for (const group of [rows.filter((r) => r.inStock === undefined), withStock])
    for (let i = 0; i < group.length; i += 1000) {
      await db
        .insert(products)
        .values(group.slice(i, i + 1000))
        .onConflictDoUpdate({
          target: products.sku,
          set: {
            name: sql`excluded.name`,
            category: sql`excluded.category`,
            brand: sql`excluded.brand`,
            priceMinor: sql`excluded.price_minor`,
            attributes: sql`excluded.attributes`,
            ...(group === withStock ? { inStock: sql`excluded.in_stock`, backInStockAt: backInStock(sql`excluded.in_stock`, at) } : {}),
          },
        })
    }
}

/** `back_in_stock_at` when a product that was out comes back: now; otherwise as it was. */
const backInStock = (inStock: SQL, at: Date) =>
  sql`case when not ${products.inStock} and ${inStock} then ${at.toISOString()}::timestamptz else ${products.backInStockAt} end`

/**
 * The stock system's word on what can be bought: each sku in or out of stock. A product coming back
 * is marked back in stock now, for the associates' outreach. Returns what changed and the skus
 * nobody has told us about (they are not created: a product needs its name and category first).
 */
export async function setStock(db: Db, items: { sku: string; inStock: boolean }[], at: Date) {
  // One statement: the update, and which skus exist (read from the snapshot before it).
  const rows = await queryRows<{ sku: string; known: boolean; back: boolean | null }>(
    db,
    sql`with feed as (select * from unnest(${sql.param(items.map((i) => i.sku))}::text[], ${sql.param(items.map((i) => i.inStock))}::boolean[]) as s(sku, in_stock)),
             changed as (
               update ${products} set in_stock = feed.in_stock, back_in_stock_at = ${backInStock(sql`feed.in_stock`, at)}
                 from feed
                where ${products.sku} = feed.sku and ${products.inStock} <> feed.in_stock
            returning ${products.sku} as sku, feed.in_stock as back)
        select distinct feed.sku, p.sku is not null as known, c.back
          from feed left join ${products} p on p.sku = feed.sku left join changed c on c.sku = feed.sku
         order by 1`,
  )
  const changed = rows.filter((r) => r.back !== null)
  return {
    changed: changed.length,
    backInStock: changed.filter((c) => c.back).map((c) => c.sku),
    unknown: rows.filter((r) => !r.known).map((r) => r.sku),
  }
}

export interface MemberSummary {
  purchases: number
  returns: number
  spendMinor: number
  currency: string
  visits: number
  firstPurchaseAt: Date | null
  lastActivityAt: Date | null
  channels: string[]
  stores: string[]
}

/**
 * What a member has done, in one indexed pass over their activity; an id merged away reads the
 * member it became. One prepared statement: this is what a till asks for with every scan.
 * Undefined when there is no such member.
 */
export async function memberSummary(db: Db, memberId: string): Promise<(MemberSummary & { memberId: string }) | undefined> {
  const [row] = await preparedRows<{
    member_id: string
    purchases: number
    returns: number
    spend_minor: number | null
    currency: string | null
    visits: number
    first_purchase_at: string | null
    last_activity_at: string | null
    channels: string[] | null
    stores: string[] | null
  }>(
    db,
    'member_summary',
    sql`with live as (select live_member(${memberId}::uuid) as id)
        select live.id as member_id,
               count(a.id) filter (where a.kind = 'purchase')::int as purchases,
               count(a.id) filter (where a.kind = 'return')::int as returns,
               coalesce(sum(a.total_minor), 0)::bigint as spend_minor,
               max(a.currency) as currency,
               count(a.id) filter (where a.kind = 'store_visit')::int as visits,
               min(a.occurred_at) filter (where a.kind = 'purchase') as first_purchase_at,
               max(a.occurred_at) as last_activity_at,
               array_remove(array_agg(distinct a.channel), null) as channels,
               array_remove(array_agg(distinct s.name), null) as stores
          from live
          left join ${activities} a on a.member_id = live.id
          left join ${stores} s on s.id = a.store_id
         where live.id is not null
         group by live.id`,
  )
  if (!row) return undefined
  const toDate = (v: string | null) => (v ? new Date(v) : null)
  return {
    memberId: row.member_id,
    purchases: row.purchases,
    returns: row.returns,
    spendMinor: Number(row.spend_minor ?? 0),
    currency: row.currency ?? 'GBP',
    visits: row.visits,
    firstPurchaseAt: toDate(row.first_purchase_at),
    lastActivityAt: toDate(row.last_activity_at),
    channels: row.channels ?? [],
    stores: row.stores ?? [],
  }
}

export interface TimelineQuery {
  limit: number
  before?: { occurredAt: string; id: string }
  kind?: string
  channel?: string
}

/** One cross-channel history, newest first, with each purchase's lines and product names. */
export async function memberTimeline(db: Db, memberId: string, query: TimelineQuery) {
  const { limit, before, kind, channel } = query
  const rows = await db
    .select({ activity: activities, storeName: stores.name })
    .from(activities)
    .leftJoin(stores, eq(stores.id, activities.storeId))
    .where(
      and(
        eq(activities.memberId, memberId),
        kind ? eq(activities.kind, kind) : undefined,
        channel ? eq(activities.channel, channel) : undefined,
        before
          ? or(
              lt(activities.occurredAt, new Date(before.occurredAt)),
              and(eq(activities.occurredAt, new Date(before.occurredAt)), lt(activities.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(activities.occurredAt), desc(activities.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const ids = page.map((r) => r.activity.id)
  const lines = ids.length
    ? await db
        .select({ line: activityLines, productName: products.name })
        .from(activityLines)
        .leftJoin(products, eq(products.sku, activityLines.sku))
        .where(and(eq(activityLines.memberId, memberId), inArray(activityLines.activityId, ids)))
        .orderBy(asc(activityLines.lineNo))
    : []
  const linesOf = new Map<string, typeof lines>()
  for (const l of lines) linesOf.set(l.line.activityId, [...(linesOf.get(l.line.activityId) ?? []), l])
  const items = page.map(({ activity, storeName }) => ({
    id: activity.id,
    kind: activity.kind,
    channel: activity.channel,
    storeName,
    occurredAt: activity.occurredAt,
    orderRef: activity.orderRef,
    totalMinor: activity.totalMinor,
    currency: activity.currency,
    lines: (linesOf.get(activity.id) ?? []).map(({ line, productName }) => ({
      sku: line.sku,
      productName,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      discountMinor: line.discountMinor,
    })),
  }))
  const last = page.at(-1)?.activity
  return { items, next: rows.length > limit && last ? { occurredAt: last.occurredAt.toISOString(), id: last.id } : null }
}

/** Moves every activity (and its lines) of one member to another; returns the ids that moved. */
export async function moveActivity(db: Db, fromId: string, toId: string): Promise<string[]> {
  const moved = await rehomeRows<{ id: string }>(db, 'activities', fromId, toId, { returning: 'id' })
  await rehomeRows(db, 'activity_lines', fromId, toId, { returning: 'line_no' })
  return moved.map((m) => m.id)
}

/** Moves exactly these activities back (unmerge): anything recorded since the merge stays. */
export async function moveActivityBack(db: Db, ids: string[], fromId: string, toId: string) {
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000)
    const only = (column: string) => sql`${sql.raw(column)} = any(${sql.param(chunk)}::uuid[])`
    await rehomeRows(db, 'activities', fromId, toId, { only: only('id'), returning: 'id' })
    await rehomeRows(db, 'activity_lines', fromId, toId, { only: only('activity_id'), returning: 'line_no' })
  }
}

/** Purchases each member made and when they last bought, for many members in one statement (duplicate review). */
export async function purchaseCounts(db: Db, memberIds: string[]): Promise<Map<string, { orders: number; lastOrderAt: Date | null }>> {
  if (memberIds.length === 0) return new Map()
  const rows = await db
    .select({ memberId: activities.memberId, orders: sql<number>`count(*)::int`, lastOrderAt: sql<string | null>`max(${activities.occurredAt})` })
    .from(activities)
    .where(and(inArray(activities.memberId, memberIds), eq(activities.kind, 'purchase')))
    .groupBy(activities.memberId)
  return new Map(rows.map((r) => [r.memberId, { orders: Number(r.orders), lastOrderAt: r.lastOrderAt ? new Date(r.lastOrderAt) : null }]))
}
