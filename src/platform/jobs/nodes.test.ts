import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { queryRows } from '../db/index.js'

/** A `regulars serve` process on the test database, and the lines it prints. */
function startNode(databaseUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/job-node.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, REGULARS_DEMO: 'false' },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  const waiting: { prefix: string; resolve: (line: string) => void }[] = []
  createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> }).on('line', (line) => {
    const index = waiting.findIndex((w) => line.startsWith(w.prefix))
    if (index >= 0) waiting.splice(index, 1)[0].resolve(line)
    else lines.push(line)
  })
  const next = (prefix: string) =>
    new Promise<string>((resolve) => {
      const seen = lines.findIndex((line) => line.startsWith(prefix))
      if (seen >= 0) resolve(lines.splice(seen, 1)[0])
      else waiting.push({ prefix, resolve })
    })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return {
    ready: next('ready'),
    async tick(at: string): Promise<string[]> {
      child.stdin?.write(`tick ${at}\n`)
      return JSON.parse((await next('ticked')).slice('ticked '.length))
    },
    async stop() {
      child.stdin?.write('stop\n')
      return exited
    },
    kill: () => child.kill('SIGKILL'),
  }
}

// Real PostgreSQL only: an embedded database belongs to one process.
describe.runIf(process.env.REGULARS_TEST_DB === 'postgres')('two server processes on one PostgreSQL', () => {
  let deps: TestDeps
  const nodes: ReturnType<typeof startNode>[] = []
  afterAll(async () => {
    for (const node of nodes) node.kill()
    await deps?.close()
  })

  const queueIsIdle = () =>
    vi.waitFor(
      async () => {
        const [busy] = await queryRows<{ n: number }>(
          deps.db,
          sql`select count(*)::int as n from pgboss.job where state < 'completed' and name not like '__pgboss%'`,
        )
        expect(busy.n).toBe(0)
      },
      { timeout: 30_000, interval: 100 },
    )

  it('run a scheduled job exactly once, and stop cleanly', async () => {
    deps = await testDeps()
    const databaseUrl = deps.config.databaseUrl as string
    nodes.push(startNode(databaseUrl), startNode(databaseUrl))
    await Promise.all(nodes.map((node) => node.ready))
    // Each node checked the schedules as it started (the five-minute jobs were due): let that settle.
    await queueIsIdle()

    // 02:00 in London on 3 November: the tier review is due on both nodes at the same moment.
    const at = '2026-11-03T02:00:20Z'
    const sent = (await Promise.all(nodes.map((node) => node.tick(at)))).flat()
    expect(sent.filter((name) => name === 'tier-review')).toEqual(['tier-review'])
    await queueIsIdle()

    const runs = await queryRows<{ job: string; slot: string | null; runs: number; outcomes: string[] }>(
      deps.db,
      sql`select r.job, j.data->>'slot' as slot, count(*)::int as runs, array_agg(r.outcome) as outcomes
            from job_runs r join pgboss.job j on j.id = r.queue_id group by 1, 2`,
    )
    expect(runs.find((r) => r.job === 'tier-review' && r.slot === '2026-11-03T02:00:00.000Z')).toMatchObject({ runs: 1, outcomes: ['succeeded'] })
    // No slot of any job ran twice: not the ones sent at start-up, not the ones ticked.
    expect(runs.filter((r) => r.runs !== 1)).toEqual([])

    expect(await Promise.all(nodes.map((node) => node.stop()))).toEqual([0, 0])
  }, 120_000)
})
