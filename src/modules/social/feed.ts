import { sql } from 'drizzle-orm'
import { type Db, insertMany, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { type ConsumedEvent, consumeOutbox, publish } from '../../platform/outbox/index.js'
import { feedItems, sharedItems } from './schema.js'
import { assertVisible, isVisible, shownName } from './visibility.js'

/** What an event puts in feeds: by whom, of what kind, withdrawn later by `key`. */
export interface FeedEntry {
  actorId: string
  kind: string
  key: string
  /** What the card shows; a `sku` is shown with the product's live name, price and stock. */
  subject: Record<string, unknown>
  /** Who sees it; the actor's friends when not said. Only the actor's friends ever do. */
  audience?: string[]
}

/**
 * How an outbox topic reaches friends' feeds: the extension point for reviews, ideas and rooms
 * ("Sam is shopping live — join"), each wired in src/composition.ts. `toFeed` returns an entry, a
 * withdrawal of earlier ones (`{ withdraw: key, actorId }`), or nothing.
 */
export interface FeedSource {
  topic: string
  toFeed(event: ConsumedEvent): FeedEntry | { withdraw: string; actorId: string } | undefined
}

declare module '../../platform/deps.js' {
  interface Wiring {
    /** Topics the friends' feed is made from (social's shares; rooms, reviews and ideas add theirs). */
    feedSources: readonly FeedSource[]
  }
}

/** The feed consumer's name in outbox_consumers. */
export const feedConsumer = 'social.feed'

/** Shares of purchases and wishlist adds, and their withdrawal. */
export const sharingFeedSources: FeedSource[] = [
  {
    topic: 'social.shared',
    toFeed: (e) => ({
      actorId: e.memberId as string,
      kind: String(e.payload.kind),
      key: `share:${e.payload.shareId}`,
      subject: { sku: e.payload.sku, note: e.payload.note ?? null, ...(e.payload.listId ? { listId: e.payload.listId } : {}) },
    }),
  },
  { topic: 'social.unshared', toFeed: (e) => ({ withdraw: `share:${e.payload.shareId}`, actorId: e.memberId as string }) },
]

/**
 * Writes what the events say into the readers' feeds, in the consumer's transaction: one row per
 * reader and event (a replay of the same event adds nothing: unique (member_id, event_id)).
 * Readers are the actor's friends at that moment, not blocked either way.
 */
export async function applyToFeeds(db: Db, sources: readonly FeedSource[], events: ConsumedEvent[]) {
  const byTopic = new Map(sources.map((s) => [s.topic, s]))
  const entries = events.flatMap((event) => {
    const result = byTopic.get(event.topic)?.toFeed(event)
    return result ? [{ event, result }] : []
  })
  const actors = [...new Set(entries.map((e) => e.result.actorId))]
  if (actors.length === 0) return
  const friendships = await queryRows<{ member_id: string; friend_id: string }>(
    db,
    sql`select member_id, friend_id from friendships where member_id = any(${sql.param(actors)}::uuid[])`,
  )
  const friendsOf = new Map<string, Set<string>>()
  for (const f of friendships) friendsOf.set(f.member_id, (friendsOf.get(f.member_id) ?? new Set()).add(f.friend_id))
  const rows: (typeof feedItems.$inferInsert)[] = []
  // In event order, so a withdrawal removes what came before it in the same batch.
  for (const { event, result } of entries) {
    if ('withdraw' in result) {
      if (rows.length) await insertRows(db, rows.splice(0))
      await db.execute(sql`delete from feed_items where key = ${result.withdraw} and actor_id = ${result.actorId}`)
      continue
    }
    const friends = friendsOf.get(result.actorId) ?? new Set()
    const readers = (result.audience ?? [...friends]).filter((reader) => friends.has(reader))
    for (const reader of readers)
      rows.push({
        memberId: reader,
        id: newId(),
        eventId: event.id,
        actorId: result.actorId,
        kind: result.kind,
        key: result.key,
        subject: result.subject,
        occurredAt: event.occurredAt,
      })
  }
  if (rows.length) await insertRows(db, rows)
}

const insertRows = (db: Db, rows: (typeof feedItems.$inferInsert)[]) => insertMany(db, feedItems, rows, sql`on conflict do nothing`)

/**
 * Brings every feed up to date with the outbox. The feed job runs it each minute, and reading a
 * feed runs it first without queueing (`wait: false`: when another node is at it, read what is there).
 */
export async function refreshFeeds(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, { wait = true } = {}): Promise<number> {
  const sources = deps.wiring.feedSources
  let total = 0
  for (;;) {
    const applied = await consumeOutbox(deps.db, { consumer: feedConsumer, topics: sources.map((s) => s.topic), at: deps.clock.now(), wait }, (tx, events) =>
      applyToFeeds(tx, sources, events),
    )
    total += applied
    if (applied < 500 || !wait) return total
  }
}

/** The member's feed, newest first: only from friends who are still friends and still visible. */
export async function feedOf(
  deps: Pick<Deps, 'db' | 'clock' | 'wiring'>,
  memberId: string,
  { limit = 30, before }: { limit?: number; before?: { at: string; id: string } } = {},
) {
  await refreshFeeds(deps, { wait: false })
  const rows = await queryRows<{
    id: string
    kind: string
    subject: Record<string, unknown>
    occurred_at: Date
    actor_id: string
    actor: string
    product_name: string | null
    price_minor: number | null
    currency: string | null
    in_stock: boolean | null
  }>(
    deps.db,
    sql`select f.id, f.kind, f.subject, f.occurred_at, f.actor_id, ${shownName('m')} as actor,
               p.name as product_name, p.price_minor, p.currency, p.in_stock
          from feed_items f
          join friendships fr on fr.member_id = f.member_id and fr.friend_id = f.actor_id
          join members m on m.id = f.actor_id
          left join products p on p.sku = f.subject->>'sku'
         where f.member_id = ${memberId} and ${isVisible(sql`f.actor_id`)}
           ${before ? sql`and (f.occurred_at, f.id) < (${before.at}::timestamptz, ${before.id}::uuid)` : sql``}
         order by f.occurred_at desc, f.id desc limit ${limit + 1}`,
  )
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    kind: r.kind,
    actor: { memberId: r.actor_id, name: r.actor },
    occurredAt: new Date(r.occurred_at).toISOString(),
    subject: r.subject,
    product:
      typeof r.subject.sku === 'string'
        ? {
            sku: r.subject.sku,
            name: r.product_name,
            priceMinor: r.price_minor === null ? null : Number(r.price_minor),
            currency: r.currency,
            inStock: r.in_stock,
          }
        : null,
  }))
  const last = items[items.length - 1]
  return { items, next: rows.length > limit && last ? { at: last.occurredAt, id: last.id } : undefined }
}

