import { sql } from 'drizzle-orm'
import { wire } from '../src/composition.js'
import { createApiKey } from '../src/modules/accounts/index.js'
import { seedDemo } from '../src/modules/demo/index.js'
import { systemClock } from '../src/platform/clock.js'
import { loadConfig } from '../src/platform/config.js'
import { migrate, openDatabase, queryRows } from '../src/platform/db/index.js'
import { load, scratchDatabase, startProcess, stopProcess } from './support.js'

/**
 * `read`: an API-key read of a member summary through the whole service (auth, validation,
 * aggregate over the member's history) against bare Fastify + pg doing one indexed select.
 */
export async function run() {
  const databaseUrl = await scratchDatabase('regulars_bench_read')
  const database = await openDatabase({ databaseUrl })
  await migrate(database)
  const config = loadConfig({ DATABASE_URL: databaseUrl }, { demo: true })
  await seedDemo({ db: database.db, clock: systemClock, config, wiring: wire(config) }, { members: 2000, months: 12 })
  const { key } = await createApiKey({ db: database.db, clock: systemClock }, { name: 'bench', scopes: ['members:read'] })
  const ids = (await queryRows<{ id: string }>(database.db, sql`select id from members order by id`)).map((r) => r.id)
  await database.close()

  const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', REGULARS_DEMO: 'false' }
  const regulars = await startProcess(['src/main.ts', 'serve', '--port', '8091', '--host', '127.0.0.1'], env, 8091)
  const ours = await load(
    'http://127.0.0.1:8091',
    ids.map((id) => `/v1/members/${id}/summary`),
    { authorization: `Bearer ${key}` },
  )
  await stopProcess(regulars)

  const bare = await startProcess(['bench/bare-server.ts'], { DATABASE_URL: databaseUrl, PORT: '8092' }, 8092)
  const baseline = await load(
    'http://127.0.0.1:8092',
    ids.map((id) => `/members/${id}`),
    {},
  )
  await stopProcess(bare)

  return {
    bench: 'read',
    connections: 50,
    seconds: 10,
    members: ids.length,
    regulars: ours,
    bare: baseline,
    ratio: Number((ours.rps / baseline.rps).toFixed(3)),
    target: 0.5,
  }
}
