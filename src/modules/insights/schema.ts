import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

/** How scores and segments are made (docs/insights.md): one row, edited by admins. */
export const insightsSettings = pgTable('insights_settings', {
  id: text('id').primaryKey(),
  settings: jsonb('settings').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: uuid('updated_by'),
})

/**
 * Each member as the last refresh saw them: relationship score and its parts, segment, value
 * model. Rebuilt by the refresh job; every dashboard reads this table, never the raw activity.
 */
export const memberInsights = pgTable(
  'member_insights',
  {
    memberId: uuid('member_id').primaryKey(),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    score: integer('score').notNull(),
    /** Each part of the score between 0 and 1: recency, frequency, channels, participation, social, advice. */
    parts: jsonb('parts').notNull(),
    segment: text('segment'),
    homeStoreId: uuid('home_store_id'),
    joinedMonth: date('joined_month', { mode: 'string' }).notNull(),
    joinedChannel: text('joined_channel'),
    /** The channel the member used most in the score's window. */
    mainChannel: text('main_channel'),
    /** Channels used in the score's window; 2+ makes an omni-channel member. */
    channels: integer('channels').notNull(),
    orders: integer('orders').notNull(),
    spendMinor: bigint('spend_minor', { mode: 'number' }).notNull(),
    firstPurchaseAt: timestamp('first_purchase_at', { withTimezone: true }),
    lastPurchaseAt: timestamp('last_purchase_at', { withTimezone: true }),
    /** BG/NBD inputs, in weeks: repeat purchase days, time of the last one, and age since the first. */
    repeatPurchases: integer('repeat_purchases'),
    recencyWeeks: doublePrecision('recency_weeks'),
    ageWeeks: doublePrecision('age_weeks'),
    avgRepeatValueMinor: doublePrecision('avg_repeat_value_minor'),
    pAlive: real('p_alive'),
    expectedPurchases: real('expected_purchases'),
    clvMinor: bigint('clv_minor', { mode: 'number' }),
    /**
     * One-time buyers only (BG/NBD calls them alive whatever their age): when they count as drifting,
     * twice their home store's usual gap between purchases after their purchase. Null for the rest.
     */
    driftingAfter: timestamp('drifting_after', { withTimezone: true }),
  },
  (t) => [index('member_insights_segment_idx').on(t.segment), index('member_insights_store_idx').on(t.homeStoreId)],
)

/** A member's score at the end of each month (the last refresh in the month wins), for trends. */
export const memberScoreHistory = pgTable(
  'member_score_history',
  {
    memberId: uuid('member_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    score: integer('score').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.month] })],
)

/** A member's segment in each quarter since their first purchase, and what it was made of. */
export const memberSegments = pgTable(
  'member_segments',
  {
    memberId: uuid('member_id').notNull(),
    quarter: date('quarter', { mode: 'string' }).notNull(),
    segment: text('segment').notNull(),
    /** How the quarter's own shopping leaned: 'price', 'relationship', or null without purchases. */
    lean: text('lean'),
    orders: integer('orders').notNull(),
    promoShare: real('promo_share'),
    participation: integer('participation').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.quarter] }), index('member_segments_quarter_idx').on(t.quarter, t.segment)],
)

/** Retention: members of a join cohort active (bought) a number of months after joining. */
export const retentionCells = pgTable(
  'retention_cells',
  {
    cohortMonth: date('cohort_month', { mode: 'string' }).notNull(),
    joinedChannel: text('joined_channel').notNull(),
    homeStoreId: uuid('home_store_id'),
    omni: boolean('omni').notNull(),
    monthsAfter: integer('months_after').notNull(),
    activeMembers: integer('active_members').notNull(),
  },
  (t) => [index('retention_cells_cohort_idx').on(t.cohortMonth)],
)

/** Each refresh: when, how long, and the fitted value models, so the dashboard can say how fresh it is. */
export const insightsRuns = pgTable('insights_runs', {
  id: uuid('id').primaryKey(),
  kind: text('kind', { enum: ['full', 'incremental'] }).notNull(),
  asOf: timestamp('as_of', { withTimezone: true }).notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  seconds: real('seconds').notNull(),
  members: integer('members').notNull(),
  models: jsonb('models').notNull().default(sql`'{}'::jsonb`),
})

/** Members per segment and quarter, by home store and main channel: what the segment charts sum. */
export const segmentCounts = pgTable(
  'segment_counts',
  {
    quarter: date('quarter', { mode: 'string' }).notNull(),
    homeStoreId: uuid('home_store_id'),
    mainChannel: text('main_channel'),
    segment: text('segment').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [index('segment_counts_quarter_idx').on(t.quarter)],
)

/** Members moving from one segment (or none) in the quarter before to one in this quarter. */
export const segmentMoves = pgTable(
  'segment_moves',
  {
    quarter: date('quarter', { mode: 'string' }).notNull(),
    homeStoreId: uuid('home_store_id'),
    mainChannel: text('main_channel'),
    fromSegment: text('from_segment').notNull(),
    toSegment: text('to_segment').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [index('segment_moves_quarter_idx').on(t.quarter)],
)

/** Sales, orders and distinct buying members per month: in total, per channel and per store (`key`). */
export const salesMonths = pgTable(
  'sales_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    dimension: text('dimension', { enum: ['total', 'channel', 'store'] }).notNull(),
    key: text('key').notNull(),
    salesMinor: bigint('sales_minor', { mode: 'number' }).notNull(),
    orders: integer('orders').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.dimension, t.key] })],
)

/**
 * What a manager expects of a store or an associate each month, per scorecard figure (sales in minor
 * units): the scorecards show progress against it, pro rata for their period. Set by managers of the
 * store (`store_id`), audited.
 */
export const scorecardTargets = pgTable(
  'scorecard_targets',
  {
    id: uuid('id').primaryKey(),
    storeId: uuid('store_id').notNull(),
    dimension: text('dimension', { enum: ['store', 'associate'] }).notNull(),
    /** Who: the store's id, or the associate's login email (lower case), as the scorecard keys its rows. */
    key: text('key').notNull(),
    figure: text('figure').notNull(),
    monthly: bigint('monthly', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [uniqueIndex('scorecard_targets_who_figure_key').on(t.dimension, t.key, t.figure), check('scorecard_targets_monthly_positive', sql`${t.monthly} > 0`)],
)
