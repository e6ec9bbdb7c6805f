import autocannon from 'autocannon'
import { sql } from 'drizzle-orm'
import { wire } from '../src/composition.js'
import { createApiKey } from '../src/modules/accounts/index.js'
import { seedDemo } from '../src/modules/demo/index.js'
import { systemClock } from '../src/platform/clock.js'
import { loadConfig } from '../src/platform/config.js'
import { migrate, openDatabase, queryRows } from '../src/platform/db/index.js'
import { scratchDatabase, startProcess, stopProcess } from './support.js'

/**
 * `suggest`: the till's "suggest at checkout" (`POST /v1/checkout/suggestions`: card and basket
 * in, three suggestions out) over 2,000 demo members, 10 tills at once for 10 s after a 3 s
 * warm-up; against bare Fastify + pg doing one indexed select, in the same run.
 */
export async function run() {
  const databaseUrl = await scratchDatabase('regulars_bench_suggest')
  const database = await openDatabase({ databaseUrl })
  await migrate(database)
  const config = loadConfig({ DATABASE_URL: databaseUrl }, { demo: true })
  await seedDemo({ db: database.db, clock: systemClock, config, wiring: wire(config) }, { members: 2000, months: 12 })
  const { key } = await createApiKey({ db: database.db, clock: systemClock }, { name: 'bench', scopes: ['suggestions:read'] })
  const cards = await queryRows<{ value: string; member_id: string }>(
    database.db,
    sql`select value, member_id from member_identifiers where kind = 'card' order by value`,
  )
  await database.close()

  const measure = async (url: string, requests: autocannon.Request[], headers: Record<string, string>) => {
    let next = 0
    const options = {
      url,
      connections: 10,
      headers,
      requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, ...requests[next++ % requests.length] }) }],
    }
    await autocannon({ ...options, duration: 3 })
    const result = await autocannon({ ...options, duration: 10 })
    return {
      rps: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p90Ms: result.latency.p90,
      p97_5Ms: result.latency.p97_5,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
    }
  }

  const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', REGULARS_DEMO: 'false' }
  const server = await startProcess(['src/main.ts', 'serve', '--port', '8094', '--host', '127.0.0.1'], env, 8094)
  const ours = await measure(
    'http://127.0.0.1:8094',
    cards.map((c) => ({
      method: 'POST',
      path: '/v1/checkout/suggestions',
      body: JSON.stringify({ member: { kind: 'card', value: c.value }, basket: ['SKU-00001'], k: 3 }),
    })),
    { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  )
  await stopProcess(server)
  const bare = await startProcess(['bench/bare-server.ts'], { DATABASE_URL: databaseUrl, PORT: '8095' }, 8095)
  const baseline = await measure(
    'http://127.0.0.1:8095',
    cards.map((c) => ({ method: 'GET', path: `/members/${c.member_id}` })),
    {},
  )
  await stopProcess(bare)
  return {
    bench: 'suggest',
    connections: 10,
    members: cards.length,
    regulars: ours,
    bare: baseline,
    ratio: Number((ours.rps / baseline.rps).toFixed(3)),
    target: { p95Ms: 20, note: 'autocannon reports p90 and p97.5; p97.5 ≤ 20 ms meets p95 ≤ 20 ms' },
  }
}
