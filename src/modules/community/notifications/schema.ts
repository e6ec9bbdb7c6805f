import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * A member's notification centre: one row per notification, written from the outbox by the
 * notification consumer. `key` is the sender's name for it, unique per member, so an event applied
 * twice (or two events of one key) notify once.
 */
export const memberNotifications = pgTable(
  'member_notifications',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** A path in the web app ("/community/ideas/…"), never another site. */
    link: text('link'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    uniqueIndex('member_notifications_key').on(t.memberId, t.key),
    index('member_notifications_newest_idx').on(t.memberId, t.createdAt),
  ],
)

/** The same for staff logins (associates, managers, admins), by user. */
export const staffNotifications = pgTable(
  'staff_notifications',
  {
    userId: uuid('user_id').notNull(),
    id: uuid('id').notNull(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    link: text('link'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    uniqueIndex('staff_notifications_key').on(t.userId, t.key),
    index('staff_notifications_newest_idx').on(t.userId, t.createdAt),
  ],
)
