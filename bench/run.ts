/**
 * `npm run bench -- <name>`: runs one benchmark; each prints one JSON line of figures.
 * Benchmarks need real PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres,
 * used only to create and drop a scratch database of their own).
 */
const benchmarks: Record<string, () => Promise<unknown>> = {
  read: async () => (await import('./read.js')).run(),
  import: async () => (await import('./import.js')).run(),
  ingest: async () => (await import('./ingest.js')).run(),
  earn: async () => (await import('./ingest.js')).run({ withRules: true }),
  redeem: async () => (await import('./redeem.js')).run(),
  insights: async () => (await import('./insights.js')).run(),
  suggest: async () => (await import('./suggest.js')).run(),
  advisor: async () => (await import('./advisor.js')).run(),
  rooms: async () => (await import('./rooms.js')).run(),
  community: async () => (await import('./community.js')).run(),
}

const name = process.argv[2]
if (!name || !(name in benchmarks)) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}>\n`)
  process.exit(2)
}
const result = await benchmarks[name]()
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(0)
