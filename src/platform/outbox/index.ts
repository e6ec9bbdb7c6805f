import { and, asc, gt, inArray } from 'drizzle-orm'
import { type Db, insertMany } from '../db/index.js'
import { outboxEvents } from './schema.js'

export { type ConsumedEvent, consumeOutbox } from './consume.js'

export interface OutboxEvent {
  topic: string
  memberId?: string | null
  payload: Record<string, unknown>
}

/** Writes events in the caller's transaction: they exist exactly when the change they describe does. */
export async function publish(db: Db, occurredAt: Date, events: OutboxEvent[]) {
  if (events.length === 0) return
  await insertMany(
    db,
    outboxEvents,
    events.map((e) => ({ topic: e.topic, memberId: e.memberId ?? null, payload: e.payload, occurredAt })),
  )
}

/**
 * Events after an id, oldest first: for looking at the log only. A consumer must not track its
 * position this way (a lower id can commit after a higher one was read): use consumeOutbox.
 */
export async function readOutbox(db: Db, { after, topics, limit }: { after: number; topics: string[]; limit: number }) {
  return db
    .select()
    .from(outboxEvents)
    .where(and(gt(outboxEvents.id, after), inArray(outboxEvents.topic, topics)))
    .orderBy(asc(outboxEvents.id))
    .limit(limit)
}
