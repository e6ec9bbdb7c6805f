import { recordAudit } from '../audit/index.js'
import type { Principal } from '../auth/principal.js'
import type { Deps } from '../deps.js'
import { NotFound } from '../http/problems.js'
import { type JobRun, jobHistory, jobRunById, latestRuns } from './runs.js'
import { nextRun } from './schedule.js'
import type { Jobs } from './scheduler.js'

/** Every job with its schedule, when it next runs and how its latest run went. */
export async function listJobs(deps: Deps, jobs: Jobs) {
  const latest = await latestRuns(deps.db)
  const now = deps.clock.now()
  return jobs.definitions.map((job) => ({
    name: job.name,
    title: job.title,
    description: job.description,
    schedule: job.schedule,
    timezone: deps.config.timezone,
    heavy: job.heavy ?? false,
    nextRunAt: nextRun(job.schedule, deps.config.timezone, now).toISOString(),
    lastRun: latest.has(job.name) ? shown(latest.get(job.name) as JobRun) : null,
  }))
}

/** Runs newest first, one job's or all; `cursor` (the last run's id) continues after the last page. */
export async function listRuns(deps: Deps, jobs: Jobs, query: { job?: string; limit: number; cursor?: string }) {
  if (query.job) jobs.find(query.job)
  const page = await jobHistory(deps.db, { job: query.job, limit: query.limit, before: query.cursor })
  const last = page.items.at(-1)
  return { items: page.items.map(shown), nextCursor: page.more && last ? last.id : null }
}

/** Run now (an admin's, or a manager's module button): queued for whichever node is free (once, however often it is pressed), and audited. */
export async function runJobNow(deps: Deps, jobs: Jobs, name: string, admin: Principal) {
  const job = jobs.find(name)
  const requestedBy = admin.kind === 'apiKey' ? admin.name : admin.displayName
  const { queued, runId } = await jobs.runNow(job.name, requestedBy)
  await recordAudit(deps.db, deps.clock.now(), admin, { action: 'job.run_requested', targetKind: 'job', targetId: job.name, after: { queued, runId } })
  return { name: job.name, queued, runId }
}

/** One run, for a caller following the run it started. */
export async function jobRun(deps: Deps, id: string) {
  const run = await jobRunById(deps.db, id)
  if (!run) throw new NotFound('Job run', id)
  return shown(run)
}

/** A run as the API shows it: the queue's own id stays inside. */
function shown({ queueId: _queueId, ...run }: JobRun) {
  return { ...run, startedAt: run.startedAt.toISOString(), result: (run.result ?? null) as Record<string, unknown> | null }
}
