import { sql } from 'drizzle-orm'
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Ideas and everything hanging off one (votes, follows, comments, "I'd buy it" and pledges, status
 * history, the products that answered it) are placed by the idea (docs/scale-out.md): the board and
 * an idea's page read by idea, and a member's own votes are a few rows found by their member_id index.
 * `member_id` here is the live member (after merges); a merge re-points it (docs/community.md).
 */

export const ideaKinds = ['product', 'range', 'service'] as const
export const ideaScopes = ['retailer', 'region', 'store', 'category'] as const
export const ideaStatuses = ['new', 'under_review', 'planned', 'in_stock', 'declined', 'merged'] as const
/** Statuses that close an idea: no more votes, and every vote's budget comes back. */
export const closedStatuses = ['in_stock', 'declined', 'merged'] as const

export const ideas = pgTable(
  'ideas',
  {
    id: uuid('id').primaryKey(),
    /** Null once the author's data was erased: the idea stays, nameless. */
    authorId: uuid('author_id'),
    kind: text('kind', { enum: ideaKinds }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    scope: text('scope', { enum: ideaScopes }).notNull(),
    region: text('region'),
    storeId: uuid('store_id'),
    /** The category it is about (required for a category idea): purchases in it weigh its votes. */
    category: text('category'),
    status: text('status', { enum: ideaStatuses }).notNull().default('new'),
    statusReason: text('status_reason'),
    /** Sum of the live votes' weights, in hundredths (a weight of 1.5 is 150). */
    support: integer('support').notNull().default(0),
    voters: integer('voters').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull(),
    /** The first answer from the shop: a status change or a staff comment. */
    firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    mergedInto: uuid('merged_into'),
    /** Hidden by moderation: only staff see it. */
    hidden: boolean('hidden').notNull().default(false),
  },
  (t) => [
    index('ideas_board_support_idx').on(t.support.desc(), t.id).where(sql`not ${t.hidden} and ${t.status} <> 'merged'`),
    index('ideas_board_newest_idx').on(t.createdAt.desc(), t.id).where(sql`not ${t.hidden} and ${t.status} <> 'merged'`),
    index('ideas_author_idx').on(t.authorId),
    index('ideas_store_idx').on(t.storeId),
    check(
      'ideas_scope_named',
      sql`(${t.scope} <> 'store' or ${t.storeId} is not null) and (${t.scope} <> 'region' or ${t.region} is not null)
      and (${t.scope} <> 'category' or ${t.category} is not null)`,
    ),
    check('ideas_declined_reason', sql`${t.status} <> 'declined' or ${t.statusReason} is not null`),
  ],
)

/** Each status an idea has had, with who set it and why. */
export const ideaStatusChanges = pgTable(
  'idea_status_changes',
  {
    ideaId: uuid('idea_id').notNull(),
    id: uuid('id').notNull(),
    status: text('status', { enum: ideaStatuses }).notNull(),
    reason: text('reason'),
    /** The staff login that set it. */
    byUserId: uuid('by_user_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.id] })],
)

/**
 * One row per person per idea: a withdrawn vote keeps its row (so re-voting earns `vote_cast` no
 * second time); `returned_at` is when the idea closed and the vote's budget came back.
 */
export const ideaVotes = pgTable(
  'idea_votes',
  {
    ideaId: uuid('idea_id').notNull(),
    memberId: uuid('member_id').notNull(),
    /** The weight when cast, in hundredths. */
    weight: integer('weight').notNull(),
    /** The budget period it was spent in: `2026-12` (month), `2026-W49` (week), `2026-Q4` (quarter). */
    period: text('period').notNull(),
    castAt: timestamp('cast_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    /** The duplicate idea this vote was carried over from, when moderators merged ideas. */
    carriedFrom: uuid('carried_from'),
  },
  (t) => [
    primaryKey({ columns: [t.ideaId, t.memberId] }),
    index('idea_votes_budget_idx').on(t.memberId, t.period).where(sql`${t.withdrawnAt} is null and ${t.returnedAt} is null`),
    check('idea_votes_weight', sql`${t.weight} > 0`),
  ],
)

export const ideaFollows = pgTable(
  'idea_follows',
  {
    ideaId: uuid('idea_id').notNull(),
    memberId: uuid('member_id').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.memberId] }), index('idea_follows_member_idx').on(t.memberId)],
)

export const ideaComments = pgTable(
  'idea_comments',
  {
    ideaId: uuid('idea_id').notNull(),
    id: uuid('id').notNull(),
    /** A member's comment, or the shop's (a staff login, shown with its badge). */
    memberId: uuid('member_id'),
    userId: uuid('user_id'),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    hidden: boolean('hidden').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.ideaId, t.id] }),
    index('idea_comments_member_idx').on(t.memberId),
    check('idea_comments_author', sql`(${t.memberId} is null) <> (${t.userId} is null)`),
  ],
)

/**
 * The ladder's steps past support: "I'd buy it" (a price point and size) and a pre-order pledge
 * (a quantity; Regulars takes no payment). One of each per person per idea; a pledge is cancelled, not deleted.
 */
export const ideaDemand = pgTable(
  'idea_demand',
  {
    ideaId: uuid('idea_id').notNull(),
    memberId: uuid('member_id').notNull(),
    kind: text('kind', { enum: ['would_buy', 'pledge'] }).notNull(),
    priceMinor: bigint('price_minor', { mode: 'number' }),
    currency: text('currency').notNull(),
    size: text('size'),
    quantity: integer('quantity').notNull().default(1),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.ideaId, t.memberId, t.kind] }),
    index('idea_demand_member_idx').on(t.memberId),
    check('idea_demand_quantity', sql`${t.quantity} between 1 and 999`),
  ],
)

/** The products that answered a launched idea. */
export const ideaProducts = pgTable(
  'idea_products',
  {
    ideaId: uuid('idea_id').notNull(),
    sku: text('sku').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.sku] })],
)

/** The one row of settings (weights, budgets, the ladder's thresholds, the loop's N days), as JSON checked by IdeaSettings. */
export const ideaSettings = pgTable('idea_settings', {
  id: integer('id').primaryKey().default(1),
  settings: jsonb('settings').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})