/** Shares one line of the member's own purchase with their friends (nothing they buy is shown otherwise). */
export async function sharePurchase(
  deps: Pick<Deps, 'db' | 'clock'>,
  memberId: string,
  { activityId, sku, note }: { activityId: string; sku: string; note?: string | null },
) {
  await assertVisible(deps.db, memberId)
  const [line] = await queryRows(
    deps.db,
    sql`select 1 from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id
         where a.member_id = ${memberId} and a.id = ${activityId} and a.kind = 'purchase' and l.sku = ${sku} limit 1`,
  )
  if (!line) throw new NotFound('Purchase line', `${activityId}/${sku}`)
  return share(deps, memberId, { kind: 'purchase', sku, activityId, note: note ?? null })
}

/** Records a share and tells the feed, in one transaction; a purchase line shared again is the first share. */
export async function share(
  { db, clock }: Pick<Deps, 'db' | 'clock'>,
  memberId: string,
  item: { kind: 'purchase' | 'wishlist'; sku: string; activityId?: string; listId?: string; id?: string; note: string | null },
) {
  return db.transaction(async (tx) => {
    const at = clock.now()
    const [row] = await tx
      .insert(sharedItems)
      .values({
        memberId,
        id: item.id ?? newId(),
        kind: item.kind,
        sku: item.sku,
        activityId: item.activityId,
        listId: item.listId,
        note: item.note,
        sharedAt: at,
      })
      .onConflictDoNothing()
      .returning()
    if (!row) {
      const [first] = await queryRows<{ id: string }>(
        tx,
        sql`select id from shared_items where member_id = ${memberId} and kind = 'purchase' and activity_id = ${item.activityId ?? null} and sku = ${item.sku}`,
      )
      return { shareId: first?.id as string }
    }
    await publish(tx, at, [
      { topic: 'social.shared', memberId, payload: { shareId: row.id, kind: row.kind, sku: row.sku, note: row.note, listId: row.listId } },
    ])
    return { shareId: row.id }
  })
}

/** Takes a share back: it leaves every friend's feed. */
export async function unshare({ db, clock }: Pick<Deps, 'db' | 'clock'>, memberId: string, shareId: string) {
  await db.transaction(async (tx) => {
    const [gone] = await queryRows(tx, sql`delete from shared_items where member_id = ${memberId} and id = ${shareId} returning id`)
    if (!gone) throw new NotFound('Share', shareId)
    await publish(tx, clock.now(), [{ topic: 'social.unshared', memberId, payload: { shareId } }])
  })
}

/** What the member shared, newest first. */
export async function sharesOf(db: Db, memberId: string) {
  const rows = await queryRows<{
    id: string
    kind: string
    sku: string
    name: string | null
    note: string | null
    shared_at: Date
    activity_id: string | null
  }>(
    db,
    sql`select s.id, s.kind, s.sku, p.name, s.note, s.shared_at, s.activity_id from shared_items s left join products p on p.sku = s.sku
         where s.member_id = ${memberId} order by s.shared_at desc, s.id desc`,
  )
  return rows.map((r) => ({
    shareId: r.id,
    kind: r.kind,
    sku: r.sku,
    productName: r.name,
    note: r.note,
    activityId: r.activity_id,
    sharedAt: new Date(r.shared_at).toISOString(),
  }))
}
