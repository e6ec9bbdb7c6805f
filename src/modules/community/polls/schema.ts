import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Polls on the product mix. A poll and its options are shared (every member near it reads them); an
 * answer or a pairwise choice is the member's own row, keyed by member_id (docs/scale-out.md). Answers
 * keep the member id they were given under: a merge never rewrites them, and results count one voice
 * per live member through live_member(), so a merge (and its undoing) is right without moving rows.
 */
export const polls = pgTable(
  'polls',
  {
    id: uuid('id').primaryKey(),
    /** single or multiple choice, or a pairwise "which do you prefer?" survey. */
    kind: text('kind').notNull(),
    question: text('question').notNull(),
    description: text('description'),
    /** Who it is for: the whole retailer, a region, a store (by id) or a category. */
    scope: text('scope').notNull(),
    scopeValue: text('scope_value'),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** Pairwise: whether members may suggest options (held until staff approve). */
    suggestionsOpen: boolean('suggestions_open').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('polls_kind', sql`${t.kind} in ('single', 'multiple', 'pairwise')`),
    check('polls_scope', sql`${t.scope} in ('retailer', 'region', 'store', 'category')`),
    check('polls_scope_value', sql`(${t.scope} = 'retailer') = (${t.scopeValue} is null)`),
    index('polls_ends_idx').on(t.endsAt),
  ],
)

export const pollOptions = pgTable(
  'poll_options',
  {
    id: uuid('id').primaryKey(),
    pollId: uuid('poll_id').notNull(),
    label: text('label').notNull(),
    /** published (shown), pending (a member's suggestion awaiting staff), declined. */
    status: text('status').notNull(),
    suggestedBy: uuid('suggested_by'),
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('poll_options_status', sql`${t.status} in ('published', 'pending', 'declined')`), index('poll_options_poll_idx').on(t.pollId, t.position)],
)

/** A classic poll's answer: the options chosen, and the member's home store then (the by-store breakdown). */
export const pollAnswers = pgTable(
  'poll_answers',
  {
    memberId: uuid('member_id').notNull(),
    pollId: uuid('poll_id').notNull(),
    optionIds: uuid('option_ids').array().notNull(),
    storeId: uuid('store_id'),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.pollId] }),
    index('poll_answers_poll_idx').on(t.pollId),
    check('poll_answers_some', sql`cardinality(${t.optionIds}) > 0`),
  ],
)

/**
 * One pair a member was shown and answered: the pair in a fixed order (option_a < option_b), the
 * one they preferred, or null when they skipped it (asked again never).
 */
export const pairwiseChoices = pgTable(
  'pairwise_choices',
  {
    memberId: uuid('member_id').notNull(),
    pollId: uuid('poll_id').notNull(),
    optionA: uuid('option_a').notNull(),
    optionB: uuid('option_b').notNull(),
    winnerId: uuid('winner_id'),
    storeId: uuid('store_id'),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.pollId, t.optionA, t.optionB] }),
    index('pairwise_choices_poll_idx').on(t.pollId),
    check('pairwise_choices_ordered', sql`${t.optionA} < ${t.optionB}`),
    check('pairwise_choices_winner', sql`${t.winnerId} is null or ${t.winnerId} in (${t.optionA}, ${t.optionB})`),
  ],
)
