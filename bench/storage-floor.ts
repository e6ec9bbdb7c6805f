import pg from 'pg'
import { migrate, openDatabase } from '../src/platform/db/index.js'
import { newId } from '../src/platform/ids.js'

/**
 * The storage floor of ingestion: the rows every recorded purchase must leave behind (its receipt,
 * the activity, its lines and its `activity.recorded` event), written straight into a migrated
 * schema by `unnest` from pg clients, in transactions of `batchSize`, `inParallel` at once, as the
 * HTTP benchmark sends them. No HTTP, no JSON, no validation, no member resolution: what is left is
 * what PostgreSQL charges for the schema itself. Also the activity rows alone, without the rest.
 * Returns activities/s for both.
 */
export async function storageFloorRates(databaseUrl: string, activities: number, { linesEach = 3, batchSize = 1000, inParallel = 2 } = {}) {
  const database = await openDatabase({ databaseUrl })
  await migrate(database)
  await database.close()
  const members = Array.from({ length: 20_000 }, () => newId())
  const store = newId()
  const batch = (start: number, n: number) => {
    const ids = Array.from({ length: n }, () => newId())
    const memberIds = ids.map((_, i) => members[((start + i) * 7919) % members.length])
    const at = ids.map((_, i) => new Date(Date.UTC(2026, 9, 1) + (start + i) * 1000).toISOString())
    const keys = ids.map((_, i) => `floor-${start + i}`)
    const lineOf = (column: (i: number, l: number) => unknown) => ids.flatMap((_, i) => Array.from({ length: linesEach }, (_, l) => column(i, l)))
    return { ids, memberIds, at, keys, lineOf }
  }
  const writeActivities = (client: pg.Client, b: ReturnType<typeof batch>) =>
    client.query(
      `insert into activities (id, member_id, kind, channel, store_id, occurred_at, recorded_at, source, idempotency_key, order_ref, total_minor, currency)
       select id, member_id, 'purchase', 'store', $3, at, now(), 'till-1', key, key, 1000, 'GBP'
         from unnest($1::uuid[], $2::uuid[], $4::timestamptz[], $5::text[]) as t(id, member_id, at, key)`,
      [b.ids, b.memberIds, store, b.at, b.keys],
    )
  const writeTheRest = async (client: pg.Client, b: ReturnType<typeof batch>) => {
    await client.query(
      `insert into activity_receipts (source, idempotency_key, result, received_at)
       select 'till-1', key, jsonb_build_object('status', 'recorded', 'activityId', id, 'memberId', member_id), now()
         from unnest($1::uuid[], $2::uuid[], $3::text[]) as t(id, member_id, key)`,
      [b.ids, b.memberIds, b.keys],
    )
    await client.query(
      `insert into activity_lines (member_id, activity_id, line_no, sku, quantity, unit_price_minor, discount_minor)
       select * from unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::int[], $6::bigint[], $7::bigint[])`,
      [
        b.lineOf((i) => b.memberIds[i]),
        b.lineOf((i) => b.ids[i]),
        b.lineOf((_, l) => l + 1),
        b.lineOf((i, l) => `SKU-${(i * 3 + l) % 500}`),
        b.lineOf((_, l) => l + 1),
        b.lineOf((i, l) => 250 + ((i + l) % 40) * 50),
        b.lineOf((_, l) => (l === 2 ? 50 : 0)),
      ],
    )
    await client.query(
      `insert into outbox_events (topic, member_id, payload, occurred_at)
       select 'activity.recorded', member_id, jsonb_build_object('activityId', id, 'kind', 'purchase', 'channel', 'store', 'occurredAt', at, 'totalMinor', 1000), now()
         from unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) as t(id, member_id, at)`,
      [b.ids, b.memberIds, b.at],
    )
  }
  const rate = async (write: (client: pg.Client, b: ReturnType<typeof batch>) => Promise<unknown>) => {
    const clients = await Promise.all(
      Array.from({ length: inParallel }, async () => {
        const client = new pg.Client({ connectionString: databaseUrl })
        await client.connect()
        return client
      }),
    )
    let next = 0
    const began = performance.now()
    await Promise.all(
      clients.map(async (client) => {
        while (next < activities) {
          const start = next
          next += batchSize
          const b = batch(start, Math.min(batchSize, activities - start))
          await client.query('begin')
          await write(client, b)
          await client.query('commit')
        }
      }),
    )
    const seconds = (performance.now() - began) / 1000
    await Promise.all(clients.map((c) => c.end()))
    return Math.round(activities / seconds)
  }
  const activityRowsOnly = await rate(writeActivities)
  // Both passes start from an empty activity table (and the second's keys are new to every table).
  const cleaner = new pg.Client({ connectionString: databaseUrl })
  await cleaner.connect()
  await cleaner.query('truncate activities')
  await cleaner.end()
  const everyRow = await rate(async (client, b) => {
    await writeActivities(client, b)
    await writeTheRest(client, b)
  })
  return { activityRowsOnly, everyRow }
}
