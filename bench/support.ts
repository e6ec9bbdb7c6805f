import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import autocannon from 'autocannon'
import pg from 'pg'

export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A scratch database for one benchmark, dropped and created afresh. */
export async function scratchDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${name} with (force)`)
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Starts a server in its own process and waits until it answers on the port. */
export async function startProcess(args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  // BENCH_PROFILE=dir writes each server's CPU profile there (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  // Up to three minutes: on a machine shared with other work, migrating and starting takes over one.
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`)
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (response.ok) return child
    } catch {}
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill('SIGKILL') // not left holding the port for the next run
  throw new Error(`${args.join(' ')} did not start`)
}

export async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  await once(child, 'exit')
}

export interface Load {
  rps: number
  p99Ms: number
  p50Ms: number
  errors: number
  non2xx: number
}

/** autocannon against a URL, cycling through `paths` so each request reads a different row. */
export async function load(
  base: string,
  paths: string[],
  headers: Record<string, string>,
  { connections = 50, seconds = 10, warmUpSeconds = 3, method = 'GET' as 'GET' | 'POST' } = {},
): Promise<Load> {
  let next = 0
  const run = (duration: number) =>
    autocannon({
      url: base,
      connections,
      duration,
      headers,
      requests: [{ method, setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
    })
  // Both servers get the same warm-up (JIT, connection pool, prepared plans) before the measured run.
  await run(warmUpSeconds)
  const result = await run(seconds)
  return { rps: Math.round(result.requests.average), p99Ms: result.latency.p99, p50Ms: result.latency.p50, errors: result.errors, non2xx: result.non2xx }
}

/** Runs a `regulars` CLI command in its own process and returns what it printed. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout?.on('data', (chunk) => (out += chunk))
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`regulars ${args.join(' ')} exited with ${code}`)
  return out
}

/** The bare baseline: rows into one table with one index, by `unnest`, in batches; returns rows/s. */
export async function bareUnnestRate(databaseUrl: string, rows: number, batch = 10_000): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await client.query('create table bare_rows (id bigint primary key, member text, sku text, quantity int, price bigint, at timestamptz)')
  const began = performance.now()
  for (let start = 0; start < rows; start += batch) {
    const n = Math.min(batch, rows - start)
    const ids = Array.from({ length: n }, (_, i) => start + i)
    await client.query('insert into bare_rows select * from unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::timestamptz[])', [
      ids,
      ids.map((i) => `L${i % 50_000}`),
      ids.map((i) => `SKU-${i % 400}`),
      ids.map((i) => 1 + (i % 3)),
      ids.map((i) => 100 + (i % 900)),
      ids.map((i) => new Date(1_700_000_000_000 + i * 1000).toISOString()),
    ])
  }
  const seconds = (performance.now() - began) / 1000
  await client.end()
  return Math.round(rows / seconds)
}
