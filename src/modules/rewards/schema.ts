import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/**
 * The points ledger, double-entry and append-only. Every movement is an entry; its postings sum to
 * zero across the member's accounts (available, pending, reserved, owed) and the programme's
 * (issued, redeemed, expired, adjusted, transferred). A correction is a new entry, never an edit.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    kind: text('kind', { enum: ['earn', 'release', 'reverse', 'reserve', 'confirm', 'cancel', 'redeem', 'expire', 'adjust', 'transfer'] }).notNull(),
    /** What the entry is for (an activity, a redemption, a lot): with kind, a replay posts nothing. */
    sourceKey: text('source_key').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    ruleId: uuid('rule_id'),
    ruleVersion: integer('rule_version'),
    activityId: uuid('activity_id'),
    /** For the member: "+40 for your review of Linen shirt". */
    explanation: text('explanation').notNull(),
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    uniqueIndex('ledger_entries_source_key').on(t.memberId, t.kind, t.sourceKey),
    index('ledger_entries_member_time_idx').on(t.memberId, t.postedAt),
    index('ledger_entries_activity_idx').on(t.memberId, t.activityId),
  ],
)

export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    memberId: uuid('member_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    account: text('account', {
      enum: ['available', 'pending', 'reserved', 'owed', 'program:issued', 'program:redeemed', 'program:expired', 'program:adjusted', 'program:transferred'],
    }).notNull(),
    points: integer('points').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.entryId, t.account] })],
)

/**
 * Each member's balances, kept with every posting so a redemption can lock one row and check it.
 * Always equal to the sums of the member's postings (a property test holds it to that).
 */
export const pointsBalances = pgTable(
  'points_balances',
  {
    memberId: uuid('member_id').primaryKey(),
    available: integer('available').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    /** Points taken back by returns after they were spent: zero or below, paid off by the next earnings. */
    owed: integer('owed').notNull().default(0),
  },
  (t) => [
    check('points_available_not_negative', sql`${t.available} >= 0`),
    check('points_pending_not_negative', sql`${t.pending} >= 0`),
    check('points_reserved_not_negative', sql`${t.reserved} >= 0`),
    check('points_owed_not_positive', sql`${t.owed} <= 0`),
  ],
)

