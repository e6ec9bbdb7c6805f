import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { ensureDefaultChannels } from './modules/activity/index.js'
import { trainSuggestions } from './modules/advisor/index.js'
import { demoLogins, isEmpty, seedDemo } from './modules/demo/seed.js'
import { refreshChangedMembers, refreshInsights } from './modules/insights/index.js'
import { runRewardJobs } from './modules/rewards/index.js'
import { type Clock, systemClock } from './platform/clock.js'
import type { Config } from './platform/config.js'
import { migrate, openDatabase } from './platform/db/index.js'
import { openDelivery } from './platform/delivery/index.js'
import type { Deps } from './platform/deps.js'

/** Opens the database the config names (PGlite or PostgreSQL) and brings its schema up to date. */
export async function openDeps(config: Config, clock: Clock = systemClock): Promise<Deps> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  await migrate(database)
  await ensureDefaultChannels(database.db)
  return { db: database.db, database, clock, config, delivery: openDelivery(config) }
}

export interface RunningServer {
  app: FastifyInstance
  deps: Deps
  url: string
  close(): Promise<void>
}

/** Starts the service; on an empty database with demo seeding on, creates the demo retailer first. */
export async function startServer(config: Config, options: { logger?: boolean | object; say?: (line: string) => void } = {}): Promise<RunningServer> {
  const say = options.say ?? (() => {})
  const deps = await openDeps(config)
  let seeded = false
  if (config.seedDemo && (await isEmpty(deps.db))) {
    say('Seeding the demo retailer (first start)…')
    await seedDemo(deps)
    seeded = true
  }
  const app = await buildApp(deps, { logger: options.logger })
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://localhost:${port}`
  say(`Regulars is serving ${url} (${deps.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`)
  say(`API docs: ${url}/docs`)
  say(`Messages: ${deps.delivery.describe}`)
  if (config.seedDemo) {
    say(seeded ? 'Demo logins:' : 'Demo logins (if the demo retailer is still there):')
    for (const login of demoLogins) say(`  ${login.role.padEnd(9)} ${login.email}  password: ${login.password}`)
  }
  // Points move on with time (pending released, lots expired, till holds lapsed): every few minutes.
  // Relationship figures of members who did something are refreshed with them.
  const jobs = setInterval(() => {
    runRewardJobs(deps)
      .then(() => refreshChangedMembers(deps))
      .catch((error) => app.log.error({ err: error }, 'rewards jobs or insights refresh failed'))
  }, 5 * 60_000)
  jobs.unref()
  // Tiers are re-scored for everyone once a day (members who earn move up at once), every
  // member's insights are rebuilt with freshly fitted value models, and suggestions retrained.
  const nightly = setInterval(() => {
    runRewardJobs(deps, { nightly: true })
      .then(() => refreshInsights(deps))
      .then(() => trainSuggestions(deps))
      .catch((error) => app.log.error({ err: error }, 'nightly tier evaluation, insights refresh or suggestions training failed'))
  }, 24 * 3_600_000)
  nightly.unref()
  let closing: Promise<void> | undefined
  const close = () => {
    clearInterval(jobs)
    clearInterval(nightly)
    // Fastify stops accepting, lets in-flight requests finish, then the database closes.
    closing ??= app
      .close()
      .then(() => deps.delivery.close())
      .then(() => deps.database.close())
    return closing
  }
  return { app, deps, url, close }
}
