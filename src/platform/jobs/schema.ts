import { sql } from 'drizzle-orm'
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Every run of a background job, wherever it ran (a node's worker, Run now, the CLI): what admins read. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey(),
    job: text('job').notNull(),
    /** What started it: its schedule, an admin's Run now (or a module's "now" button), or `regulars jobs run`. */
    trigger: text('trigger', { enum: ['schedule', 'admin', 'cli'] }).notNull(),
    requestedBy: text('requested_by'),
    /** The queue's job id (one per scheduled slot); absent for CLI runs, which skip the queue. */
    queueId: uuid('queue_id'),
    attempt: integer('attempt').notNull().default(1),
    /** When it was queued, then when it started. */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms'),
    /** `queued`: sent, waiting for a free node (the row a Run now answers with, so the caller can follow it). */
    outcome: text('outcome', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull(),
    /** One line a person reads ("Released 3 pending holds, …"); `result` has the figures. */
    summary: text('summary'),
    result: jsonb('result'),
    error: text('error'),
  },
  (t) => [
    index('job_runs_job_idx').on(t.job, t.id),
    index('job_runs_queue_idx').on(t.queueId),
    check('job_runs_finished', sql`${t.outcome} in ('queued', 'running') or ${t.durationMs} is not null`),
  ],
)