/** Available points by when they were earned, so the oldest are spent and expire first. */
export const pointsLots = pgTable(
  'points_lots',
  {
    memberId: uuid('member_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    earnedAt: timestamp('earned_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    points: integer('points').notNull(),
    remaining: integer('remaining').notNull(),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.entryId] }),
    index('points_lots_expiry_idx').on(t.expiresAt).where(sql`${t.remaining} > 0`),
    // A member's oldest open lot, at every redemption: without it the planner walks the expiry index.
    index('points_lots_member_open_idx').on(t.memberId, t.expiresAt).where(sql`${t.remaining} > 0`),
    check('points_lot_remaining', sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.points}`),
  ],
)

/** Pending points waiting for a purchase's return window to close. */
export const pendingPoints = pgTable(
  'pending_points',
  {
    memberId: uuid('member_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    activityId: uuid('activity_id').notNull(),
    points: integer('points').notNull(),
    /** What is still held: returns take from here first. */
    remaining: integer('remaining').notNull(),
    releaseAt: timestamp('release_at', { withTimezone: true }).notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.entryId] }), index('pending_points_due_idx').on(t.releaseAt).where(sql`${t.releasedAt} is null`)],
)

/**
 * Earning rules as data: every version kept, the newest active version of a rule applies between
 * its dates, and each posting names the version that produced it.
 */
export const earningRules = pgTable(
  'earning_rules',
  {
    id: uuid('id').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['active', 'retired'] }).notNull(),
    document: jsonb('document').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.version] })],
)

/** Rewards a member can spend points on. */
export const rewards = pgTable('rewards', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  kind: text('kind', { enum: ['discount_code', 'free_product', 'experience'] }).notNull(),
  cost: integer('cost').notNull(),
  /**
   * How many there are to give, in all; null for unlimited. What is left is this less the reward's
   * `reward_stock_claims`: redemptions claim there, so this shared row is never written by one.
   */
  stock: integer('stock'),
  perMemberLimit: integer('per_member_limit'),
  channels: text('channels').array().notNull().default(sql`'{}'::text[]`),
  active: text('active', { enum: ['yes', 'no'] })
    .notNull()
    .default('yes'),
  /** Redeemable from this instant (null: at once) until that one (null: for as long as it is active); the redemption checks. */
  validFrom: timestamp('valid_from', { withTimezone: true }),
  validUntil: timestamp('valid_until', { withTimezone: true }),
  /** Tier codes whose members may redeem it; empty for every member. */
  tiers: text('tiers').array().notNull().default(sql`'{}'::text[]`),
  /** A picture of it, by https URL (the catalogue stores no files). */
  imageUrl: text('image_url'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
})

export const redemptions = pgTable(
  'redemptions',
  {
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    rewardId: uuid('reward_id').notNull(),
    points: integer('points').notNull(),
    status: text('status', { enum: ['reserved', 'confirmed', 'cancelled', 'expired'] }).notNull(),
    channel: text('channel').notNull(),
    storeCode: text('store_code'),
    code: text('code'),
    /** Who sent the Idempotency-Key (`apikey:<id>`, `user:<id>`): keys are the sender's own. */
    sentBy: text('sent_by').notNull().default('server'),
    idempotencyKey: text('idempotency_key').notNull(),
    reservedAt: timestamp('reserved_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** It holds a unit of the reward's stock (`reward_stock_claims`): a cancelled hold gives exactly that back. */
    claimedStock: boolean('claimed_stock').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.id] }),
    uniqueIndex('redemptions_idempotency_key').on(t.memberId, t.sentBy, t.idempotencyKey),
    index('redemptions_id_idx').on(t.id),
    index('redemptions_open_idx').on(t.expiresAt).where(sql`${t.status} = 'reserved'`),
  ],
)

/**
 * Units of a reward held or given by redemptions, one row per reward (distributed by reward under
 * Citus, apart from the shared catalogue): a redemption claims a unit by raising `claimed` while
 * it is below the reward's stock, so racing members queue on this row, and the last unit goes to
 * one of them only; a cancelled or lapsed reservation gives its unit back.
 */
export const rewardStockClaims = pgTable(
  'reward_stock_claims',
  {
    rewardId: uuid('reward_id').primaryKey(),
    claimed: integer('claimed').notNull().default(0),
  },
  (t) => [check('reward_stock_claimed_not_negative', sql`${t.claimed} >= 0`)],
)

/** Tiers members qualify for on their relationship score; benefits feed the earning rules (`when.tiers`). */
export const tiers = pgTable('tiers', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** Relationship score (rolling window) needed to reach the tier; the lowest tier needs 0. */
  threshold: integer('threshold').notNull(),
  perks: text('perks').array().notNull().default(sql`'{}'::text[]`),
})

/**
 * How the relationship score is made: points of spend (per pound, net of returns) and of
 * participation (points earned for anything but buying) over a rolling window; and how long a
 * member keeps a tier after their score drops below it.
 */
export const tierPolicy = pgTable('tier_policy', {
  id: text('id').primaryKey(),
  spendWeight: integer('spend_weight').notNull(),
  participationWeight: integer('participation_weight').notNull(),
  windowMonths: integer('window_months').notNull(),
  graceDays: integer('grace_days').notNull(),
})

export const memberTiers = pgTable('member_tiers', {
  memberId: uuid('member_id').primaryKey(),
  tier: text('tier').notNull(),
  score: integer('score').notNull(),
  since: timestamp('since', { withTimezone: true }).notNull(),
  /** Set when the score fell below the tier: the downgrade happens then, unless the score recovers. */
  downgradeAt: timestamp('downgrade_at', { withTimezone: true }),
  evaluatedAt: timestamp('evaluated_at', { withTimezone: true }).notNull(),
})

export const tierHistory = pgTable(
  'tier_history',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    fromTier: text('from_tier'),
    toTier: text('to_tier').notNull(),
    score: integer('score').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] })],
)

/** Each member's invite code; looked up by code when a friend joins (a lookup table, like identifiers). */
export const referralCodes = pgTable(
  'referral_codes',
  {
    code: text('code').primaryKey(),
    memberId: uuid('member_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  // One code a member, kept by referralCodeOf's lock, not a unique index: under Citus the table is distributed by code.
  (t) => [index('referral_codes_member_idx').on(t.memberId)],
)

/** Who brought whom: one referral per invitee, rewarded on both sides once the friend's first purchase is safely kept. */
export const referrals = pgTable(
  'referrals',
  {
    memberId: uuid('member_id').primaryKey(),
    referrerId: uuid('referrer_id').notNull(),
    code: text('code').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['waiting', 'rewarded'] }).notNull(),
    rewardedAt: timestamp('rewarded_at', { withTimezone: true }),
  },
  (t) => [index('referrals_referrer_idx').on(t.referrerId), index('referrals_waiting_idx').on(t.status)],
)
