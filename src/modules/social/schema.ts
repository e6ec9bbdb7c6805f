import { sql } from 'drizzle-orm'
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * Every table here is member-scoped: `member_id` is the member whose page the row belongs to, so a
 * member's friends, requests, blocks, feed and lists live on one Citus worker. A relation between
 * two members is written once on each side where both read it (friendships), else on the side
 * that reads it (a request on the recipient's, a block on the blocker's).
 */

/** One row per side: (A, B) and (B, A). */
export const friendships = pgTable(
  'friendships',
  {
    memberId: uuid('member_id').notNull(),
    friendId: uuid('friend_id').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
    /** How they became friends: code, link, qr, met (people you may know), request. */
    via: text('via').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.friendId] }),
    index('friendships_friend_idx').on(t.friendId),
    check('friendships_not_self', sql`${t.memberId} <> ${t.friendId}`),
  ],
)

/** A request waiting on the recipient (`member_id`). */
export const friendRequests = pgTable(
  'friend_requests',
  {
    memberId: uuid('member_id').notNull(),
    requesterId: uuid('requester_id').notNull(),
    via: text('via').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.requesterId] }),
    index('friend_requests_requester_idx').on(t.requesterId),
    check('friend_requests_not_self', sql`${t.memberId} <> ${t.requesterId}`),
  ],
)

/** The blocker (`member_id`) and whom they blocked. */
export const blocks = pgTable(
  'blocks',
  {
    memberId: uuid('member_id').notNull(),
    blockedId: uuid('blocked_id').notNull(),
    blockedAt: timestamp('blocked_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.blockedId] }), index('blocks_blocked_idx').on(t.blockedId)],
)

/**
 * Members this member met where Regulars saw it (a co-shopping room fills it through
 * recordMeeting): the only source of "people you may know" besides referrals. Never purchases or places.
 */
export const peopleMet = pgTable(
  'people_met',
  {
    memberId: uuid('member_id').notNull(),
    otherId: uuid('other_id').notNull(),
    /** Where: `room`, later others. */
    source: text('source').notNull(),
    /** The room (or other place) it was, for "you were both in Sam's room". */
    ref: text('ref'),
    metAt: timestamp('met_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.otherId, t.source] })],
)

/** What a member chose to show friends: a purchase line or a wishlist add. Nothing else of theirs is shown. */
export const sharedItems = pgTable(
  'shared_items',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind', { enum: ['purchase', 'wishlist'] }).notNull(),
    sku: text('sku').notNull(),
    activityId: uuid('activity_id'),
    listId: uuid('list_id'),
    note: text('note'),
    sharedAt: timestamp('shared_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    // A purchase line is shared once (the list item's id is the share's id for wishlist adds).
    uniqueIndex('shared_items_purchase_line').on(t.memberId, t.activityId, t.sku).where(sql`${t.kind} = 'purchase'`),
  ],
)

/** One reader's (`member_id`) feed, written by the feed consumer from the outbox. */
export const feedItems = pgTable(
  'feed_items',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    /** The outbox event it came from: applied once per reader. */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    actorId: uuid('actor_id').notNull(),
    kind: text('kind').notNull(),
    /** What a later event withdraws it by (`share:<id>`, `room:<id>`). */
    key: text('key').notNull(),
    subject: jsonb('subject').notNull().default(sql`'{}'::jsonb`),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    uniqueIndex('feed_items_event').on(t.memberId, t.eventId),
    index('feed_items_time_idx').on(t.memberId, t.occurredAt),
    index('feed_items_key_idx').on(t.key),
  ],
)

/** A wishlist or gift list, on its owner's page. */
export const lists = pgTable(
  'lists',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind', { enum: ['wishlist', 'gift'] }).notNull(),
    title: text('title').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] })],
)

/** Who else may see (viewer) or change (editor) a list: on that member's page, naming the owner. */
export const listShares = pgTable(
  'list_shares',
  {
    memberId: uuid('member_id').notNull(),
    listId: uuid('list_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    role: text('role', { enum: ['editor', 'viewer'] }).notNull(),
    sharedAt: timestamp('shared_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.listId] }), index('list_shares_list_idx').on(t.ownerId, t.listId)],
)

/**
 * A product on a list, with the owner's `member_id`. `reserved_by` is "I'll get this": shown to
 * everyone on the list but its owner, so a gift stays a surprise.
 */
export const listItems = pgTable(
  'list_items',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    listId: uuid('list_id').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull().default(1),
    note: text('note'),
    addedBy: uuid('added_by'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    reservedBy: uuid('reserved_by'),
    reservedAt: timestamp('reserved_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    index('list_items_list_idx').on(t.memberId, t.listId),
    check('list_items_quantity', sql`${t.quantity} between 1 and 99`),
  ],
)
