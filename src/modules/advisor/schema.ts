import { sql } from 'drizzle-orm'
import { boolean, date, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { contactOutcomes, feedbackEvents, preferenceKinds, preferenceSubjects } from './api-schemas.js'

// The enums live with the API's schemas, which the web app reads.
export { type ContactOutcome, contactOutcomes, feedbackEvents, preferenceKinds, preferenceSubjects } from './api-schemas.js'

/**
 * What an associate learnt about a member: tagged, for the store team; the member sees a note
 * only when it is marked shareable ("prefers slim fits" yes, "haggles" no).
 */
export const memberNotes = pgTable(
  'member_notes',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    authorId: uuid('author_id').notNull(),
    authorName: text('author_name').notNull(),
    storeId: uuid('store_id'),
    body: text('body').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    shareable: boolean('shareable').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] }), index('member_notes_author_idx').on(t.authorId, t.createdAt)],
)

/** A follow-up an associate owes a member ("call when the linen shirts arrive"), due on a day. */
export const followUps = pgTable(
  'follow_ups',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    assigneeId: uuid('assignee_id').notNull(),
    createdBy: uuid('created_by').notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    outcome: text('outcome'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] }), index('follow_ups_open_idx').on(t.assigneeId, t.dueOn).where(sql`${t.doneAt} is null`)],
)

/**
 * One conversation with a member: at a visit, by phone, from the outreach list; what came of it
 * feeds the associate scorecard (conversations, suggestions accepted).
 */
export const conversations = pgTable(
  'conversations',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    associateId: uuid('associate_id').notNull(),
    associateEmail: text('associate_email').notNull(),
    storeId: uuid('store_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** What started it: 'visit', 'call', or an outreach reason ('drifting', 'birthday'…). */
    reason: text('reason').notNull(),
    summary: text('summary').notNull(),
    outcome: text('outcome', { enum: contactOutcomes }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] }), index('conversations_associate_idx').on(t.associateEmail, t.at)],
)

/**
 * An associate's outreach entry put aside: done (handled, off the list for a while) or snoozed to a
 * day. Per associate, member and reason; the list leaves an entry out until `until`.
 */
export const outreachMarks = pgTable(
  'outreach_marks',
  {
    memberId: uuid('member_id').notNull(),
    associateId: uuid('associate_id').notNull(),
    reason: text('reason').notNull(),
    state: text('state', { enum: ['done', 'snoozed'] }).notNull(),
    until: date('until', { mode: 'string' }).notNull(),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.associateId, t.reason] }), index('outreach_marks_associate_idx').on(t.associateId, t.until)],
)

/**
 * What the member or an associate said outright: likes and dislikes (a category, a brand, an
 * attribute such as colour: navy), sizes, and products never to suggest. Kept whatever the
 * profiling consent says: the member told us.
 */
export const tastePreferences = pgTable(
  'taste_preferences',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind', { enum: preferenceKinds }).notNull(),
    subjectKind: text('subject_kind', { enum: preferenceSubjects }).notNull(),
    subject: text('subject').notNull(),
    /** Who said it: 'member', or the associate's name. */
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] })],
)

/** Each member's suggestions as the last training left them, best first, each with its reason. */
export const suggestionLists = pgTable('suggestion_lists', {
  memberId: uuid('member_id').primaryKey(),
  items: jsonb('items').notNull(),
  trainedAt: timestamp('trained_at', { withTimezone: true }).notNull(),
})

/** What sells in each store (`key` = store id) and overall (`*`): for members without history or profiling consent. */
export const popularItems = pgTable('popular_items', {
  key: text('key').primaryKey(),
  items: jsonb('items').notNull(),
  trainedAt: timestamp('trained_at', { withTimezone: true }).notNull(),
})

/** What members did with suggestions: dismissed ones rest for a while, "not for me" lowers the taste for them. */
export const suggestionFeedback = pgTable(
  'suggestion_feedback',
  {
    memberId: uuid('member_id').notNull(),
    id: uuid('id').notNull(),
    sku: text('sku').notNull(),
    event: text('event', { enum: feedbackEvents }).notNull(),
    surface: text('surface').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.id] }), index('suggestion_feedback_member_sku_idx').on(t.memberId, t.sku)],
)
