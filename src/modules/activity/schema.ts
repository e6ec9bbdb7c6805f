import { sql } from 'drizzle-orm'
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const stores = pgTable(
  'stores',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    region: text('region'),
    timezone: text('timezone').notNull().default('UTC'),
    /** Where a store sells in another currency than the retailer's (REGULARS_CURRENCY); null: the retailer's. */
    currency: text('currency'),
  },
  (t) => [uniqueIndex('stores_code_key').on(t.code), check('stores_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`)],
)

export const channels = pgTable('channels', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** What to do with activity naming an unknown identifier: enrol a new member, or park it as a guest's. */
  unknownIdentifier: text('unknown_identifier', { enum: ['enrol', 'park'] })
    .notNull()
    .default('park'),
})

export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    /** Category path, broadest first: `{Clothing,Shirts}`. */
    category: text('category').array().notNull().default(sql`'{}'::text[]`),
    brand: text('brand'),
    priceMinor: bigint('price_minor', { mode: 'number' }),
    currency: text('currency').notNull().default('GBP'),
    attributes: jsonb('attributes').notNull().default(sql`'{}'::jsonb`),
    /** When the catalogue first had it: what is new, for the associates' outreach. */
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    /** Can be bought now, as the stock system last said; suggestions leave out what cannot. */
    inStock: boolean('in_stock').notNull().default(true),
    /** When it last came back after being out: associates tell the members who wished for it. */
    backInStockAt: timestamp('back_in_stock_at', { withTimezone: true }),
  },
  (t) => [
    index('products_category_idx').on(t.category),
    // What cannot be bought now, read at every suggestion served.
    index('products_out_of_stock_idx').on(t.sku).where(sql`not ${t.inStock}`),
  ],
)

/**
 * One thing a member did, on any channel. Keyed by member first so the table can be distributed by
 * member_id. (sent_by, source, idempotency_key) is unique through activity_receipts, which every write goes
 * through first; a second unique index here would only make each insert dearer.
 */
export const activities = pgTable(
  'activities',
  {
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    storeId: uuid('store_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    orderRef: text('order_ref'),
    /** Returns: the order_ref of the purchase being returned, when the channel knows it. */
    returnOf: text('return_of'),
    /** Purchases and returns: the total after discounts, in minor units (negative for returns). */
    totalMinor: bigint('total_minor', { mode: 'number' }),
    currency: text('currency'),
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    index('activities_member_time_idx').on(t.memberId, t.occurredAt),
    index('activities_occurred_idx').on(t.occurredAt),
    index('activities_member_order_idx').on(t.memberId, t.orderRef),
    // Who wished for a product, when it comes back in stock (the associates' outreach).
    index('activities_wishlist_sku_idx').on(sql`(${t.details} ->> 'sku')`).where(sql`${t.kind} = 'wishlist_add'`),
  ],
)

export const activityLines = pgTable(
  'activity_lines',
  {
    memberId: uuid('member_id').notNull(),
    activityId: uuid('activity_id').notNull(),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    discountMinor: bigint('discount_minor', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.activityId, t.lineNo] }),
    index('activity_lines_sku_idx').on(t.sku),
    check('activity_lines_quantity_nonzero', sql`${t.quantity} <> 0`),
  ],
)

/**
 * One row per (sender, source, idempotency key) ever received: a replay finds the first result here.
 * Keys belong to the integration that sent them (`sent_by`: `apikey:<id>`), so two integrations
 * may use the same key; `server` receipts (history files, rows from before keys were scoped) are
 * anyone's: every sender replays them (ingest.ts).
 * `request_hash` is the SHA-256 of the activity as first sent: the same key with another body is
 * refused, not replayed. Keyed by its own key columns, not the member, because a replay may arrive
 * before we know who it is; under Citus it is distributed by idempotency_key (docs/scale-out.md).
 */
export const activityReceipts = pgTable(
  'activity_receipts',
  {
    sentBy: text('sent_by').notNull().default('server'),
    source: text('source').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash'),
    result: jsonb('result').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sentBy, t.source, t.idempotencyKey] })],
)

/** Activity naming an identifier nobody holds yet (guest checkout): kept whole until a member claims it. */
export const parkedActivities = pgTable(
  'parked_activities',
  {
    id: uuid('id').primaryKey(),
    identifierKind: text('identifier_kind').notNull(),
    identifierValue: text('identifier_value').notNull(),
    activity: jsonb('activity').notNull(),
    parkedAt: timestamp('parked_at', { withTimezone: true }).notNull(),
    claimedBy: uuid('claimed_by'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
  },
  (t) => [index('parked_activities_identifier_idx').on(t.identifierKind, t.identifierValue).where(sql`${t.claimedBy} is null`)],
)

/** Engagement kinds beyond the built-in ones, registered by admins (e.g. `tasting_attended`). */
export const activityKinds = pgTable('activity_kinds', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
})

/**
 * A till's sale that named no member (a shopper who did not show a card): kept only as a total, so
 * the member capture rate (the share of sales linked to a member) has all the sales to count against.
 * Keyed by the sender's (source, idempotency key): a retry records nothing twice.
 */
export const unlinkedSales = pgTable(
  'unlinked_sales',
  {
    sentBy: text('sent_by').notNull(),
    source: text('source').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    storeId: uuid('store_id'),
    channel: text('channel').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    /** The sale's total after discounts, in minor units; negative for a return. */
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sentBy, t.source, t.idempotencyKey] }), index('unlinked_sales_occurred_idx').on(t.occurredAt)],
)
