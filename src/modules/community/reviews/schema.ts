import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { contentStatuses, fitFeedback } from './api-schemas.js'

/**
 * Reviews and questions live on their product's page: every table is placed by `sku` (as rooms are
 * by room), so a product page reads one worker; a member's own list reads the `member_id` index.
 * The enums live with the API's schemas, which the web app reads.
 * `status`: published (everyone sees it), held (waiting for a moderator), hidden (a moderator took it down).
 */

/** One review per member per product; its text is Markdown, rendered safely on the way out. */
export const productReviews = pgTable(
  'product_reviews',
  {
    sku: text('sku').notNull(),
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    rating: smallint('rating').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    fit: text('fit', { enum: fitFeedback }),
    status: text('status', { enum: contentStatuses }).notNull(),
    version: integer('version').notNull().default(1),
    /** The review_posted activity, once it was first published: recorded exactly once. */
    activityId: uuid('activity_id'),
    /** Where it came from: the member, or an import (`import:<file key>`), whose rows earn nothing. */
    source: text('source').notNull().default('member'),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.sku, t.id] }),
    uniqueIndex('product_reviews_one_per_member').on(t.sku, t.memberId),
    index('product_reviews_member_idx').on(t.memberId),
    index('product_reviews_sku_time_idx').on(t.sku, t.postedAt),
    check('product_reviews_rating', sql`${t.rating} between 1 and 5`),
  ],
)

/** What a review said before each edit: version n is the text as it stood before edit n + 1. */
export const productReviewVersions = pgTable(
  'product_review_versions',
  {
    sku: text('sku').notNull(),
    reviewId: uuid('review_id').notNull(),
    version: integer('version').notNull(),
    memberId: uuid('member_id').notNull(),
    rating: smallint('rating').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    fit: text('fit', { enum: fitFeedback }),
    writtenAt: timestamp('written_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.reviewId, t.version] }), index('product_review_versions_member_idx').on(t.memberId)],
)

/** "Helpful": one vote per member per review. */
export const productReviewVotes = pgTable(
  'product_review_votes',
  {
    sku: text('sku').notNull(),
    reviewId: uuid('review_id').notNull(),
    memberId: uuid('member_id').notNull(),
    votedAt: timestamp('voted_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.reviewId, t.memberId] }), index('product_review_votes_member_idx').on(t.memberId)],
)

/** The store's or brand's answer to a review, by a staff login: shown with their name and store, never their email. */
export const productReviewReplies = pgTable(
  'product_review_replies',
  {
    sku: text('sku').notNull(),
    id: uuid('id').notNull(),
    reviewId: uuid('review_id').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    authorName: text('author_name').notNull(),
    storeName: text('store_name'),
    body: text('body').notNull(),
    repliedAt: timestamp('replied_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.id] }), index('product_review_replies_review_idx').on(t.sku, t.reviewId)],
)

/** A member's question on a product; the asker may choose the best answer. */
export const productQuestions = pgTable(
  'product_questions',
  {
    sku: text('sku').notNull(),
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: contentStatuses }).notNull(),
    bestAnswerId: uuid('best_answer_id'),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sku, t.id] }),
    index('product_questions_member_idx').on(t.memberId),
    index('product_questions_sku_time_idx').on(t.sku, t.askedAt),
  ],
)

/**
 * An answer by a member (`member_id`; `bought` when they had bought the product) or by an associate
 * (`author_user_id`, shown with the staff badge and their store's name).
 */
export const productAnswers = pgTable(
  'product_answers',
  {
    sku: text('sku').notNull(),
    id: uuid('id').notNull(),
    questionId: uuid('question_id').notNull(),
    memberId: uuid('member_id'),
    authorUserId: uuid('author_user_id'),
    authorName: text('author_name'),
    storeName: text('store_name'),
    body: text('body').notNull(),
    status: text('status', { enum: contentStatuses }).notNull(),
    /** The question_answered activity of a member's answer, recorded once when first published. */
    activityId: uuid('activity_id'),
    staff: boolean('staff').notNull().default(false),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sku, t.id] }),
    index('product_answers_question_idx').on(t.sku, t.questionId),
    index('product_answers_member_idx').on(t.memberId),
    check('product_answers_author', sql`(${t.memberId} is null) <> (${t.authorUserId} is null)`),
  ],
)
