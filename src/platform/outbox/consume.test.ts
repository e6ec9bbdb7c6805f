import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/pglite'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { type Db, queryRows } from '../db/index.js'
import { type ConsumedEvent, consumeOutbox, readOutbox } from './index.js'

/**
 * Two writers at once, as the database sees them: the first takes its id, the second takes a
 * higher one and commits, and only then does the first commit. On PostgreSQL these are two
 * connections; PGlite has one session, so the first writer is a prepared transaction (PREPARE
 * TRANSACTION leaves it open, holding its id and transaction id, while the session goes on).
 */
interface Writers {
  db: Db
  /** Starts the slow writer: its event is written, not committed. */
  startSlow(topic: string): Promise<number>
  commitSlow(): Promise<void>
  close(): Promise<void>
}

async function writers(deps: TestDeps): Promise<Writers> {
  const insert = `insert into outbox_events (topic, payload, occurred_at) values ($1, '{}', now()) returning id`
  if (deps.database.pool) {
    const slow = await deps.database.pool.connect()
    return {
      db: deps.db,
      async startSlow(topic) {
        await slow.query('begin')
        return Number((await slow.query(insert, [topic])).rows[0].id)
      },
      commitSlow: async () => void (await slow.query('commit')),
      close: async () => slow.release(),
    }
  }
  const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(inject('pgliteTemplate'))]), postgresqlconf: ['max_prepared_transactions = 2'] })
  return {
    db: drizzle(pglite) as unknown as Db,
    async startSlow(topic) {
      await pglite.query('begin')
      const id = Number((await pglite.query<{ id: number }>(insert, [topic])).rows[0].id)
      await pglite.query("prepare transaction 'slow writer'")
      return id
    },
    commitSlow: async () => void (await pglite.query("commit prepared 'slow writer'")),
    close: () => pglite.close(),
  }
}

const write = async (db: Db, topic: string, n = 1) =>
  (
    await queryRows<{ id: number }>(
      db,
      sql`insert into outbox_events (topic, payload, occurred_at) select ${topic}, jsonb_build_object('n', n), now() from generate_series(1, ${n}) n returning id`,
    )
  ).map((r) => Number(r.id))

describe('consuming the outbox', () => {
  let deps: TestDeps
  beforeAll(async () => {
    deps = await testDeps()
  })
  afterAll(() => deps.close())
  const at = new Date('2026-11-01T12:00:00Z')

  it('applies an event whose lower id commits after a higher one was applied, and each exactly once', async () => {
    const w = await writers(deps)
    try {
      const applied: number[] = []
      const consume = () =>
        consumeOutbox(w.db, { consumer: 'late-commit', topics: ['test.late'], at }, async (_tx, events) => void applied.push(...events.map((e) => e.id)))
      const early = await w.startSlow('test.late')
      const [later] = await write(w.db, 'test.late')
      expect(later).toBeGreaterThan(early)
      expect(await consume()).toBe(1)
      expect(applied).toEqual([later])
      await w.commitSlow()
      // Reading by id from the last one applied is how events get skipped:
      expect(await readOutbox(w.db, { after: later, topics: ['test.late'], limit: 10 })).toEqual([])
      expect(await consume()).toBe(1)
      expect(applied).toEqual([later, early])
      expect(await consume()).toBe(0)
      expect(applied).toEqual([later, early])
    } finally {
      await w.close()
    }
  })

  it('hands out events in batches, oldest first, and only of its topics', async () => {
    const ids = await write(deps.db, 'test.batch', 5)
    await write(deps.db, 'test.other', 3)
    const seen: ConsumedEvent[][] = []
    const consume = () => consumeOutbox(deps.db, { consumer: 'batches', topics: ['test.batch'], limit: 2, at }, async (_tx, events) => void seen.push(events))
    expect([await consume(), await consume(), await consume(), await consume()]).toEqual([2, 2, 1, 0])
    expect(seen.flat().map((e) => e.id)).toEqual(ids)
    expect(seen.flat().every((e) => e.topic === 'test.batch' && typeof e.payload.n === 'number')).toBe(true)
  })

  it('applies nothing, and keeps its place, when applying fails', async () => {
    const [id] = await write(deps.db, 'test.failing')
    const failing = consumeOutbox(deps.db, { consumer: 'failing', topics: ['test.failing'], at }, async (tx) => {
      await tx.execute(sql`insert into outbox_events (topic, payload, occurred_at) values ('test.side-effect', '{}', now())`)
      throw new Error('the reader is down')
    })
    await expect(failing).rejects.toThrow('the reader is down')
    const [{ n }] = await queryRows<{ n: number }>(deps.db, sql`select count(*)::int as n from outbox_events where topic = 'test.side-effect'`)
    expect(n).toBe(0)
    const applied: number[] = []
    await consumeOutbox(deps.db, { consumer: 'failing', topics: ['test.failing'], at }, async (_tx, events) => void applied.push(...events.map((e) => e.id)))
    expect(applied).toEqual([id])
  })

  it('gives each event to one of several consumers of the same name running at once', async () => {
    const ids = await write(deps.db, 'test.racing', 30)
    const applied: number[] = []
    const consume = () =>
      consumeOutbox(deps.db, { consumer: 'racing', topics: ['test.racing'], limit: 7, at }, async (tx, events) => {
        await tx.execute(sql`select pg_sleep(0.01)`) // hold the position a moment, so the others queue behind it
        applied.push(...events.map((e) => e.id))
      })
    const counts = await Promise.all([consume(), consume(), consume(), consume(), consume()])
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30)
    expect(applied.sort((a, b) => a - b)).toEqual(ids)
  })
})
