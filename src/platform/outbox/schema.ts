import { sql } from 'drizzle-orm'
import { bigint, bigserial, customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** A 64-bit transaction id (`xid8`), read as text: it orders events by the transaction that wrote them. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' })

/** Things that happened, written in the same transaction as the change; consumers read from here. */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(),
    memberId: uuid('member_id'),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /**
     * The writing transaction. Ids are taken before commit, so a lower id can commit after a higher
     * one; consumers read by transaction visibility instead (see consume.ts).
     */
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [index('outbox_events_topic_idx').on(t.topic, t.id), index('outbox_events_xid_idx').on(t.xid, t.id)],
)

/**
 * Where each consumer stands: it has applied every event visible in `seen`, and of the events that
 * became visible between `seen` and `upTo`, those up to (after_xid, after_id) in (xid, id) order.
 * Snapshots are `pg_snapshot` text ("xmin:xmax:xip,…").
 */
export const outboxConsumers = pgTable('outbox_consumers', {
  name: text('name').primaryKey(),
  seen: text('seen').notNull(),
  upTo: text('up_to').notNull(),
  afterXid: xid8('after_xid'),
  afterId: bigint('after_id', { mode: 'number' }),
  applied: bigint('applied', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})
