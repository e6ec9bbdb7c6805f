import autocannon from 'autocannon'
import { sql } from 'drizzle-orm'
import { createApiKey } from '../src/modules/accounts/index.js'
import { enrolMembers } from '../src/modules/members/index.js'
import { adjustPoints, saveReward } from '../src/modules/rewards/index.js'
import { systemClock } from '../src/platform/clock.js'
import { loadConfig } from '../src/platform/config.js'
import { migrate, openDatabase } from '../src/platform/db/index.js'
import { newId } from '../src/platform/ids.js'
import { load, scratchDatabase, startProcess, stopProcess } from './support.js'

const shoppers = 2000

/**
 * `redeem`: tills redeeming rewards, each a reserve then a confirm (two requests, each locking the
 * member's balance row), 50 connections for 10 s across 2,000 members; in the same run the bare
 * Fastify + pg baseline of `read`, and its write floor: one committed single-row balance update.
 */
export async function run() {
  const databaseUrl = await scratchDatabase('regulars_bench_redeem')
  const database = await openDatabase({ databaseUrl })
  await migrate(database)
  const deps = { db: database.db, clock: systemClock, config: loadConfig({ DATABASE_URL: databaseUrl }, {}) }
  const ids = Array.from({ length: shoppers }, () => newId())
  await enrolMembers(
    database.db,
    ids.map((id, i) => ({
      member: { id, givenName: `Shopper ${i}`, joinedAt: new Date() },
      identifiers: [{ kind: 'card' as const, value: `7${String(i).padStart(10, '0')}` }],
    })),
    { defaultRegion: 'GB', at: new Date() },
  )
  const actor = { kind: 'apiKey' as const, keyId: 'bench', name: 'bench', scopes: [], via: 'apiKey' as const }
  for (const id of ids) await adjustPoints(deps, id, 100_000, 'benchmark balance', actor)
  const reward = await saveReward(deps, { name: 'Coffee', kind: 'free_product', cost: 10 }, actor)
  const { key } = await createApiKey(deps, { name: 'bench till', scopes: ['rewards:redeem'] })
  // Statistics as a running programme has them (autovacuum would get there on its own, later).
  await database.db.execute(sql`vacuum analyze`)
  await database.close()

  const server = await startProcess(
    ['src/main.ts', 'serve', '--port', '8094', '--host', '127.0.0.1'],
    { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', REGULARS_DEMO: 'false' },
    8094,
  )
  let n = 0
  const redemptions = (duration: number) =>
    autocannon({
      url: 'http://127.0.0.1:8094',
      connections: 50,
      duration,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            n++
            return {
              ...request,
              path: `/v1/members/${ids[n % shoppers]}/redemptions`,
              headers: { ...request.headers, 'idempotency-key': `bench-${n}-${newId()}` },
              body: JSON.stringify({ rewardId: reward.id, store: 'S01' }),
            }
          },
          onResponse: (_status, body, context) => {
            const redemption = JSON.parse(body)
            Object.assign(context, { redemption: redemption.id, member: redemption.memberId })
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context) => ({
            ...request,
            path: `/v1/members/${(context as { member?: string }).member}/redemptions/${(context as { redemption?: string }).redemption}/confirm`,
            body: undefined,
            headers: { authorization: `Bearer ${key}` },
          }),
        },
      ],
    })
  await redemptions(3) // warm-up, as for the baseline
  const result = await redemptions(10)
  await stopProcess(server)

  const bare = await startProcess(['bench/bare-server.ts'], { DATABASE_URL: databaseUrl, PORT: '8092' }, 8092)
  const baseline = await load(
    'http://127.0.0.1:8092',
    ids.map((id) => `/members/${id}`),
    {},
  )
  // The floor: one committed single-row update of a balance per request, at the same concurrency.
  const bareWrite = await load(
    'http://127.0.0.1:8092',
    ids.map((id) => `/members/${id}/holds`),
    {},
    { method: 'POST' },
  )
  await stopProcess(bare)
  const rps = Math.round(result.requests.average)
  return {
    bench: 'redeem',
    connections: 50,
    seconds: 10,
    members: shoppers,
    requestsPerSecond: rps,
    redemptionsPerSecond: Math.round(rps / 2),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    bare: baseline,
    bareWrite,
    ratio: Number((rps / baseline.rps).toFixed(3)),
    writeRatio: Number((rps / bareWrite.rps).toFixed(3)),
    target: { p99Ms: 25 },
  }
}
