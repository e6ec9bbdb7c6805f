import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/** The kinds of community content that pass through screening (each owner registers a moderation target). */
export const contentKinds = ['review', 'question', 'answer', 'reply', 'idea', 'comment', 'poll_option'] as const
export type ContentKind = (typeof contentKinds)[number]

/** Words for a kind of content, as a member reads them. */
export const kindWords: Record<ContentKind, string> = {
  review: 'review',
  question: 'question',
  answer: 'answer',
  reply: 'reply',
  idea: 'idea',
  comment: 'comment',
  poll_option: 'poll option',
}

/** Why a member reports something. */
export const reportReasons = ['spam', 'offensive', 'off_topic', 'personal_information', 'misleading', 'other'] as const
export type ReportReason = (typeof reportReasons)[number]

/**
 * Every piece of community content as moderation knows it: screened once when posted (and again
 * when edited), its status the moderators' word. The staff's review queue reads it across members,
 * so it lives on the coordinator (`local`), keyed by the content.
 */
export const moderationItems = pgTable(
  'moderation_items',
  {
    kind: text('kind', { enum: contentKinds }).notNull(),
    contentId: uuid('content_id').notNull(),
    /** The author. */
    memberId: uuid('member_id').notNull(),
    /** The store whose associates moderate it; null: retailer-wide (admins and staff of every store). */
    storeId: uuid('store_id'),
    status: text('status', { enum: ['published', 'held', 'hidden'] }).notNull(),
    /** Why it was held, in words (empty when published straight away). */
    reasons: text('reasons').array().notNull().default(sql`'{}'::text[]`),
    /** The text as screened, for the queue when the owner cannot describe it any more. */
    text: text('text').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
    decision: text('decision'),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.contentId] }),
    index('moderation_items_member_idx').on(t.memberId, t.status),
    index('moderation_items_status_idx').on(t.status, t.storeId),
  ],
)

/** One report per member per item, until a moderator settles it. */
export const moderationReports = pgTable(
  'moderation_reports',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: contentKinds }).notNull(),
    contentId: uuid('content_id').notNull(),
    /** The member who reported it. */
    memberId: uuid('member_id').notNull(),
    reason: text('reason', { enum: reportReasons }).notNull(),
    note: text('note'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    /** hidden, restored, dismissed */
    outcome: text('outcome'),
  },
  (t) => [
    uniqueIndex('moderation_reports_one_per_member').on(t.kind, t.contentId, t.memberId),
    index('moderation_reports_open_idx').on(t.kind, t.contentId).where(sql`${t.settledAt} is null`),
    index('moderation_reports_member_idx').on(t.memberId),
  ],
)

/** A member kept from posting: everywhere (`store_id` null) or about one store; until `ends_at`, or for good. */
export const moderationBans = pgTable(
  'moderation_bans',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    storeId: uuid('store_id'),
    reason: text('reason').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    bannedBy: uuid('banned_by').notNull(),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftedBy: uuid('lifted_by'),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] }), check('moderation_bans_ends_after_start', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`)],
)

/**
 * Posts per member per rate window, counted in the posting transaction by one upsert: the row lock
 * makes racing posts (from any process) queue and see each other's count.
 */
export const moderationPostCounts = pgTable(
  'moderation_post_counts',
  {
    memberId: uuid('member_id').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    posts: integer('posts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.windowStart] })],
)

/** The admin's list of words and phrases, kept with their normalised form (the one matched). */
export const moderationWordFilters = pgTable(
  'moderation_word_filters',
  {
    id: uuid('id').primaryKey(),
    term: text('term').notNull(),
    normalised: text('normalised').notNull(),
    /** hold: the post waits for a moderator; refuse: the member is asked to reword it. */
    action: text('action', { enum: ['hold', 'refuse'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [uniqueIndex('moderation_word_filters_normalised_key').on(t.normalised)],
)

/** One row: how many first posts are held, and how fast a member may post. Absent: the defaults. */
export const moderationSettings = pgTable(
  'moderation_settings',
  {
    id: boolean('id').primaryKey().default(true),
    holdFirstPosts: integer('hold_first_posts').notNull(),
    ratePosts: integer('rate_posts').notNull(),
    rateMinutes: integer('rate_minutes').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    check('moderation_settings_one_row', sql`${t.id}`),
    check(
      'moderation_settings_ranges',
      sql`${t.holdFirstPosts} between 0 and 100 and ${t.ratePosts} between 1 and 1000 and ${t.rateMinutes} between 1 and 1440`,
    ),
  ],
)
