import { sql } from 'drizzle-orm'
import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

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
    /** Shown in the centre: false when the member turned this kind off in the app but wants it by email. */
    inApp: boolean('in_app').notNull().default(true),
    /** By email: null (not asked for), `due` (the sending job will), `sent`, or `skipped` (consent or address gone by then). */
    emailStatus: text('email_status'),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    uniqueIndex('member_notifications_key').on(t.memberId, t.key),
    index('member_notifications_newest_idx').on(t.memberId, t.createdAt),
    // The sending job reads only what is waiting.
    index('member_notifications_email_due_idx').on(t.createdAt).where(sql`${t.emailStatus} = 'due'`),
  ],
)

/**
 * What a member wants to hear about, per kind and channel (notifications/preferences.ts). No row: the
 * defaults (in the app yes, by email no). Email also needs the ledger's consent and a verified address.
 */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    memberId: uuid('member_id').notNull(),
    kind: text('kind').notNull(),
    inApp: boolean('in_app').notNull(),
    email: boolean('email').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.kind] })],
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
