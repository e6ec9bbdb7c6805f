import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sharedData } from '../test/support/shared-data.js'
import { bareUnnestRate, runCli, scratchDatabase } from './support.js'

const onlineRetail = sharedData('online-retail/online_retail.csv')

/**
 * `import`: a generated 1,000,000-row history through `regulars import transactions` on real
 * PostgreSQL (and on PGlite), and the UCI Online Retail file; the baseline is a bare `unnest` load
 * of as many rows into one table with one index, in the same run.
 */
export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'regulars-bench-import-'))
  const file = join(dir, 'history.csv')
  // 73,600 members write just over a million rows with the default 12 months.
  await runCli(['demo', 'generate', '--members', '73600', '--seed', '1', '--out', file])
  const importInto = async (env: Record<string, string | undefined>, path: string, format: string, extra: string[] = []) =>
    JSON.parse(
      (await runCli(['import', 'transactions', path, '--format', format, '--json', '--rejects', join(dir, 'rejects.csv'), ...extra], env))
        .trim()
        .split('\n')
        .pop() as string,
    )

  const postgres = await importInto({ DATABASE_URL: await scratchDatabase('regulars_bench_import') }, file, 'generic')
  const bare = await bareUnnestRate(await scratchDatabase('regulars_bench_import_bare'), postgres.rowsRead)
  const pglite = await importInto({ DATABASE_URL: undefined }, file, 'generic', ['--data', join(dir, 'pglite')])
  const rate = (s: { rowsRead: number; seconds: number }) => Math.round(s.rowsRead / s.seconds)
  let online: Record<string, unknown> | null = null
  if (onlineRetail) {
    const s = await importInto({ DATABASE_URL: await scratchDatabase('regulars_bench_import_uci') }, onlineRetail, 'online-retail')
    online = {
      rows: s.rowsRead,
      rowsPerSecond: rate(s),
      purchases: s.purchases,
      returns: s.returns,
      guestOrders: s.guestOrders,
      members: s.membersEnrolled,
      rejected: s.rejected,
      rejectedBecause: s.rejectedBecause,
    }
  }
  await rm(dir, { recursive: true, force: true })
  return {
    bench: 'import',
    rows: postgres.rowsRead,
    postgres: {
      rowsPerSecond: rate(postgres),
      seconds: Number(postgres.seconds.toFixed(1)),
      purchases: postgres.purchases,
      returns: postgres.returns,
      members: postgres.membersEnrolled,
    },
    pglite: { rowsPerSecond: rate(pglite), seconds: Number(pglite.seconds.toFixed(1)) },
    bareUnnestRowsPerSecond: bare,
    ratio: Number((rate(postgres) / bare).toFixed(3)),
    target: { postgresRowsPerSecond: 50_000 },
    onlineRetail: online,
  }
}
