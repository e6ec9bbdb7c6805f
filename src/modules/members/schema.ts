import { sql } from 'drizzle-orm'
import { check, date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

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
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index('member_identifiers_member_idx').on(t.memberId)],
)

/** Consent per purpose, with when it was given or withdrawn; one row per member and purpose. */
export const memberConsents = pgTable(
  'member_consents',
  {
    memberId: uuid('member_id').notNull(),
    purpose: text('purpose', { enum: ['marketing', 'profiling', 'social_visibility'] }).notNull(),
    granted: text('granted', { enum: ['yes', 'no'] }).notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.purpose] })],
)
