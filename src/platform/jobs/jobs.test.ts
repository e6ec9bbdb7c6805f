import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { openDatabase } from '../db/index.js'
import type { Deps } from '../deps.js'
import { createJobs, defineJob, type Job, type Jobs, jobHistory } from './index.js'
import { dueSlot } from './schedule.js'

const nightly = (name: string, run: () => Promise<object> = async () => ({ ok: true })): Job =>
  defineJob({ name, title: name, description: 'a test job', schedule: '0 2 * * *', run, summarise: () => 'done' })

/** Waits for the runs a worker is doing on its own (a state, not a time: no fixed sleep). */
const runsOf = async (deps: Deps, job: string, count: number, outcome = 'succeeded') => {
  await vi.waitFor(
    async () => {
      const { items } = await jobHistory(deps.db, { job, limit: 20 })
      expect(items.filter((r) => r.outcome === outcome)).toHaveLength(count)
    },
    { timeout: 20_000, interval: 50 },
  )
  return (await jobHistory(deps.db, { job, limit: 20 })).items
}

describe('background jobs', () => {
  let deps: TestDeps
  /** A second node: its own pool on PostgreSQL, its own pg-boss either way (PGlite is one engine per process). */
  let otherNode: Deps
  const running: Jobs[] = []
  /** What the nodes reported going wrong outside a run (a schedule check, the queue): nothing, ever. */
  const failures: unknown[] = []
  beforeAll(async () => {
    deps = await testDeps('2026-11-01T12:00:00Z')
    const database = deps.config.databaseUrl ? await openDatabase({ databaseUrl: deps.config.databaseUrl, poolSize: 4 }) : deps.database
    otherNode = { ...deps, db: database.db, database }
  })
  afterEach(async () => {
    await Promise.all(running.splice(0).map((jobs) => jobs.stop()))
    expect(failures).toEqual([])
  })
  afterAll(async () => {
    if (otherNode.database !== deps.database) await otherNode.database.close()
    await deps.close()
  })

  const node = async (on: Deps, definitions: Job[], options = {}) => {
    const jobs = createJobs(on, definitions, { pollingSeconds: 0.5, ...options })
    await jobs.start((error) => failures.push(error))
    running.push(jobs)
    return jobs
  }

  it('runs a scheduled job once when two nodes check the schedule at the same moment', async () => {
    const job = nightly('test-once')
    const [a, b] = await Promise.all([node(deps, [job]), node(otherNode, [job])])
    // Both started at noon: 02:00 is long gone, so neither sent anything then.
    const at = new Date('2026-11-02T02:00:05Z')
    const sent = (await Promise.all([a.tick(at), b.tick(at)])).flat()
    expect(sent).toEqual(['test-once'])
    const [run] = await runsOf(deps, 'test-once', 1)
    expect(run).toMatchObject({ trigger: 'schedule', attempt: 1, outcome: 'succeeded', summary: 'done' })
    // Later checks within the same slot, on either node, send nothing more.
    expect([...(await a.tick(new Date('2026-11-02T02:20:00Z'))), ...(await b.tick(new Date('2026-11-02T02:59:00Z')))]).toEqual([])
    expect((await jobHistory(deps.db, { job: 'test-once', limit: 10 })).items).toHaveLength(1)
  })

  it('reads schedules in the retailer’s time zone', () => {
    // 02:00 in London is 01:00 UTC in summer; in New York it is 07:00 UTC in winter.
    expect(dueSlot('0 2 * * *', 'Europe/London', new Date('2026-07-01T01:00:30Z'))).toEqual(new Date('2026-07-01T01:00:00Z'))
    expect(dueSlot('0 2 * * *', 'America/New_York', new Date('2026-12-01T02:00:30Z'))).toBeUndefined()
    expect(dueSlot('0 2 * * *', 'America/New_York', new Date('2026-12-01T07:00:30Z'))).toEqual(new Date('2026-12-01T07:00:00Z'))
    // A slot nobody checked within the hour is skipped; the next one comes.
    expect(dueSlot('0 2 * * *', 'Europe/London', new Date('2026-12-01T03:00:01Z'))).toBeUndefined()
  })

  it('retries a failed run with backoff and keeps every attempt in the history', async () => {
    let calls = 0
    const flaky = nightly('test-flaky', async () => {
      calls++
      if (calls === 1) throw new Error('the database went away')
      return { ok: true }
    })
    const jobs = await node(deps, [flaky], { retryDelaySeconds: 1 })
    expect(await jobs.tick(new Date('2026-11-03T02:00:00Z'))).toEqual(['test-flaky'])
    const runs = await runsOf(deps, 'test-flaky', 1)
    expect(runs.map((r) => [r.attempt, r.outcome, r.error])).toEqual([
      [2, 'succeeded', null],
      [1, 'failed', 'the database went away'],
    ])
  })

  it('queues Run now once however often it is pressed, and says who asked', async () => {
    const job = nightly('test-run-now')
    const idle = createJobs(deps, [job]) // as the web app has it before any worker starts
    const first = await idle.runNow('test-run-now', 'Ada Admin')
    expect(first).toEqual({ queued: true, runId: expect.any(String) })
    // The run is there from the moment it is queued, so whoever pressed the button can follow it.
    const waiting = (await jobHistory(deps.db, { job: 'test-run-now', limit: 5 })).items
    expect(waiting).toMatchObject([{ id: first.runId, outcome: 'queued', trigger: 'admin', requestedBy: 'Ada Admin', durationMs: null }])
    expect(await idle.runNow('test-run-now', 'Ada Admin')).toEqual({ queued: false, runId: first.runId })
    await node(otherNode, [job])
    const runs = await runsOf(deps, 'test-run-now', 1)
    expect(runs).toMatchObject([{ id: first.runId, trigger: 'admin', requestedBy: 'Ada Admin', outcome: 'succeeded' }])
    await expect(idle.runNow('no-such-job', 'Ada Admin')).rejects.toMatchObject({ type: '/problems/job-not-found' })
  })

  it('lets a run in progress finish when the node stops', async () => {
    let release: () => void = () => {}
    let started: () => void = () => {}
    const inProgress = new Promise<void>((resolve) => {
      started = resolve
    })
    const slow = nightly('test-slow', async () => {
      started()
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return { ok: true }
    })
    const jobs = createJobs(deps, [slow], { pollingSeconds: 0.5 })
    await jobs.start(() => {})
    await jobs.runNow('test-slow', 'Ada Admin')
    await inProgress
    const stopped = jobs.stop()
    release()
    await stopped
    const [run] = (await jobHistory(deps.db, { job: 'test-slow', limit: 5 })).items
    expect(run.outcome).toBe('succeeded')
  })

  it('works what a "now" button queued in a process that starts no workers, under the run id it answered', async () => {
    const jobs = createJobs(deps, [nightly('test-drain', async () => ({ members: 5 }))])
    const { runId } = await jobs.runNow('test-drain', 'Ada Admin')
    const [run] = await jobs.workQueued('test-drain')
    expect(run).toMatchObject({ id: runId, trigger: 'admin', outcome: 'succeeded', result: { members: 5 } })
    expect(await jobs.workQueued('test-drain')).toEqual([]) // nothing left queued
  })

  it('runs a job here for the command line, recording it like any other run', async () => {
    const jobs = createJobs(deps, [nightly('test-here', async () => ({ members: 3 }))])
    const run = await jobs.runHere('test-here')
    expect(run).toMatchObject({ trigger: 'cli', outcome: 'succeeded', result: { members: 3 }, summary: 'done' })
    expect(run.durationMs).toBeGreaterThanOrEqual(0)
  })
})
