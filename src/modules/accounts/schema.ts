import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/** A login: staff (associate, manager, admin) or a member using their own home page. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** A login has an email, a phone (a member who joined by text message), or both; each is unique. */
    email: text('email'),
    phone: text('phone'),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['member', 'associate', 'manager', 'admin'] }).notNull(),
    /** For role member: the member this login belongs to. */
    memberId: uuid('member_id'),
    /** For associates and managers: the stores they work in (empty = every store, for admins). */
    storeIds: uuid('store_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_phone_key').on(t.phone),
    check('users_email_or_phone', sql`${t.email} is not null or ${t.phone} is not null`),
    uniqueIndex('users_member_key').on(t.memberId),
    check('users_member_role', sql`(${t.role} = 'member') = (${t.memberId} is not null)`),
  ],
)

/** A browser session: the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Per-session secret behind the x-csrf-token header. */
    csrfSecret: text('csrf_secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

/** A channel integration's key (POS, web shop, app). Shown once; only its SHA-256 is kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** The first characters of the key, so people can tell keys apart without the secret. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash)],
)

/**
 * A one-time link to set a password: a forgotten password (sent to a verified channel), a reset an
 * admin started for a staff login, or a member invited by staff. Only the token's hash is kept.
 */
export const passwordLinks = pgTable(
  'password_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['forgotten', 'reset', 'invitation'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('password_links_user_idx').on(t.userId)],
)

/**
 * Someone joining by email or phone, until they enter the code sent to it. One pending request per
 * address: asking again replaces the code (sends are counted per window). Expiry is a query condition.
 */
export const signupRequests = pgTable(
  'signup_requests',
  {
    kind: text('kind', { enum: ['email', 'phone'] }).notNull(),
    value: text('value').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    sends: integer('sends').notNull().default(1),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] })],
)

/**
 * Failed logins in the current window, per account and per address, shared by every server
 * process (login-limits.ts). Keyed by the SHA-256 of `account|<email>` or `address|<ip>`: the
 * counters need no email or address in clear.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    keyHash: text('key_hash').primaryKey(),
    failures: integer('failures').notNull(),
    windowEndsAt: timestamp('window_ends_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_window_idx').on(t.windowEndsAt)],
)

/**
 * The code a member must enter to erase their data, sent to one of their verified addresses
 * (erasure-code.ts): only its hash, bound to the member; counted like every code we send.
 */
export const erasureCodes = pgTable('erasure_codes', {
  memberId: uuid('member_id').primaryKey(),
  codeHash: text('code_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  sends: integer('sends').notNull().default(1),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
})
