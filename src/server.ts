import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { composeDeps } from './composition.js'
import { jobs as allJobs } from './jobs.js'
import { ensureDefaultChannels } from './modules/activity/index.js'
import { demoLogins, isEmpty, seedDemo } from './modules/demo/index.js'
import { type Clock, systemClock } from './platform/clock.js'
import type { Config } from './platform/config.js'
import { migrate, openDatabase } from './platform/db/index.js'
import { openDelivery } from './platform/delivery/index.js'
import type { Deps } from './platform/deps.js'
import { createJobs, type Jobs } from './platform/jobs/index.js'

/** Opens the database the config names (PGlite or PostgreSQL) and brings its schema up to date. */
export async function openDeps(config: Config, clock: Clock = systemClock, from: { loadDataDir?: Blob } = {}): Promise<Deps> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, loadDataDir: from.loadDataDir })
  await migrate(database)
  await ensureDefaultChannels(database.db)
  return composeDeps({ db: database.db, database, clock, config, delivery: openDelivery(config) })
}

export interface RunningServer {
  app: FastifyInstance
  deps: Deps
  /** This node's background jobs (`tick()` checks the schedules now, as tests do). */
  jobs: Jobs
  url: string
  close(): Promise<void>
}

/** Starts the service; on an empty database with demo seeding on, creates the demo retailer first. */
export async function startServer(
  config: Config,
  options: {
    logger?: boolean | object
    say?: (line: string) => void
    /** An embedded database's saved folder to start from (tests). */
    loadDataDir?: Blob
    /**
     * Whether this node checks the schedules (default yes). Browser tests say no: their servers live
     * a minute or two, and the every-minute jobs (feeds, notifications, housekeeping) then ran beside
     * every page; the queue's workers still run what "Run now" sends, and feeds catch up when read.
     */
    checkSchedules?: boolean
  } = {},
): Promise<RunningServer> {
  const say = options.say ?? (() => {})
  const deps = await openDeps(config, systemClock, { loadDataDir: options.loadDataDir })
  let seeded = false
  if (config.seedDemo && (await isEmpty(deps.db))) {
    say('Seeding the demo retailer (first start)…')
    await seedDemo(deps)
    seeded = true
  }
  // Every node works the queue and checks the schedules; each scheduled run happens on one of them.
  const jobs = createJobs(deps, allJobs)
  const app = await buildApp(deps, { logger: options.logger, jobs })
  await app.listen({ port: config.port, host: config.host })
  await jobs.start((error) => app.log.error({ err: error }, 'background jobs: the schedule check or the queue failed'), {
    checkSchedules: options.checkSchedules ?? true,
  })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://localhost:${port}`
  say(`Regulars is serving ${url} (${deps.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`)
  say(`API docs: ${url}/docs`)
  say(`Messages: ${deps.delivery.describe}`)
  if (config.seedDemo) {
    say(seeded ? 'Demo logins:' : 'Demo logins (if the demo retailer is still there):')
    const width = Math.max(...demoLogins.map((login) => login.email.length))
    for (const login of demoLogins) say(`  ${login.role.padEnd(9)} ${login.email.padEnd(width)}  password: ${login.password}`)
  }
  let closing: Promise<void> | undefined
  const close = () => {
    // Fastify stops accepting and lets in-flight requests finish while the job workers finish their
    // runs; then mail delivery and the database close.
    closing ??= Promise.all([app.close(), jobs.stop()])
      .then(() => deps.delivery.close())
      .then(() => deps.database.close())
    return closing
  }
  return { app, deps, jobs, url, close }
}
