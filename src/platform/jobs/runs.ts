import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../db/index.js'
import type { Deps } from '../deps.js'
import { newId } from '../ids.js'
import type { Job } from './job.js'
import { jobRuns } from './schema.js'

export type JobRun = typeof jobRuns.$inferSelect

export interface RunStart {
  trigger: JobRun['trigger']
  requestedBy?: string | null
  queueId?: string
  attempt?: number
}

const keepDays = 90

/**
 * Runs a job here and now, recording the run before and after: the one path every run takes (a
 * node's worker, `regulars jobs run`). A failure is recorded and returned, not thrown.
 */
export async function runJob(deps: Deps, job: Job, start: RunStart): Promise<JobRun> {
  const startedAt = deps.clock.now()
  let id: string | undefined
  if (start.queueId) {
    // A retry of a queued job whose node stopped mid-run: that run will never finish itself.
    await deps.db
      .update(jobRuns)
      .set({ outcome: 'failed', durationMs: 0, error: 'Interrupted: the node running it stopped' })
      .where(and(eq(jobRuns.queueId, start.queueId), eq(jobRuns.outcome, 'running')))
    // Its first attempt takes over the row its sender wrote, so whoever asked follows one run id.
    const [queued] = await deps.db
      .update(jobRuns)
      .set({ outcome: 'running', startedAt, attempt: start.attempt ?? 1 })
      .where(and(eq(jobRuns.queueId, start.queueId), eq(jobRuns.outcome, 'queued')))
      .returning({ id: jobRuns.id })
    id = queued?.id
  }
  if (!id) {
    id = newId()
    await deps.db.insert(jobRuns).values({
      id,
      job: job.name,
      trigger: start.trigger,
      requestedBy: start.requestedBy ?? null,
      queueId: start.queueId ?? null,
      attempt: start.attempt ?? 1,
      startedAt,
      outcome: 'running',
    })
  }
  const began = performance.now()
  let finished: Partial<JobRun>
  try {
    const result = await job.run(deps)
    finished = { outcome: 'succeeded', result, summary: job.summarise(result) }
  } catch (error) {
    finished = { outcome: 'failed', error: error instanceof Error ? error.message : String(error) }
  }
  const [run] = await deps.db
    .update(jobRuns)
    .set({ ...finished, durationMs: Math.round(performance.now() - began) })
    .where(eq(jobRuns.id, id))
    .returning()
  await deps.db.delete(jobRuns).where(and(eq(jobRuns.job, job.name), lt(jobRuns.startedAt, new Date(startedAt.getTime() - keepDays * 86_400_000))))
  return run
}

/**
 * Writes the `queued` row for a job about to be sent with `queueId`, unless that queue id already
 * has one (another node sent the same scheduled slot, or it already ran). True when this wrote it.
 */
export async function recordQueued(db: Db, run: { id: string; job: string; trigger: JobRun['trigger']; requestedBy?: string; queueId: string; at: Date }) {
  const written = await queryRows<{ id: string }>(
    db,
    sql`insert into job_runs (id, job, trigger, requested_by, queue_id, started_at, outcome)
        select ${run.id}, ${run.job}, ${run.trigger}, ${run.requestedBy ?? null}, ${run.queueId}, ${run.at.toISOString()}::timestamptz, 'queued'
        where not exists (select 1 from job_runs where queue_id = ${run.queueId})
        returning id`,
  )
  return written.length > 0
}

/** The run a caller follows; undefined when there is none with that id. */
export async function jobRunById(db: Db, id: string): Promise<JobRun | undefined> {
  const [run] = await db.select().from(jobRuns).where(eq(jobRuns.id, id))
  return run
}

/** The run of a job waiting for a node (Run now pressed while one already waits answers with it). */
export async function waitingRun(db: Db, job: string): Promise<JobRun | undefined> {
  const [run] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), inArray(jobRuns.outcome, ['queued', 'running'])))
    .orderBy(desc(jobRuns.id))
    .limit(1)
  return run
}

/** Runs newest first, of one job or all; the cursor is the last run's id (UUIDv7 ids sort by time). */
export async function jobHistory(db: Db, { job, limit, before }: { job?: string; limit: number; before?: string }) {
  const rows = await db
    .select()
    .from(jobRuns)
    .where(and(job ? eq(jobRuns.job, job) : undefined, before ? lt(jobRuns.id, before) : undefined))
    .orderBy(desc(jobRuns.id))
    .limit(limit + 1)
  return { items: rows.slice(0, limit), more: rows.length > limit }
}

/** Each job's latest run, by job name. */
export async function latestRuns(db: Db): Promise<Map<string, JobRun>> {
  const runs = await db.selectDistinctOn([jobRuns.job]).from(jobRuns).orderBy(jobRuns.job, desc(jobRuns.id))
  return new Map(runs.map((run) => [run.job, run]))
}
