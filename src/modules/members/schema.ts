import { sql } from 'drizzle-orm'
import { boolean, check, date, index, integer, pgTable, pgView, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** A shopper in the programme. A merged-away member keeps its row and points at the survivor. */
export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey(),
    givenName: text('given_name'),
    familyName: text('family_name'),
    birthDate: date('birth_date'),
    email: text('email'),
    phone: text('phone'),
    addressLine: text('address_line'),
    postcode: text('postcode'),
    city: text('city'),
    homeStoreId: uuid('home_store_id'),
    preferredChannel: text('preferred_channel'),
    language: text('language').notNull().default('en'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    joinedChannel: text('joined_channel'),
    mergedInto: uuid('merged_into'),
    /** When the member's personal data was erased on their request: the row stays as an anonymous id. */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
  },
  (t) => [
    index('members_family_name_idx').on(t.familyName),
    index('members_merged_into_idx').on(t.mergedInto),
    check('members_not_merged_into_self', sql`${t.mergedInto} is distinct from ${t.id}`),
  ],
)

export const identifierKinds = ['loyalty_id', 'card', 'email', 'phone', 'device', 'web_account', 'pos_customer'] as const

/**
 * How channels name a member. Keyed by (kind, value) because that is how a till looks a shopper up;
 * under Citus it is a lookup table distributed by value (docs/scale-out.md).
 */
export const memberIdentifiers = pgTable(
  'member_identifiers',
  {
    kind: text('kind', { enum: identifierKinds }).notNull(),
    value: text('value').notNull(),
    memberId: uuid('member_id').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    /**
     * When the member proved the identifier is theirs (a code sent to it), or when a trusted source
     * vouched for it (a channel enrolling, an import, a card in an associate's hand). Null: claimed,
     * not proved — parked guest activity never attaches through it.
     */
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index('member_identifiers_member_idx').on(t.memberId)],
)

/**
 * A one-time code sent to an email or phone a member says is theirs. Only the code's hash is kept;
 * expiry is a query condition, so a lapsed row is simply ignored (and replaced by the next send).
 */
export const identifierProofs = pgTable(
  'identifier_proofs',
  {
    memberId: uuid('member_id').notNull(),
    kind: text('kind', { enum: ['email', 'phone'] }).notNull(),
    value: text('value').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Wrong codes tried against this code; at the limit the code is dead. */
    attempts: integer('attempts').notNull().default(0),
    /** Codes sent since windowStartedAt: a member cannot flood someone's inbox. */
    sends: integer('sends').notNull().default(1),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.kind, t.value] })],
)

export const consentPurposes = ['marketing', 'profiling', 'social_visibility'] as const
export type ConsentPurpose = (typeof consentPurposes)[number]
/**
 * Everything the ledger records: the home page's purposes, and `notifications` (channel `email`):
 * emails about the member's own posts and ideas, chosen on the notifications page, not offers.
 */
export const ledgerPurposes = [...consentPurposes, 'notifications'] as const
export type LedgerPurpose = (typeof ledgerPurposes)[number]

/**
 * The consent ledger: every grant and withdrawal, per purpose and channel (`all`, or one such as
 * `email` or `sms` for marketing), with when, where it was given (`member_home`, `merge`,
 * `erasure`…) and the wording the member was shown. Append-only; the current state is derived.
 */
export const consentEvents = pgTable(
  'consent_events',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    purpose: text('purpose', { enum: ledgerPurposes }).notNull(),
    channel: text('channel').notNull().default('all'),
    granted: boolean('granted').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    wording: text('wording'),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] }), index('consent_events_member_purpose_idx').on(t.memberId, t.purpose, t.channel, t.at)],
)

/** Each member's latest consent event per purpose and channel (drizzle/0012). */
export const consentStates = pgView('member_consent_states', {
  memberId: uuid('member_id').notNull(),
  purpose: text('purpose', { enum: ledgerPurposes }).notNull(),
  channel: text('channel').notNull(),
  granted: boolean('granted').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  source: text('source').notNull(),
  wording: text('wording'),
}).existing()

/** The consent per purpose as it read before the ledger ('yes'/'no', channel `all`), for the queries that read it so. */
export const memberConsents = pgView('member_consents', {
  memberId: uuid('member_id').notNull(),
  purpose: text('purpose', { enum: consentPurposes }).notNull(),
  granted: text('granted', { enum: ['yes', 'no'] }).notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
}).existing()
