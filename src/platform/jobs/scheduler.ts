import { and, eq } from 'drizzle-orm'
import type PgBoss from 'pg-boss'
import { v5 as uuidv5 } from 'uuid'
import type { Deps } from '../deps.js'
import { DomainError } from '../http/problems.js'
import { newId } from '../ids.js'
import type { Job } from './job.js'
import { openQueue } from './queue.js'
import { type JobRun, recordQueued, runJob, waitingRun } from './runs.js'
import { checkSchedule, dueSlot } from './schedule.js'
import { jobRuns } from './schema.js'

export class JobNotFound extends DomainError {
  constructor(name: string) {
    super('/problems/job-not-found', 404, 'No such job', { name }, `There is no background job called "${name}".`)
  }
}

export interface JobsOptions {
  /** How often a node checks the schedules (each check sends what is due once, whoever checks first). */
  tickSeconds?: number
  /** How often an idle worker asks the queue for work; sends from this node wake it at once. */
  pollingSeconds?: number
  /** The first retry waits this long, each next one twice as long (default 60 s). */
  retryDelaySeconds?: number
}

/** Route options of a module whose "now" button queues its job. */
export interface WithJobs {
  jobs: Jobs
}

/** The background jobs of one node: schedule them, work them, start one now. */
export interface Jobs {
  readonly definitions: readonly Job[]
  find(name: string): Job
  /** Starts this node's workers and its schedule checks; failures of a check go to `onError` (a run's own failure is in its history). */
  start(onError: (error: unknown) => void, options?: { checkSchedules?: boolean }): Promise<void>
  /** Sends every job whose schedule fired by `at` (default now); returns the names this node sent. */
  tick(at?: Date): Promise<string[]>
  /**
   * Queues a run for whichever node is free, answering the run to follow (`GET /v1/jobs/runs/:id`);
   * `queued: false` when one was already waiting, and then that run's id.
   */
  runNow(name: string, requestedBy: string): Promise<{ queued: boolean; runId: string | null }>
  /** Works what is queued for a job in this process, now (for callers that start no workers: tests, one-off scripts). */
  workQueued(name: string): Promise<JobRun[]>
  /** Runs a job in this process, outside the queue (`regulars jobs run`); recorded like any run. */
  runHere(name: string, requestedBy?: string): Promise<JobRun>
  /** Stops checking and fetching, lets a run in progress finish (up to its grace time), then returns. */
  stop(): Promise<void>
}

// Names a scheduled slot's job id: every node computes the same id for "insights-full at 02:30",
// and the queue refuses a second job with it. (pg-boss's singletonKey does not dedupe on its standard queues.)
const slotNamespace = '6f0b3f3e-2c1d-5a8e-9b7a-1d2c3b4a5f60'

/**
 * Nodes starting together create the same queues at once, and PostgreSQL may pick one of them as a
 * deadlock victim (each attaches a partition): that one tries again and finds the queue there.
 */
async function createQueue(boss: PgBoss, queue: PgBoss.Queue) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boss.createQueue(queue.name, queue)
    } catch (error) {
      const retryable = ['40P01', '23505'].includes((error as { code?: string }).code ?? '')
      if (!retryable || attempt === 5) throw error
    }
  }
}

/**
 * One path for background work: each job is a pg-boss queue of its own, "stately" (at most one
 * waiting and one running across all nodes), retried three times with backoff. The schedule is
 * read here, in the retailer's time zone, with the app's clock, so tests tick it at any moment.
 */
