import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createApiKey } from '../src/modules/accounts/index.js'
import { systemClock } from '../src/platform/clock.js'
import { openDatabase } from '../src/platform/db/index.js'
import { runCli, scratchDatabase, startProcess, stopProcess } from './support.js'

const endpoints = [
  '/v1/insights/segments',
  '/v1/insights/value',
  '/v1/insights/retention',
  '/v1/insights/scores',
  '/v1/insights/scorecards/stores',
  '/v1/insights/scorecards/associates',
  '/v1/insights/scorecards/channels',
  '/v1/insights/members?maxPAlive=0.5',
  '/v1/insights/overview',
]

const p95 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.ceil(ms.length * 0.95) - 1]

/**
 * `insights`: 1,000,000 generated rows imported into PostgreSQL, then a full refresh of scores,
 * segments, value models and cohorts (target ≤ 30 s), then each dashboard endpoint's p95 over 60
 * requests after 10 warm-up ones (target ≤ 300 ms). The baseline is one bare aggregate over the
 * same activity (per member: count, sum, first and last purchase), timed in the same run.
 */
export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'regulars-bench-insights-'))
  const file = join(dir, 'history.csv')
  await runCli(['demo', 'generate', '--members', '73600', '--seed', '1', '--out', file])
  const databaseUrl = await scratchDatabase('regulars_bench_insights')
  await runCli(['import', 'transactions', file, '--format', 'generic', '--json', '--rejects', join(dir, 'rejects.csv')], { DATABASE_URL: databaseUrl })
  await rm(dir, { recursive: true, force: true })

  const bare = new pg.Client({ connectionString: databaseUrl })
  await bare.connect()
  await bare.query('vacuum analyze')
  const began = performance.now()
  await bare.query(
    `select member_id, count(*), sum(total_minor), min(occurred_at), max(occurred_at) from activities where kind = 'purchase' group by member_id`,
  )
  const bareSeconds = (performance.now() - began) / 1000
  const [{ activities }] = (await bare.query('select count(*)::int as activities from activities')).rows
  await bare.end()

  const refresh = JSON.parse((await runCli(['insights', 'refresh', '--json'], { DATABASE_URL: databaseUrl })).trim().split('\n').pop() as string)

  const database = await openDatabase({ databaseUrl })
  const { key } = await createApiKey({ db: database.db, clock: systemClock }, { name: 'bench', scopes: ['insights:read'] })
  await database.close()
  const server = await startProcess(
    ['src/main.ts', 'serve', '--port', '8093', '--host', '127.0.0.1'],
    { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', REGULARS_DEMO: 'false' },
    8093,
  )
  const latencies: Record<string, number> = {}
  for (const path of endpoints) {
    const times: number[] = []
    for (let i = 0; i < 70; i++) {
      const start = performance.now()
      const response = await fetch(`http://127.0.0.1:8093${path}`, { headers: { authorization: `Bearer ${key}` } })
      await response.arrayBuffer()
      if (!response.ok) throw new Error(`${path} answered ${response.status}`)
      if (i >= 10) times.push(performance.now() - start)
    }
    latencies[path] = Math.round(p95(times))
  }
  await stopProcess(server)
  return {
    bench: 'insights',
    rows: 1_000_000,
    activities,
    members: refresh.members,
    refreshSeconds: refresh.seconds,
    bareAggregateSeconds: Number(bareSeconds.toFixed(2)),
    ratio: Number((refresh.seconds / bareSeconds).toFixed(1)),
    models: refresh.models,
    p95Ms: latencies,
    worstP95Ms: Math.max(...Object.values(latencies)),
    target: { refreshSeconds: 30, p95Ms: 300 },
  }
}
