import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Caller, loginAs, type TestApp, testDeps } from '../../../test/support/testing.js'
import { buildApp } from '../../app.js'
import { jobs as allJobs } from '../../jobs.js'
import { createJobs, type Jobs } from './index.js'

describe('Admin → Jobs over HTTP', () => {
  let t: TestApp
  let jobs: Jobs
  let admin: Caller
  beforeAll(async () => {
    const deps = await testDeps('2026-11-02T12:00:00Z')
    // This node works the queue, as a server does; the schedules are ticked by the test, not the clock.
    jobs = createJobs(deps, allJobs, { pollingSeconds: 0.5 })
    const app = await buildApp(deps, { logger: false, jobs })
    await app.ready()
    await jobs.start(() => {})
    t = {
      app,
      deps,
      close: async () => {
        await Promise.all([app.close(), jobs.stop()])
        await deps.close()
      },
    }
    admin = await loginAs(t, 'admin')
  })
  afterAll(() => t.close())

  const get = (url: string, caller: Caller) => t.app.inject({ method: 'GET', url, headers: caller.headers })

  it('lists every job with its schedule in the retailer’s time zone and when it next runs', async () => {
    const response = await get('/v1/jobs', admin)
    expect(response.statusCode).toBe(200)
    const items = response.json().items
    expect(items.map((j: { name: string }) => j.name)).toEqual([
      'rewards-housekeeping',
      'tier-review',
      'insights-changed',
      'insights-full',
      'suggestions-training',
      'friends-feed',
      'rooms-end-inactive',
      'community-notifications',
    ])
    expect(items[1]).toMatchObject({ schedule: '0 2 * * *', timezone: 'Europe/London', heavy: true, nextRunAt: '2026-11-03T02:00:00.000Z', lastRun: null })
  })

  it('runs a job now on a free node and shows the run, its duration and outcome', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/jobs/rewards-housekeeping/run', headers: admin.headers })
    expect(response.statusCode).toBe(202)
    expect(response.json()).toEqual({ name: 'rewards-housekeeping', queued: true, runId: expect.any(String) })
    // The run it names is followed to its end by its id.
    const byId = async () => (await get(`/v1/jobs/runs/${response.json().runId}`, admin)).json()
    await vi.waitFor(async () => expect(await byId()).toMatchObject({ outcome: 'succeeded', trigger: 'admin' }), { timeout: 20_000, interval: 50 })
    const lastRun = async () => (await get('/v1/jobs', admin)).json().items[0].lastRun
    await vi.waitFor(async () => expect(await lastRun()).toMatchObject({ trigger: 'admin', outcome: 'succeeded' }), { timeout: 20_000, interval: 50 })
    const run = await lastRun()
    expect(run).toMatchObject({ requestedBy: 'Test admin', attempt: 1, summary: expect.stringMatching(/^Released 0 pending holds/) })
    expect(run.durationMs).toBeGreaterThanOrEqual(0)
    // The node also ran the five-minute slot due when it started (12:00).
    const runs = (await get('/v1/jobs/runs?job=rewards-housekeeping', admin)).json()
    expect(runs.items.map((r: { trigger: string }) => r.trigger)).toEqual(['admin', 'schedule'])
    expect(runs.items[0].id).toBe(run.id)
    expect(run.id).toBe(response.json().runId)
    const audit = (await get('/v1/audit', admin)).json().items
    expect(audit[0]).toMatchObject({ action: 'job.run_requested', targetKind: 'job', targetId: 'rewards-housekeeping' })
  })

  it('pages through the history, newest first', async () => {
    for (let i = 0; i < 3; i++) await jobs.runHere('tier-review')
    const first = (await get('/v1/jobs/runs?job=tier-review&limit=2', admin)).json()
    expect(first.items).toHaveLength(2)
    const second = (await get(`/v1/jobs/runs?job=tier-review&limit=2&cursor=${first.nextCursor}`, admin)).json()
    expect(second).toMatchObject({ items: [{ trigger: 'cli' }], nextCursor: null })
    expect(first.items[0].id > first.items[1].id && first.items[1].id > second.items[0].id).toBe(true)
    // A cursor this API never gave is a 400 naming it, not a database error.
    for (const cursor of ['1.5', Buffer.from('["x"]').toString('base64url')]) {
      const bad = await get(`/v1/jobs/runs?cursor=${cursor}`, admin)
      expect(bad.statusCode).toBe(400)
      expect(bad.json().errors[0].field).toContain('cursor')
    }
  })

  it('answers 404 for a job that does not exist and 400 for a name that cannot be one', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/v1/jobs/no-such-job/run', headers: admin.headers })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ type: '/problems/job-not-found', name: 'no-such-job' })
    expect((await get('/v1/jobs/runs?job=no-such-job', admin)).json().type).toBe('/problems/job-not-found')
    const bad = await t.app.inject({ method: 'POST', url: '/v1/jobs/DROP%20TABLE/run', headers: admin.headers })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toContain('name')
  })

  it('queues the scheduled job from each module’s “now” button, answering 202 with the run its caller follows', async () => {
    const manager = await loginAs(t, 'manager')
    const buttons = [
      { url: '/v1/tiers/evaluate', caller: manager, job: 'tier-review', payload: undefined },
      { url: '/v1/insights/refresh', caller: admin, job: 'insights-changed', payload: { changedOnly: true } },
      { url: '/v1/insights/refresh', caller: admin, job: 'insights-full', payload: {} },
      { url: '/v1/advisor/train', caller: admin, job: 'suggestions-training', payload: undefined },
    ]
    for (const { url, caller, job, payload } of buttons) {
      const started = await t.app.inject({ method: 'POST', url, headers: caller.headers, payload })
      expect(started.statusCode, started.body).toBe(202)
      expect(started.json()).toMatchObject({ name: job, runId: expect.any(String) })
      const run = async () => (await get(`/v1/jobs/runs/${started.json().runId}`, caller)).json()
      await vi.waitFor(async () => expect(await run()).toMatchObject({ job, trigger: 'admin', outcome: 'succeeded' }), { timeout: 30_000, interval: 100 })
    }
    const history = (await get('/v1/jobs/runs?job=tier-review', admin)).json().items
    expect(history[0]).toMatchObject({ trigger: 'admin', requestedBy: expect.any(String) }) // in Admin → Jobs like any run
    const associate = await loginAs(t, 'associate')
    expect((await get(`/v1/jobs/runs/${history[0].id}`, associate)).statusCode).toBe(403)
    expect((await get('/v1/jobs/runs/01a20b44-0000-7000-8000-000000000000', admin)).json()).toMatchObject({ status: 404, type: '/problems/not-found' })
  })

  it('keeps jobs from managers, associates and members', async () => {
    for (const role of ['manager', 'associate', 'member'] as const) {
      const caller = await loginAs(t, role)
      expect((await get('/v1/jobs', caller)).statusCode).toBe(403)
      expect((await get('/v1/jobs/runs', caller)).statusCode).toBe(403)
      expect((await t.app.inject({ method: 'POST', url: '/v1/jobs/insights-full/run', headers: caller.headers })).statusCode).toBe(403)
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/jobs' })).statusCode).toBe(401)
  })
})
