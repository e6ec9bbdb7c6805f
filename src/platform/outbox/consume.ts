import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../db/index.js'

/** An event as a consumer is handed it. */
export interface ConsumedEvent {
  id: number
  topic: string
  memberId: string | null
  payload: Record<string, unknown>
  occurredAt: Date
}

interface Position {
  seen: string
  up_to: string
  after_xid: string | null
  after_id: number | null
}

/** Nothing visible: a new consumer starts from the first event. */
const beforeEverything = '1:1:'

/**
 * Hands the consumer the events of its topics it has not applied yet, oldest transaction first, and
 * records how far it got in the same transaction: an event is applied once, or not at all if
 * `apply` throws. Returns how many it applied (at most `limit` a call).
 *
 * Reading `id > last` would skip events: ids are drawn before commit, so a transaction holding a
 * lower id can commit after a higher one was read. Instead the position is a pair of database
 * snapshots: every event visible in `seen` is done, and the events that became visible between
 * `seen` and `upTo` (an exact set: a transaction is either finished in a snapshot or not) are worked
 * through in (xid, id) order. When that set is done, `upTo` becomes `seen` and a new snapshot the
 * new `upTo`. Events of a transaction still running are simply not in any window yet, and no
 * long-running transaction elsewhere holds the others back. Works alike on PGlite and PostgreSQL
 * (pg_current_snapshot and pg_visible_in_snapshot, PostgreSQL 13+).
 */
export async function consumeOutbox(
  db: Db,
  {
    consumer,
    topics,
    limit = 500,
    at,
    wait = true,
  }: {
    consumer: string
    topics: readonly string[]
    limit?: number
    at: Date
    /** false: when another node is consuming right now, return 0 at once instead of queueing behind it. */
    wait?: boolean
  },
  apply: (tx: Db, events: ConsumedEvent[]) => Promise<void>,
): Promise<number> {
  if (topics.length === 0) return 0
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into outbox_consumers (name, seen, up_to, updated_at) values (${consumer}, ${beforeEverything}, pg_current_snapshot()::text, ${at})
          on conflict (name) do nothing`,
    )
    // Consumers of one name queue here; the second then reads the first's committed position.
    let [position] = await queryRows<Position>(
      tx,
      sql`select seen, up_to, after_xid::text, after_id from outbox_consumers where name = ${consumer} for update ${wait ? sql`` : sql`skip locked`}`,
    )
    if (!position) return 0
    let applied = 0
    let refreshed = false
    while (applied < limit) {
      const batch = await queryRows<ConsumedEvent & { xid: string; occurred_at: Date; member_id: string | null }>(
        tx,
        sql`select id, topic, member_id, payload, occurred_at, xid::text as xid from outbox_events
             where xid >= pg_snapshot_xmin(${position.seen}::pg_snapshot) and xid < pg_snapshot_xmax(${position.up_to}::pg_snapshot)
               and pg_visible_in_snapshot(xid, ${position.up_to}::pg_snapshot) and not pg_visible_in_snapshot(xid, ${position.seen}::pg_snapshot)
               and (${position.after_xid}::xid8 is null or (xid, id) > (${position.after_xid}::xid8, ${position.after_id}::bigint))
               and topic = any(${sql.param([...topics])}::text[])
             order by xid, id limit ${limit - applied}`,
      )
      if (batch.length) {
        await apply(
          tx,
          batch.map((e) => ({ id: Number(e.id), topic: e.topic, memberId: e.member_id, payload: e.payload, occurredAt: new Date(e.occurred_at) })),
        )
        applied += batch.length
        const last = batch[batch.length - 1]
        position = { ...position, after_xid: last.xid, after_id: Number(last.id) }
      }
      if (applied >= limit) break
      // This window is done: the next one is what became visible since, once per call.
      if (refreshed) break
      const [{ now }] = await queryRows<{ now: string }>(tx, sql`select pg_current_snapshot()::text as now`)
      position = { seen: position.up_to, up_to: now, after_xid: null, after_id: null }
      refreshed = true
    }
    await tx.execute(
      sql`update outbox_consumers set seen = ${position.seen}, up_to = ${position.up_to}, after_xid = ${position.after_xid}::xid8,
            after_id = ${position.after_id}, applied = applied + ${applied}, updated_at = ${at}
          where name = ${consumer}`,
    )
    return applied
  })
}
