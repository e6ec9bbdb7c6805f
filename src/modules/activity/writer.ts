import { inArray, sql } from 'drizzle-orm'
import { type Db, insertMany, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { publish } from '../../platform/outbox/index.js'
import type { IdentifierKind } from '../members/index.js'
import type { ActivityInput, IngestResult } from './inputs.js'
import { activities, activityLines, activityReceipts, parkedActivities, products, stores } from './schema.js'
import type { ActivityLineRow, ActivityRow } from './service.js'

/**
 * The one writer of activity: ingest (`recordActivities`, `claimParkedActivities`), the history
 * import and history already resolved to members (`recordResolvedActivities`: the demo, tests) all
 * go through these functions, a fixed number of `unnest` statements per batch whatever
 * its size. What a format means (a return's sign, which order it returns) is decided by its
 * reader before it gets here.
 */

/** A line as written: a return's quantity is negative. */
export interface LineToWrite {
  sku: string
  quantity: number
  unitPriceMinor: number
  discountMinor: number
}

/** An activity whose member is known, ready to write. */
export interface ActivityToWrite {
  id: string
  memberId: string
  kind: string
  channel: string
  storeId: string | null
  occurredAt: Date
  source: string
  idempotencyKey: string
  orderRef: string | null
  returnOf: string | null
  /** As the channel sent it; null: the store's currency, else the retailer's (`REGULARS_CURRENCY`). */
  currency: string | null
  details: Record<string, unknown>
  /** Null for an activity without lines (a visit, a review). */
  lines: LineToWrite[] | null
  /** History that carries its own total (a receipt's, without its lines); else the lines' total. */
  totalMinor?: number | null
  /** When it reached us, for history recorded before today; else now. */
  recordedAt?: Date
}

/** A product an activity names that the catalogue may not have yet: added, never changed. */
export interface ProductSeen {
  sku: string
  name: string
  category: string[]
  priceMinor: number | null
}

/** An activity as recorded, with its lines (returns' quantities negative), for modules that react in the same transaction. */
export interface RecordedActivity
  extends Pick<ActivityToWrite, 'id' | 'memberId' | 'kind' | 'channel' | 'storeId' | 'occurredAt' | 'orderRef' | 'returnOf' | 'details'> {
  totalMinor: number | null
  lines: LineToWrite[]
}
/** An activity as listeners get it: with its store and its lines' products described, so no listener reads our tables. */
export interface AnnouncedActivity extends Omit<RecordedActivity, 'lines'> {
  store: { code: string; name: string } | null
  lines: (RecordedActivity['lines'][number] & { name: string | null; category: string[]; brand: string | null })[]
}
export type ActivityListener = (db: Db, activities: AnnouncedActivity[], now: Date) => Promise<void>

declare module '../../platform/deps.js' {
  interface Wiring {
    /**
     * Modules acting on new activity inside the transaction that records it (rewards posts points
     * there: no activity without its points, none twice). Replays never reach a listener.
     */
    activityListeners: ActivityListener[]
  }
}

/** Hands newly recorded activity to every listener, in the caller's transaction (`db`): the one way activity reaches rewards. */
export async function announceActivities({ db, wiring }: Pick<Deps, 'db' | 'wiring'>, recorded: RecordedActivity[], now: Date) {
  if (recorded.length === 0 || wiring.activityListeners.length === 0) return
  const announced = await describeActivities(db, recorded)
  for (const listener of wiring.activityListeners) await listener(db, announced, now)
}

/** The stores and products a batch names, read once for every listener (two statements, whatever its size). */
async function describeActivities(db: Db, recorded: RecordedActivity[]): Promise<AnnouncedActivity[]> {
  const skus = [...new Set(recorded.flatMap((a) => a.lines.map((l) => l.sku)))]
  const storeIds = [...new Set(recorded.flatMap((a) => (a.storeId ? [a.storeId] : [])))]
  const [named, shops] = await Promise.all([
    skus.length
      ? db
          .select({ sku: products.sku, name: products.name, category: products.category, brand: products.brand })
          .from(products)
          .where(inArray(products.sku, skus))
      : [],
    storeIds.length ? db.select({ id: stores.id, code: stores.code, name: stores.name }).from(stores).where(inArray(stores.id, storeIds)) : [],
  ])
  const product = new Map(named.map((p) => [p.sku, p]))
  const store = new Map(shops.map((s) => [s.id, s]))
  return recorded.map((a) => {
    const shop = a.storeId ? store.get(a.storeId) : undefined
    return {
      ...a,
      store: shop ? { code: shop.code, name: shop.name } : null,
      lines: a.lines.map((l) => ({
        ...l,
        name: product.get(l.sku)?.name ?? null,
        category: product.get(l.sku)?.category ?? [],
        brand: product.get(l.sku)?.brand ?? null,
      })),
    }
  })
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Total after discounts, signed like its lines (a return's is negative); null without lines. */
export const totalOf = (lines: LineToWrite[] | null) =>
  lines === null ? null : lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor - Math.sign(l.quantity) * l.discountMinor, 0)

/**
 * Adds the products not in the catalogue yet (in sku order, so two batches never deadlock), priced
 * in the retailer's currency; returns how many were new.
 */
export async function addProducts(db: Db, seen: ProductSeen[], currency: string): Promise<number> {
  if (seen.length === 0) return 0
  const sorted = [...new Map(seen.map((p) => [p.sku, p])).values()].sort((a, b) => compareText(a.sku, b.sku))
  const added = await queryRows<{ sku: string }>(
    db,
    sql`insert into ${products} (sku, name, category, price_minor, currency)
        select sku, name, array(select jsonb_array_elements_text(category::jsonb)), price, ${currency}
          from unnest(${sql.param(sorted.map((p) => p.sku))}::text[], ${sql.param(sorted.map((p) => p.name))}::text[],
                      ${sql.param(sorted.map((p) => JSON.stringify(p.category)))}::text[], ${sql.param(sorted.map((p) => p.priceMinor))}::bigint[]) as u(sku, name, category, price)
        on conflict (sku) do nothing returning sku`,
  )
  return added.length
}

/**
 * Writes activities and their lines. `announce`: this is news (ingest), so every listener acts on it
 * in this transaction and each gets its `activity.recorded` event; history (the import) is not,
 * and raises its own event. `currency` is the retailer's, for activities whose channel and store
 * name none.
 */
export async function writeActivities(
  { db, wiring }: Pick<Deps, 'db' | 'wiring'>,
  rows: ActivityToWrite[],
  now: Date,
  { announce, currency }: { announce: boolean; currency: string | null },
): Promise<RecordedActivity[]> {
  if (rows.length === 0) return []
  const column = <T>(pick: (a: ActivityToWrite) => T) => sql.param(rows.map(pick))
  const totals = rows.map((a) => (a.totalMinor !== undefined ? a.totalMinor : totalOf(a.lines)))
  await db.execute(
    sql`insert into ${activities} (id, member_id, kind, channel, store_id, occurred_at, recorded_at, source, idempotency_key, order_ref, return_of, total_minor, currency, details)
        select u.id, u.member_id, u.kind, u.channel, u.store_id, u.occurred_at, coalesce(u.recorded_at, ${now}), u.source, u.key, u.order_ref, u.return_of, u.total,
               case when u.total is not null then coalesce(u.currency, s.currency, ${currency}) end, u.details::jsonb
          from unnest(${column((a) => a.id)}::uuid[], ${column((a) => a.memberId)}::uuid[], ${column((a) => a.kind)}::text[], ${column((a) => a.channel)}::text[],
                      ${column((a) => a.storeId)}::uuid[], ${column((a) => a.occurredAt.toISOString())}::timestamptz[], ${column((a) => a.source)}::text[],
                      ${column((a) => a.idempotencyKey)}::text[], ${column((a) => a.orderRef)}::text[], ${column((a) => a.returnOf)}::text[],
                      ${sql.param(totals)}::bigint[], ${column((a) => a.currency)}::text[], ${column((a) => JSON.stringify(a.details))}::text[],
                      ${column((a) => a.recordedAt?.toISOString() ?? null)}::timestamptz[])
               as u(id, member_id, kind, channel, store_id, occurred_at, source, key, order_ref, return_of, total, currency, details, recorded_at)
          left join ${stores} s on s.id = u.store_id`,
  )
  const lines = rows.flatMap((a) => (a.lines ?? []).map((l, i) => ({ a, l, lineNo: i + 1 })))
  if (lines.length) {
    const lineColumn = <T>(pick: (x: (typeof lines)[number]) => T) => sql.param(lines.map(pick))
    await db.execute(
      sql`insert into ${activityLines} (member_id, activity_id, line_no, sku, quantity, unit_price_minor, discount_minor)
          select * from unnest(${lineColumn((x) => x.a.memberId)}::uuid[], ${lineColumn((x) => x.a.id)}::uuid[], ${lineColumn((x) => x.lineNo)}::int[],
                               ${lineColumn((x) => x.l.sku)}::text[], ${lineColumn((x) => x.l.quantity)}::int[], ${lineColumn((x) => x.l.unitPriceMinor)}::bigint[],
                               ${lineColumn((x) => x.l.discountMinor)}::bigint[])`,
    )
  }
  const recorded = rows.map((a, i) => ({
    id: a.id,
    memberId: a.memberId,
    kind: a.kind,
    channel: a.channel,
    storeId: a.storeId,
    occurredAt: a.occurredAt,
    orderRef: a.orderRef,
    returnOf: a.returnOf,
    totalMinor: totals[i],
    details: a.details,
    lines: a.lines ?? [],
  }))
  if (!announce) return recorded
  await announceActivities({ db, wiring }, recorded, now)
  await publish(
    db,
    now,
    recorded.map((a) => ({
      topic: 'activity.recorded',
      memberId: a.memberId,
      payload: { activityId: a.id, kind: a.kind, channel: a.channel, storeId: a.storeId, occurredAt: a.occurredAt.toISOString(), totalMinor: a.totalMinor },
    })),
  )
  return recorded
}

/** A receipt to claim: its (source, key) sent by one sender, with what the first request is answered. */
export interface Receipt {
  source: string
  idempotencyKey: string
  /** SHA-256 of the item as sent, so the same key with another body is refused; null when not kept (the import). */
  requestHash: string | null
  result: IngestResult
}

export const receiptKey = (source: string, key: string) => `${source}\u0000${key}`

/**
 * Inserts the receipts that are new for this sender (or for everyone: `server`'s) and returns their keys (`receiptKey`): the
 * receipt decides who is first, so a replay, or the loser of a race, writes nothing else. Sorted,
 * so two batches holding the same keys lock them in the same order and never deadlock.
 */
export async function claimReceipts(db: Db, sentBy: string, receipts: Receipt[], now: Date): Promise<Set<string>> {
  if (receipts.length === 0) return new Set()
  const sorted = [...receipts].sort((a, b) => compareText(receiptKey(a.source, a.idempotencyKey), receiptKey(b.source, b.idempotencyKey)))
  const column = <T>(pick: (r: Receipt) => T) => sql.param(sorted.map(pick))
  const inserted = await queryRows<{ source: string; key: string }>(
    db,
    sql`insert into ${activityReceipts} (sent_by, source, idempotency_key, request_hash, result, received_at)
        select ${sentBy}, source, key, hash, result::jsonb, ${now}
          from unnest(${column((r) => r.source)}::text[], ${column((r) => r.idempotencyKey)}::text[], ${column((r) => r.requestHash)}::text[],
                      ${column((r) => JSON.stringify(r.result))}::text[]) as u(source, key, hash, result)
        ${
          // A 'server' receipt (history files, and every receipt from before keys were scoped per
          // sender) is any sender's: the integration that really sent it must replay it, not record again.
          sentBy === 'server'
            ? sql``
            : sql`where not exists (select 1 from ${activityReceipts} s where s.sent_by = 'server' and s.source = u.source and s.idempotency_key = u.key)`
        }
        on conflict do nothing returning source, idempotency_key as key`,
  )
  return new Set(inserted.map((r) => receiptKey(r.source, r.key)))
}

/** Activity whose member is not known yet, kept whole under the identifier that will claim it. */
export interface ActivityToPark {
  id: string
  identifier: { kind: IdentifierKind | 'guest_order'; value: string }
  /** As the channel sent it (a return's quantities positive), with the ids it will be written under. */
  activity: Omit<ActivityInput, 'member'> & { activityId: string; storeId: string | null; sentBy?: string }
}

export async function parkActivities(db: Db, rows: ActivityToPark[], now: Date) {
  await insertMany(
    db,
    parkedActivities,
    rows.map((p) => ({ id: p.id, identifierKind: p.identifier.kind, identifierValue: p.identifier.value, activity: p.activity, parkedAt: now })),
  )
}

/**
 * Records history already resolved to members, without receipts or announcements (the demo seed,
 * the demo programme, participation after its receipts, tests): rows and lines as the tables hold
 * them, written by `writeActivities` like everything else, in batches of 20,000. Callers own
 * idempotency; `currency` is for totals whose row and store name none.
 */
export async function recordResolvedActivities(db: Db, rows: ActivityRow[], lines: ActivityLineRow[], currency: string | null = null) {
  const linesOf = new Map<string, ActivityLineRow[]>()
  for (const line of lines) linesOf.set(line.activityId, [...(linesOf.get(line.activityId) ?? []), line])
  const toWrite = rows.map(
    (a): ActivityToWrite => ({
      id: a.id,
      memberId: a.memberId,
      kind: a.kind,
      channel: a.channel,
      storeId: a.storeId ?? null,
      occurredAt: a.occurredAt,
      recordedAt: a.recordedAt,
      source: a.source,
      idempotencyKey: a.idempotencyKey,
      orderRef: a.orderRef ?? null,
      returnOf: a.returnOf ?? null,
      currency: a.currency ?? null,
      details: (a.details ?? {}) as Record<string, unknown>,
      totalMinor: a.totalMinor === undefined ? undefined : a.totalMinor,
      lines:
        linesOf
          .get(a.id)
          ?.sort((x, y) => x.lineNo - y.lineNo)
          .map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, discountMinor: l.discountMinor ?? 0 })) ?? null,
    }),
  )
  const noWiring = { activityListeners: [] } as unknown as Deps['wiring'] // never announced: nothing to hand it to
  for (let i = 0; i < toWrite.length; i += 20_000)
    await writeActivities({ db, wiring: noWiring }, toWrite.slice(i, i + 20_000), new Date(), { announce: false, currency })
}
