import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { inject } from 'vitest'
import { type AppOptions, buildApp } from '../../src/app.js'
import { composeDeps } from '../../src/composition.js'
import { jobs as allJobs } from '../../src/jobs.js'
import { createApiKey, createUser } from '../../src/modules/accounts/index.js'
import { ensureDefaultChannels } from '../../src/modules/activity/index.js'
import { fixedClock } from '../../src/platform/clock.js'
import { loadConfig } from '../../src/platform/config.js'
import { openDatabase } from '../../src/platform/db/index.js'
import { openDelivery } from '../../src/platform/delivery/index.js'
import type { Deps } from '../../src/platform/deps.js'
import { createJobs, type JobRun, type Jobs } from '../../src/platform/jobs/index.js'
import { withDatabase } from '../setup/postgres.js'

export type TestDeps = Deps & { clock: ReturnType<typeof fixedClock>; close(): Promise<void> }

/**
 * What every test's configuration adds to the defaults: argon2 at its lowest cost, since a login at
 * production cost takes a tenth of a second or more and tests log in hundreds of times (the
 * production default has a test of its own in accounts.test.ts).
 */
export const testEnv = { REGULARS_PASSWORD_MEMORY_KIB: '8', REGULARS_PASSWORD_PASSES: '1' }

/** A migrated database of this test file's own: PGlite, or real PostgreSQL in the postgres project. */
export async function testDeps(at = '2026-11-01T12:00:00Z'): Promise<TestDeps> {
  const config = { ...loadConfig(testEnv, { data: 'memory', demo: false }), logLevel: 'silent' }
  const clock = fixedClock(at)
  if (process.env.REGULARS_TEST_DB === 'postgres') {
    const { adminUrl } = inject('postgresTemplate')
    const name = await takeClone()
    const databaseUrl = withDatabase(adminUrl, name)
    const database = await openDatabase({ databaseUrl, poolSize: 10 })
    await ensureDefaultChannels(database.db)
    return {
      ...composeDeps({ db: database.db, database, clock, config: { ...config, databaseUrl }, delivery: openDelivery(config) }),
      clock,
      close: async () => {
        await database.close()
        // Not waited for: the next file need not wait on the drop, and test/setup/postgres.ts drops
        // whatever is left of this run's databases at the end.
        dropClone(name)
      },
    }
  }
  const file = inject('pgliteTemplate')
  if (pgliteTemplate?.file !== file) pgliteTemplate = { file, tarball: readFile(file).then((tarball) => new Blob([tarball])) }
  const database = await openDatabase({ loadDataDir: await pgliteTemplate.tarball })
  await ensureDefaultChannels(database.db)
  return { ...composeDeps({ db: database.db, database, clock, config, delivery: openDelivery(config) }), clock, close: () => database.close() }
}

/** The migrated PGlite's data folder, read once a worker (loading does not change it). */
let pgliteTemplate: { file: string; tarball: Promise<Blob> } | undefined

/**
 * A copy of the template database. Each worker makes the next copy while its current test file
 * runs (files share a worker, see vitest.config.ts), so a file seldom waits for CREATE DATABASE.
 */
let nextClone: Promise<string> | undefined
function takeClone(): Promise<string> {
  const ready = nextClone ?? makeClone()
  nextClone = makeClone()
  nextClone.catch(() => {}) // the file that takes it sees the failure
  return ready
}

async function makeClone(): Promise<string> {
  const { adminUrl, template } = inject('postgresTemplate')
  const name = `${template.replace('_tpl_', '_t_')}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  admin.on('error', () => {}) // a dropped connection fails the query below, which is what counts
  await admin.connect()
  try {
    // Two workers copying the template at once would collide on its lock; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`)
        return name
      } catch (error) {
        if (attempt > 20 || !String(error).includes('being accessed')) throw error
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200))
      }
    }
  } finally {
    await admin.end()
  }
}

function dropClone(name: string) {
  const admin = new pg.Client({ connectionString: inject('postgresTemplate').adminUrl })
  admin.on('error', () => {})
  admin
    .connect()
    .then(() => admin.query(`drop database if exists ${name} with (force)`))
    .catch(() => {})
    .finally(() => admin.end().catch(() => {}))
}

export interface TestApp {
  app: FastifyInstance
  deps: TestDeps
  /** The app's background jobs, not started: `workStartedJob` works what a "now" button queued. */
  jobs?: Jobs
  close(): Promise<void>
}

/** The whole app over a fresh database, called through app.inject (real routing, hooks and schemas). */
export async function testApp(at?: string, extraRoutes?: AppOptions['extraRoutes']): Promise<TestApp> {
  const deps = await testDeps(at)
  const jobs = createJobs(deps, allJobs)
  const app = await buildApp(deps, { logger: false, extraRoutes, jobs })
  await app.ready()
  return {
    app,
    deps,
    jobs,
    close: async () => {
      await app.close()
      await deps.close()
    },
  }
}

/**
 * Works, here and now, the job a "now" button queued (a test app starts no workers, as a server
 * would), and answers the run the button's 202 named, finished.
 */
export async function workStartedJob(t: TestApp, started: { name: string; runId: string | null }): Promise<JobRun> {
  if (!t.jobs) throw new Error('This test app has no jobs of its own')
  const runs = await t.jobs.workQueued(started.name)
  const run = runs.find((r) => r.id === started.runId)
  if (!run) throw new Error(`No queued run ${started.runId} of ${started.name} (worked: ${runs.map((r) => r.id).join(', ') || 'none'})`)
  return run
}

export const testPassword = 'correct horse battery'

export interface Caller {
  headers: Record<string, string>
  userId?: string
  memberId?: string
}

/** Creates a login of the role and logs it in: the cookie and CSRF header to send with requests. */
export async function loginAs(
  t: TestApp,
  role: 'admin' | 'manager' | 'associate' | 'member',
  extra: { memberId?: string; storeIds?: string[] } = {},
): Promise<Caller> {
  const email = `${role}-${randomBytes(3).toString('hex')}@example.test`
  const memberId = role === 'member' ? (extra.memberId ?? (await someMember(t.deps))) : undefined
  const user = await createUser(t.deps, {
    email,
    displayName: `Test ${role}`,
    password: testPassword,
    role,
    memberId,
    storeIds: extra.storeIds,
    skipStrengthCheck: true,
  })
  const response = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: testPassword } })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`)
  const cookie = response.cookies.find((c) => c.name === 'regulars_session')
  return { headers: { cookie: `regulars_session=${cookie?.value}`, 'x-csrf-token': response.json().csrfToken }, userId: user.id, memberId }
}

/** An API key with the given scopes, as an Authorization header. */
export async function apiKeyCaller(deps: Deps, scopes: string[], name = `test ${scopes.join(' ')}`): Promise<Caller> {
  const { key } = await createApiKey(deps, { name, scopes })
  return { headers: { authorization: `Bearer ${key}` } }
}

async function someMember(deps: Deps): Promise<string> {
  const { enrolMembers } = await import('../../src/modules/members/index.js')
  const { newId } = await import('../../src/platform/ids.js')
  const id = newId()
  await enrolMembers(deps.db, [{ member: { id, givenName: 'Test', familyName: 'Member', joinedAt: deps.clock.now() }, identifiers: [] }], {
    defaultRegion: 'GB',
    at: deps.clock.now(),
  })
  return id
}