export function createJobs(deps: Deps, definitions: readonly Job[], options: JobsOptions = {}): Jobs {
  const timezone = deps.config.timezone
  for (const job of definitions) checkSchedule(job.schedule, timezone)
  const boss: PgBoss = openQueue(deps.database)
  const workers = new Map<string, string>()
  let ticker: NodeJS.Timeout | undefined
  let queuesReady: Promise<void> | undefined

  const find = (name: string) => {
    const job = definitions.find((j) => j.name === name)
    if (!job) throw new JobNotFound(name)
    return job
  }
  const ensureQueues = () => {
    queuesReady ??= (async () => {
      for (const job of definitions) {
        const queue = {
          name: job.name,
          policy: 'stately' as const,
          retryLimit: 3,
          retryDelay: options.retryDelaySeconds ?? 60,
          retryBackoff: true,
          expireInSeconds: (job.timeoutMinutes ?? 15) * 60,
        }
        if (!(await boss.getQueue(job.name))) await createQueue(boss, queue)
        await boss.updateQueue(job.name, queue) // a changed timeout reaches queues created by an older version
      }
    })()
    queuesReady.catch(() => {
      queuesReady = undefined // the next send tries again
    })
    return queuesReady
  }
  /**
   * Sends a job with its `queued` run written first, so a run exists from the moment it can start;
   * a send the queue refuses (the slot already sent, or a run already waiting) takes its row back.
   */
  const send = async (job: Job, data: { trigger: JobRun['trigger']; requestedBy?: string; slot?: string }, queueId = newId()) => {
    await ensureQueues()
    const runId = newId()
    const wrote = await recordQueued(deps.db, { id: runId, job: job.name, ...data, queueId, at: deps.clock.now() })
    let sent: string | null = null
    try {
      sent = await boss.send(job.name, data, { id: queueId })
    } finally {
      if (!sent && wrote) await deps.db.delete(jobRuns).where(and(eq(jobRuns.id, runId), eq(jobRuns.outcome, 'queued')))
    }
    const worker = workers.get(job.name)
    if (sent && worker) boss.notifyWorker(worker) // a busy worker would otherwise wait out its polling interval
    return sent === null ? undefined : wrote ? runId : (await waitingRun(deps.db, job.name))?.id
  }
  const work = (job: Job) => async (queued: PgBoss.Job<{ trigger: JobRun['trigger']; requestedBy?: string }>) => {
    const run = await runJob(deps, job, {
      trigger: queued.data.trigger,
      requestedBy: queued.data.requestedBy,
      queueId: queued.id,
      attempt: (queued as PgBoss.JobWithMetadata).retryCount + 1,
    })
    if (run.outcome === 'failed') throw new Error(run.error ?? 'failed') // pg-boss retries it, with backoff
    return run
  }

  const tick = async (at = deps.clock.now()) => {
    const sent: string[] = []
    for (const job of definitions) {
      const slot = dueSlot(job.schedule, timezone, at)
      if (!slot) continue
      const id = uuidv5(`${job.name}@${slot.toISOString()}`, slotNamespace)
      // The slot travels with the job so its history says which 02:00 it was.
      if ((await send(job, { trigger: 'schedule', slot: slot.toISOString() }, id)) !== undefined) sent.push(job.name)
    }
    return sent
  }

  return {
    definitions,
    find,
    tick,
    async start(onError, { checkSchedules = true } = {}) {
      boss.on('error', onError) // maintenance (expiring dead nodes' runs, archiving) failing, or the queue itself
      await boss.start()
      await ensureQueues()
      const pollingIntervalSeconds = options.pollingSeconds ?? 5
      for (const job of definitions) {
        // One job a fetch (the default batch): a throwing batch handler would fail every job in it.
        const worker = await boss.work<{ trigger: JobRun['trigger']; requestedBy?: string }>(
          job.name,
          { pollingIntervalSeconds, includeMetadata: true },
          async ([queued]) => ({ runId: (await work(job)(queued)).id }),
        )
        workers.set(job.name, worker)
      }
      if (!checkSchedules) return
      const check = () => tick().catch(onError)
      await check()
      ticker = setInterval(check, (options.tickSeconds ?? 30) * 1000)
      ticker.unref()
    },
    async runNow(name, requestedBy) {
      const job = find(name)
      const runId = await send(job, { trigger: 'admin', requestedBy })
      if (runId !== undefined) return { queued: true, runId }
      return { queued: false, runId: (await waitingRun(deps.db, job.name))?.id ?? null }
    },
    async workQueued(name) {
      const job = find(name)
      await ensureQueues()
      const runs: JobRun[] = []
      for (
        let queued = await boss.fetch<{ trigger: JobRun['trigger']; requestedBy?: string }>(job.name, { includeMetadata: true });
        queued.length;
        queued = await boss.fetch(job.name, { includeMetadata: true })
      ) {
        for (const one of queued) {
          try {
            const run = await work(job)(one)
            await boss.complete(job.name, one.id, { runId: run.id })
            runs.push(run)
          } catch (error) {
            await boss.fail(job.name, one.id, { message: error instanceof Error ? error.message : String(error) })
          }
        }
      }
      return runs
    },
    runHere(name, requestedBy) {
      return runJob(deps, find(name), { trigger: 'cli', requestedBy })
    },
    async stop() {
      clearInterval(ticker)
      await boss.stop({ graceful: true, wait: true, close: false, timeout: 30_000 })
    },
  }
}
