import { index, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/** Every merge, with what moved, so it can be undone exactly. */
export const memberMerges = pgTable(
  'member_merges',
  {
    id: uuid('id').primaryKey(),
    survivorId: uuid('survivor_id').notNull(),
    mergedId: uuid('merged_id').notNull(),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull(),
    mergedBy: text('merged_by').notNull(),
    /** What each participant moved, in its own words, for unmerge. */
    moved: jsonb('moved').notNull(),
    unmergedAt: timestamp('unmerged_at', { withTimezone: true }),
    unmergedBy: text('unmerged_by'),
  },
  (t) => [index('member_merges_survivor_idx').on(t.survivorId), index('member_merges_merged_idx').on(t.mergedId)],
)

/** Pairs of members who may be one person, found by the duplicate scan, for staff to review. */
export const duplicateCandidates = pgTable(
  'duplicate_candidates',
  {
    id: uuid('id').primaryKey(),
    memberA: uuid('member_a').notNull(),
    memberB: uuid('member_b').notNull(),
    score: real('score').notNull(),
    reasons: text('reasons').array().notNull(),
    foundAt: timestamp('found_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['open', 'merged', 'dismissed'] })
      .notNull()
      .default('open'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
  },
  (t) => [uniqueIndex('duplicate_candidates_pair_key').on(t.memberA, t.memberB), index('duplicate_candidates_open_idx').on(t.status, t.score)],
)
