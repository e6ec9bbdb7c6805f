import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { drizzle } from 'drizzle-orm/pglite'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { callersFor, enrol } from '../../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../../test/support/testing.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { deliverNotifications, notify } from '../index.js'

describe('the notification centre', () => {
  let t: TestApp
  let ids: Record<'ada' | 'bea', string>
  let as: Record<'ada' | 'bea' | 'sam' | 'kim' | 'key', Caller>
  const call = (caller: Caller | undefined, method: 'GET' | 'POST', url: string) => t.app.inject({ method, url: `/v1${url}`, headers: caller?.headers ?? {} })
  const centre = async (caller: Caller) => (await call(caller, 'GET', '/notifications')).json()

  beforeAll(async () => {
    t = await testApp()
    const [ada, bea] = await enrol(t, [{ givenName: 'Ada' }, { givenName: 'Bea' }])
    ids = { ada, bea }
    as = await callersFor(t, { ada: { member: ada }, bea: { member: bea }, sam: 'associate', kim: 'admin', key: { scopes: ['members:read'] } })
  })
  afterAll(() => t.close())

  it('delivers each notification once to each recipient, however often it is sent, and to nobody else', async () => {
    const reply = { kind: 'reply', title: 'Sam replied to your review', body: 'Thanks, Ada!', link: '/community/reviews/1', key: 'reply:1' } as const
    await notify(t.deps, { ...reply, recipients: [{ memberId: ids.ada }, { userId: as.sam.userId as string }] })
    await notify(t.deps, { ...reply, recipients: [{ memberId: ids.ada }] }) // sent again: still one
    expect(await centre(as.ada)).toMatchObject({
      unread: 1,
      items: [{ kind: 'reply', title: 'Sam replied to your review', body: 'Thanks, Ada!', link: '/community/reviews/1', readAt: null }],
    })
    expect(await centre(as.bea)).toMatchObject({ unread: 0, items: [] })
    expect(await centre(as.sam)).toMatchObject({ unread: 1, items: [{ title: 'Sam replied to your review' }] })
    expect(await centre(as.kim)).toMatchObject({ unread: 0, items: [] })
    expect(await deliverNotifications(t.deps)).toBe(0)
  })

  it('counts unread for the bell, marks one or all read, and never another’s', async () => {
    for (const n of [2, 3, 4]) await notify(t.deps, { recipients: [{ memberId: ids.ada }], kind: 'status', title: `Idea ${n} is planned`, key: `status:${n}` })
    expect((await call(as.ada, 'GET', '/notifications/unread')).json()).toEqual({ unread: 4 })
    const [newest] = (await centre(as.ada)).items
    expect(newest.title).toBe('Idea 4 is planned')
    expect((await call(as.bea, 'POST', `/notifications/${newest.id}/read`)).statusCode).toBe(404)
    expect((await call(as.ada, 'POST', `/notifications/${newest.id}/read`)).json()).toEqual({ unread: 3 })
    expect((await call(as.ada, 'GET', '/notifications?unread=true')).json().items.map((n: { title: string }) => n.title)).not.toContain('Idea 4 is planned')
    expect((await call(as.ada, 'POST', '/notifications/read')).json()).toEqual({ unread: 0 })
    expect((await centre(as.ada)).items.every((n: { readAt: string | null }) => n.readAt)).toBe(true)
    expect((await call(as.sam, 'GET', '/notifications/unread')).json()).toEqual({ unread: 1 })
  })

  it('pages newest first', async () => {
    const first = (await call(as.ada, 'GET', '/notifications?limit=2')).json()
    expect(first.items).toHaveLength(2)
    const second = (await call(as.ada, 'GET', `/notifications?limit=2&cursor=${first.nextCursor}`)).json()
    expect([...first.items, ...second.items].map((n: { title: string }) => n.title)).toEqual([
      'Idea 4 is planned',
      'Idea 3 is planned',
      'Idea 2 is planned',
      'Sam replied to your review',
    ])
    expect(second.nextCursor).toBeNull()
  })

  it('answers only people signed in, and links only to pages of the app', async () => {
    expect((await call(undefined, 'GET', '/notifications')).statusCode).toBe(401)
    expect((await call(as.key, 'GET', '/notifications')).statusCode).toBe(403)
    for (const link of ['https://evil.example/x', '//evil.example', 'javascript:alert(1)'])
      await expect(notify(t.deps, { recipients: [{ memberId: ids.ada }], kind: 'reply', title: 'x', link, key: `bad:${link}` })).rejects.toThrow(
        'links to a page of this app',
      )
  })

  it('misses none and doubles none when a slower writer commits after a faster one was delivered', async () => {
    const w = await writers(t)
    try {
      await w.startSlow((db) =>
        notify({ db, clock: t.deps.clock }, { recipients: [{ memberId: ids.bea }], kind: 'answer', title: 'Slow answer', key: 'race:slow' }),
      )
      await notify({ db: w.db, clock: t.deps.clock }, { recipients: [{ memberId: ids.bea }], kind: 'answer', title: 'Fast answer', key: 'race:fast' })
      expect(await deliverNotifications({ db: w.db, clock: t.deps.clock })).toBe(1)
      await w.commitSlow()
      expect(await deliverNotifications({ db: w.db, clock: t.deps.clock })).toBe(1)
      expect(await deliverNotifications({ db: w.db, clock: t.deps.clock })).toBe(0)
      const rows = await queryRows<{ title: string }>(w.db, sql`select title from member_notifications where member_id = ${ids.bea} order by title`)
      expect(rows.map((r) => r.title)).toEqual(['Fast answer', 'Slow answer'])
    } finally {
      await w.close()
    }
  })
})

/**
 * Two writers at once, as the database sees them (as in platform/outbox/consume.test.ts): the slow
 * one's transaction is open, holding its ids, while the fast one commits. On PostgreSQL a second
 * connection; PGlite has one session, so there the slow writer is a prepared transaction, on a
 * database of its own loaded from the template (with the members the test needs).
 */
async function writers(t: TestApp) {
  const pool = t.deps.database.pool
  if (pool) {
    const slow = await pool.connect()
    return {
      db: t.deps.db,
      async startSlow(write: (db: Db) => Promise<unknown>) {
        await slow.query('begin')
        await write(drizzlePg(slow) as unknown as Db)
      },
      commitSlow: async () => void (await slow.query('commit')),
      close: async () => slow.release(),
    }
  }
  const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(inject('pgliteTemplate'))]), postgresqlconf: ['max_prepared_transactions = 2'] })
  const db = drizzle(pglite) as unknown as Db
  const members = await queryRows<{ id: string }>(t.deps.db, sql`select id from members`)
  for (const { id } of members) await db.execute(sql`insert into members (id, joined_at) values (${id}, now())`)
  return {
    db,
    async startSlow(write: (db: Db) => Promise<unknown>) {
      await pglite.query('begin')
      await write(db)
      await pglite.query("prepare transaction 'slow writer'")
    },
    commitSlow: async () => void (await pglite.query("commit prepared 'slow writer'")),
    close: () => pglite.close(),
  }
}
