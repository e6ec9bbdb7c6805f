import { sql } from 'drizzle-orm'
import { createApiKey } from '../src/modules/accounts/index.js'
import { ensureDefaultChannels, upsertStores } from '../src/modules/activity/index.js'
import { seedProgramme } from '../src/modules/demo/index.js'
import { enrolMembers } from '../src/modules/members/index.js'
import { systemClock } from '../src/platform/clock.js'
import { migrate, openDatabase, queryRows } from '../src/platform/db/index.js'
import { newId } from '../src/platform/ids.js'
import { storageFloorRates } from './storage-floor.js'
import { bareUnnestRate, scratchDatabase, startProcess, stopProcess } from './support.js'

const activitiesToSend = 200_000
const batchSize = 1000
const inParallel = 2
const knownMembers = 20_000

/**
 * `ingest`: purchases with 3 lines each through the HTTP batch API (API key, validation, member
 * resolution, enrolment of unknown cards, receipts, outbox), against a bare `unnest` insert of as
 * many rows into one indexed table, in the same run.
 */
export async function run({ withRules = false } = {}) {
  const databaseUrl = await scratchDatabase(withRules ? 'regulars_bench_earn' : 'regulars_bench_ingest')
  const database = await openDatabase({ databaseUrl })
  await migrate(database)
  await ensureDefaultChannels(database.db)
  const storeCodes = ['S01', 'S02', 'S03', 'S04', 'S05']
  await upsertStores(
    database.db,
    storeCodes.map((code) => ({ id: newId(), code, name: `Store ${code}`, region: null, timezone: 'Europe/London' })),
  )
  const card = (n: number) => `6330${String(n).padStart(9, '0')}`
  await enrolMembers(
    database.db,
    Array.from({ length: knownMembers }, (_, i) => ({
      member: { id: newId(), joinedAt: new Date() },
      identifiers: [{ kind: 'card' as const, value: card(i) }],
    })),
    { defaultRegion: 'GB', at: new Date() },
  )
  const { key } = await createApiKey({ db: database.db, clock: systemClock }, { name: 'bench till', scopes: ['activity:write'] })
  if (withRules) {
    // The demo programme's rules: points per pound (pending a return window), Coffee Tuesdays, visits…
    const actor = { kind: 'apiKey' as const, keyId: 'bench', name: 'bench', scopes: [], via: 'apiKey' as const }
    await seedProgramme({ db: database.db, clock: systemClock }, actor)
  }
  await database.close()

  // One in ten purchases names a card nobody holds yet: the store channel enrols a new member.
  const purchase = (i: number) => ({
    kind: 'purchase',
    member: { kind: 'card', value: card(i % 10 === 0 ? knownMembers + i : (i * 7919) % knownMembers) },
    channel: 'store',
    store: storeCodes[i % storeCodes.length],
    occurredAt: new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString(),
    source: `till-${i % 7}`,
    idempotencyKey: `bench-${i}`,
    orderRef: `T-${i}`,
    lines: [0, 1, 2].map((l) => ({ sku: `SKU-${(i * 3 + l) % 500}`, quantity: 1 + l, unitPrice: 250 + ((i + l) % 40) * 50, discount: l === 2 ? 50 : 0 })),
  })
  const batches = Array.from({ length: activitiesToSend / batchSize }, (_, b) =>
    JSON.stringify({ items: Array.from({ length: batchSize }, (_, i) => purchase(b * batchSize + i)) }),
  )

  const server = await startProcess(
    ['src/main.ts', 'serve', '--port', '8093', '--host', '127.0.0.1'],
    { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', REGULARS_DEMO: 'false' },
    8093,
  )
  let recorded = 0
  let failed = 0
  const began = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: inParallel }, async () => {
      while (next < batches.length) {
        const body = batches[next++]
        const response = await fetch('http://127.0.0.1:8093/v1/activities/batch', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        })
        if (!response.ok) {
          failed++
          continue
        }
        const { results } = (await response.json()) as { results: { status: string }[] }
        recorded += results.filter((r) => r.status === 'recorded').length
      }
    }),
  )
  const seconds = (performance.now() - began) / 1000
  await stopProcess(server)
  const rate = Math.round(recorded / seconds)
  const bare = await bareUnnestRate(await scratchDatabase(withRules ? 'regulars_bench_earn_bare' : 'regulars_bench_ingest_bare'), activitiesToSend)
  const floor = await storageFloorRates(await scratchDatabase(withRules ? 'regulars_bench_earn_floor' : 'regulars_bench_ingest_floor'), activitiesToSend, {
    batchSize,
    inParallel,
  })
  const points = withRules ? await postedPoints(databaseUrl) : undefined
  return {
    bench: withRules ? 'earn' : 'ingest',
    activities: activitiesToSend,
    linesEach: 3,
    batchSize,
    inParallel,
    recorded,
    failedBatches: failed,
    seconds: Number(seconds.toFixed(1)),
    activitiesPerSecond: rate,
    bareUnnestRowsPerSecond: bare,
    ratio: Number((rate / bare).toFixed(3)),
    target: withRules ? 0.2 : 0.25,
    // Each activity writes 6 rows (receipt, activity, 3 lines, outbox event) under 10 indexes; the baseline 1 row under 1.
    ...(points ? { pointsEntriesPosted: points } : {}),
    rowsWrittenPerSecond: rate * 6,
    rowRatio: Number(((rate * 6) / bare).toFixed(3)),
    // What the schema alone allows: the same rows by unnest from pg clients, nothing else done.
    storageFloor: {
      activityRowsOnlyPerSecond: floor.activityRowsOnly,
      activityRowsOnlyRatio: Number((floor.activityRowsOnly / bare).toFixed(3)),
      everyRowPerSecond: floor.everyRow,
      everyRowRatio: Number((floor.everyRow / bare).toFixed(3)),
      ingestShareOfFloor: Number((rate / floor.everyRow).toFixed(3)),
    },
  }
}

/** Proof the earning ran: ledger entries the benchmark's activity posted. */
async function postedPoints(databaseUrl: string) {
  const database = await openDatabase({ databaseUrl })
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ledger_entries where kind = 'earn'`)
  await database.close()
  return row.n
}
