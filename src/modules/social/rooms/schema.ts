import { sql } from 'drizzle-orm'
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

// Live co-shopping rooms. A room's tables are placed by the room (src/distribution.ts): everything
// a room does is read and written by its id, so on Citus one room lives on one worker.

/** A live co-shopping room: its host, its invite link's code, its cart's settings and its event counter. */
export const rooms = pgTable(
  'rooms',
  {
    id: uuid('id').primaryKey(),
    hostMemberId: uuid('host_member_id').notNull(),
    title: text('title').notNull(),
    /** The secret in the room's invite link: a holder may join (docs/social.md). */
    inviteCode: text('invite_code').notNull(),
    status: text('status').notNull().default('open'),
    /** The last event's sequence number: the next event takes it plus one, under this row's lock. */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    /** How the cart is paid: host_pays, own_lines or split_even. */
    payment: text('payment').notNull().default('host_pays'),
    /** Most a participant pays, in minor units; none: no cap. */
    spendCapMinor: bigint('spend_cap_minor', { mode: 'number' }),
    /** The id the commerce system sends back with the purchase (`details.roomCartId`), to attribute it to the room. */
    cartId: uuid('cart_id').notNull(),
    cartLockedAt: timestamp('cart_locked_at', { withTimezone: true }),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
    /** The store the host asked an associate of, and when. */
    associateStoreId: uuid('associate_store_id'),
    associateRequestedAt: timestamp('associate_requested_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedReason: text('ended_reason'),
  },
  (t) => [
    check('rooms_status', sql`${t.status} in ('open', 'ended')`),
    check('rooms_payment', sql`${t.payment} in ('host_pays', 'own_lines', 'split_even')`),
    index('rooms_open_idx').on(t.lastActivityAt).where(sql`${t.status} = 'open'`),
    index('rooms_associate_requests_idx').on(t.associateStoreId).where(sql`${t.status} = 'open' and ${t.associateRequestedAt} is not null`),
  ],
)

/** Who is in a room: members (host, invited, joined by link) and the associate who joined as a guest. */
export const roomParticipants = pgTable(
  'room_participants',
  {
    roomId: uuid('room_id').notNull(),
    id: uuid('id').notNull(),
    memberId: uuid('member_id'),
    associateUserId: uuid('associate_user_id'),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    invitedAt: timestamp('invited_at', { withTimezone: true }),
    joinedAt: timestamp('joined_at', { withTimezone: true }),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    /** When the member's co_shopping_session activity was recorded: once per member per room. */
    participationAt: timestamp('participation_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.roomId, t.id] }),
    uniqueIndex('room_participants_member_idx').on(t.roomId, t.memberId),
    uniqueIndex('room_participants_associate_idx').on(t.roomId, t.associateUserId),
    // A member's rooms and invitations, for their home page.
    index('room_participants_by_member_idx').on(t.memberId),
    check('room_participants_role', sql`${t.role} in ('host', 'guest', 'associate')`),
    check('room_participants_who', sql`(${t.memberId} is null) <> (${t.associateUserId} is null)`),
  ],
)

/** Everything that happened in a room, numbered per room: what a reconnecting client catches up from. */
export const roomEvents = pgTable(
  'room_events',
  {
    roomId: uuid('room_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    kind: text('kind').notNull(),
    /** The participant it came from (none: the room itself, e.g. it ended by inactivity). */
    participantId: uuid('participant_id'),
    /** The member behind it, for privacy requests. */
    actorMemberId: uuid('actor_member_id'),
    /** The sender's own id for the message: a resend after a reconnect is answered, not repeated. */
    clientRef: text('client_ref'),
    body: jsonb('body').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roomId, t.seq] }),
    uniqueIndex('room_events_client_ref_idx').on(t.roomId, t.clientRef),
    index('room_events_actor_idx').on(t.actorMemberId),
  ],
)

/** The shared cart's lines: who added each, at what price. */
export const roomCartLines = pgTable(
  'room_cart_lines',
  {
    roomId: uuid('room_id').notNull(),
    id: uuid('id').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    addedBy: uuid('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.id] }), check('room_cart_lines_quantity', sql`${t.quantity} between 1 and 99`)],
)

/** A tool opened in a room (a poll, a look board…): its contract's id and version and the state its reducer keeps. */
export const roomTools = pgTable(
  'room_tools',
  {
    roomId: uuid('room_id').notNull(),
    id: uuid('id').notNull(),
    tool: text('tool').notNull(),
    version: integer('version').notNull(),
    state: jsonb('state').notNull(),
    openedBy: uuid('opened_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.id] })],
)

/** A purchase that came back from the commerce system with a room's cart id: the room's sale, and its associate's. */
export const roomPurchases = pgTable(
  'room_purchases',
  {
    memberId: uuid('member_id').notNull(),
    activityId: uuid('activity_id').notNull(),
    roomId: uuid('room_id').notNull(),
    /** The associate who was in the room: the scorecards credit them with the sale. */
    associateUserId: uuid('associate_user_id'),
    totalMinor: bigint('total_minor', { mode: 'number' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.activityId] }), index('room_purchases_room_idx').on(t.roomId)],
)
