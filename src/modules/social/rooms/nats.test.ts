import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRoom, type LiveClient } from '../../../../test/support/rooms.js'
import { type Caller, loginAs, type TestApp, testApp } from '../../../../test/support/testing.js'
import { buildApp } from '../../../app.js'
import { composeDeps } from '../../../composition.js'
import { openDatabase } from '../../../platform/db/index.js'
import { inProcessBus } from './bus.js'
import { roomHub } from './hub.js'
import { appendEvent, eventFrame, eventsAfter, lastSeqOf } from './service.js'

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'

// Two app instances on one database, sharing rooms through the real NATS server: what several
// `regulars serve` processes do (the benchmark runs them as processes).
describe('rooms shared by two processes through NATS', () => {
  let a: TestApp
  let b: FastifyInstance
  let closeB: () => Promise<void>
  let host: Caller
  let friend: Caller
  let roomId: string

  beforeAll(async () => {
    a = await testApp()
    await a.app.close()
    const config = { ...a.deps.config, natsUrl }
    a.app = await buildApp({ ...a.deps, config }, { logger: false })
    await a.app.ready()
    // The second process: its own pool on real PostgreSQL; on PGlite the one engine there is.
    const second = config.databaseUrl ? await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 5 }) : a.deps.database
    b = await buildApp(composeDeps({ ...a.deps, db: second.db, database: second, config }), { logger: false })
    await b.ready()
    closeB = async () => {
      await b.close()
      if (second !== a.deps.database) await second.close()
    }
    host = await loginAs(a, 'member')
    friend = await loginAs(a, 'member')
    const opened = await a.app.inject({ method: 'POST', url: '/v1/rooms', headers: host.headers, payload: { title: 'Two nodes' } })
    roomId = opened.json().id
    await b.inject({ method: 'POST', url: `/v1/rooms/${roomId}/join`, headers: friend.headers, payload: { code: opened.json().inviteCode } })
  })
  afterAll(async () => {
    await closeB()
    await a.close()
  })

  const chat = async (client: LiveClient, ref: string) => {
    client.send({ type: 'chat.send', ref, text: ref })
    return (await client.waitFor((f) => f.type === 'ack' && f.ref === ref, ref)).seq as number
  }

  it('shows a client on A what a client on B says, and the other way round', async () => {
    const onA = await connectRoom(a.app, roomId, host)
    const onB = await connectRoom(b, roomId, friend)
    const fromA = await chat(onA, 'hello from A')
    const fromB = await chat(onB, 'hello from B')
    expect((await onB.waitFor((f) => f.type === 'event' && f.seq === fromA, 'A on B')).body).toEqual({ text: 'hello from A' })
    expect((await onA.waitFor((f) => f.type === 'event' && f.seq === fromB, 'B on A')).body).toEqual({ text: 'hello from B' })
    onA.close()
    onB.close()
  })

  it('resumes a client that drops from A on B: nothing lost, nothing twice, in order', async () => {
    const onA = await connectRoom(a.app, roomId, friend)
    const sender = await connectRoom(b, roomId, host)
    const seen = await chat(sender, 'seen on A')
    await onA.waitFor((f) => f.type === 'event' && f.seq === seen, 'seen')
    const last = onA.events().at(-1)?.seq as number
    onA.close()
    let missed = 0
    for (let i = 0; i < 8; i++) missed = await chat(sender, `while away ${i}`)
    const onB = await connectRoom(b, roomId, friend, last)
    // Keep talking while it catches up: live frames and the catch-up meet without a gap or repeat.
    const during = await chat(sender, 'during catch-up')
    await onB.waitFor((f) => f.type === 'event' && f.seq === during, 'during')
    const seqs = onB.events().map((f) => f.seq as number)
    const stored = (await eventsAfter(a.deps.db, roomId, last)).map((e) => e.seq).filter((s) => s <= during)
    expect(seqs.filter((s) => s <= during)).toEqual(stored)
    expect(seqs).toContain(missed)
    expect(new Set(seqs).size).toBe(seqs.length)
    onB.close()
    sender.close()
  })
})

describe('a process that missed a frame', () => {
  it('reads the gap from the database before handing on the next one (a process died between commit and publish)', async () => {
    const t = await testApp()
    try {
      const member = await loginAs(t, 'member')
      const opened = await t.app.inject({ method: 'POST', url: '/v1/rooms', headers: member.headers, payload: { title: 'Gaps' } })
      const roomId: string = opened.json().id
      const bus = inProcessBus()
      const hub = roomHub(bus, {
        framesAfter: async (id, after, upTo) => (await eventsAfter(t.deps.db, id, after, { upTo })).map((e) => ({ seq: e.seq, frame: eventFrame(e) })),
        lastSeq: (id) => lastSeqOf(t.deps.db, id),
      })
      const got: number[] = []
      const listener = { last: await lastSeqOf(t.deps.db, roomId), send: (frame: string) => got.push(JSON.parse(frame).seq) }
      const leave = await hub.attach(roomId, listener)
      const at = t.deps.clock.now()
      const lost = await appendEvent(t.deps.db, at, roomId, { kind: 'chat.message', participantId: null, body: { text: 'never published' } })
      const next = await appendEvent(t.deps.db, at, roomId, { kind: 'chat.message', participantId: null, body: { text: 'published' } })
      hub.publish(roomId, next.seq, eventFrame(next))
      hub.publish(roomId, next.seq, eventFrame(next)) // and once more, as a bus may
      await expect.poll(() => got).toEqual([lost.seq, next.seq])
      leave()
      await hub.close()
    } finally {
      await t.close()
    }
  })
})
