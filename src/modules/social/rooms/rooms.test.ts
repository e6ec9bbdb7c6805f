import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRoom, type Frame } from '../../../../test/support/rooms.js'
import { type Caller, loginAs, type TestApp, testApp } from '../../../../test/support/testing.js'
import { eventsAfter } from './service.js'

describe('a live room over its socket', () => {
  let t: TestApp
  let host: Caller
  let friend: Caller
  let stranger: Caller
  let roomId: string
  let code: string

  beforeAll(async () => {
    t = await testApp()
    host = await loginAs(t, 'member')
    friend = await loginAs(t, 'member')
    stranger = await loginAs(t, 'member')
    const opened = await t.app.inject({ method: 'POST', url: '/v1/rooms', headers: host.headers, payload: { title: 'Saturday jackets' } })
    expect(opened.statusCode).toBe(201)
    roomId = opened.json().id
    code = opened.json().inviteCode
    const joined = await t.app.inject({ method: 'POST', url: `/v1/rooms/${roomId}/join`, headers: friend.headers, payload: { code } })
    expect(joined.statusCode).toBe(200)
    expect(joined.json().inviteCode).toBeNull() // the link's code is the host's to share
  })
  afterAll(() => t.close())

  it('lets in only the link holders and invited members: anyone else finds no room', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: `/v1/rooms/${roomId}/join`, headers: stranger.headers, payload: { code: 'not-the-code' } })
    expect(wrong.statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: `/v1/rooms/${roomId}`, headers: stranger.headers })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: `/v1/rooms/${roomId}/events`, headers: stranger.headers })).statusCode).toBe(404)
    await expect(connectRoom(t.app, roomId, stranger)).rejects.toThrow(/404/)
    await expect(connectRoom(t.app, roomId, { headers: {} })).rejects.toThrow(/401/)
  })

  it('refuses a socket opened from another site’s page (the cookie rides along, the Origin tells)', async () => {
    await expect(connectRoom(t.app, roomId, host, 0, { origin: 'https://evil.example' })).rejects.toThrow(/403/)
    const own = await connectRoom(t.app, roomId, host, 0, { origin: t.deps.config.publicUrl })
    own.close()
  })

  it('acknowledges a message only once it is stored, and both participants receive it under the same number', async () => {
    const a = await connectRoom(t.app, roomId, host)
    const b = await connectRoom(t.app, roomId, friend)
    a.send({ type: 'chat.send', ref: 'm-1', text: '<b>this one?</b>' })
    const ack = await a.waitFor((f) => f.type === 'ack' && f.ref === 'm-1', 'ack')
    const stored = await eventsAfter(t.deps.db, roomId, (ack.seq as number) - 1)
    expect(stored[0]).toMatchObject({ seq: ack.seq, kind: 'chat.message', body: { text: '<b>this one?</b>' } })
    const seen = await b.waitFor((f) => f.type === 'event' && f.seq === ack.seq, 'the chat event')
    expect(seen.body).toEqual({ text: '<b>this one?</b>' }) // text as sent: the page renders it as text
    a.close()
    b.close()
  })

  it('resumes a reconnecting client with exactly the events it missed, in order', async () => {
    const a = await connectRoom(t.app, roomId, host)
    const b = await connectRoom(t.app, roomId, friend)
    a.send({ type: 'chat.send', ref: 'r-0', text: 'before' })
    const before = await b.waitFor((f) => f.type === 'event' && f.kind === 'chat.message' && f.body.text === 'before', 'before')
    b.close()
    for (let i = 1; i <= 5; i++) a.send({ type: 'chat.send', ref: `r-${i}`, text: `missed ${i}` })
    const last = await a.waitFor((f) => f.type === 'ack' && f.ref === 'r-5', 'last ack')
    const back = await connectRoom(t.app, roomId, friend, before.seq)
    await back.waitFor((f) => f.type === 'event' && f.seq === last.seq, 'catch-up')
    const seqs = back.events().map((f) => f.seq as number)
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y))
    expect(seqs[0]).toBe((before.seq as number) + 1)
    const texts = back
      .events()
      .filter((f) => f.kind === 'chat.message')
      .map((f) => f.body.text)
    expect(texts).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5'])
    a.close()
    back.close()
  })

  it('answers a resend after a lost ack with the first number, and stores it once', async () => {
    const a = await connectRoom(t.app, roomId, host)
    a.send({ type: 'chat.send', ref: 'twice-1', text: 'once only' })
    const first = await a.waitFor((f) => f.type === 'ack' && f.ref === 'twice-1', 'ack')
    a.send({ type: 'chat.send', ref: 'twice-1', text: 'once only' })
    const second = await a.waitFor((f) => f.type === 'ack' && f.ref === 'twice-1' && f.replay === true, 'replayed ack')
    expect(second.seq).toBe(first.seq)
    const stored = await eventsAfter(t.deps.db, roomId, 0)
    expect(stored.filter((e) => e.body.text === 'once only')).toHaveLength(1)
    a.close()
  })

  it('answers bad input with an error frame and leaves the room as it was', async () => {
    const a = await connectRoom(t.app, roomId, host)
    const errors = (code: string) => a.waitFor((f) => f.type === 'error' && f.code === code, code)
    a.ws.send('not json')
    await errors('invalid')
    a.send({ type: 'chat.explode', ref: 'x' })
    await errors('unknown-type')
    a.send({ type: 'chat.send', ref: 'big', text: 'x'.repeat(5000) })
    await errors('too-large')
    a.send({ type: 'chat.send', ref: 'extra', text: 'hi', html: '<script>' })
    expect((await a.waitFor((f) => f.type === 'error' && f.ref === 'extra', 'unknown field')).code).toBe('invalid')
    a.send({ type: 'participant.remove', participantId: '01a20b44-0000-7000-8000-000000000000', ref: 'nobody' })
    await a.waitFor((f) => f.type === 'error' && f.ref === 'nobody', 'not found')
    a.close()
    const b = await connectRoom(t.app, roomId, friend)
    b.send({ type: 'participant.remove', participantId: '01a20b44-0000-7000-8000-000000000000', ref: 'not-host' })
    expect((await b.waitFor((f) => f.type === 'error' && f.ref === 'not-host', 'host only')).code).toBe('room-host-only')
    b.close()
  })

  it('drops a flood with rate-limited error frames; the socket and the room go on', async () => {
    const a = await connectRoom(t.app, roomId, host)
    const lastBefore = (await eventsAfter(t.deps.db, roomId, 0)).at(-1)?.seq as number
    for (let i = 0; i < 60; i++) a.send({ type: 'chat.send', ref: `flood-${i}`, text: `flood ${i}` })
    await a.waitFor((f) => f.type === 'error' && f.code === 'rate-limited', 'rate limit')
    const acked = await a.waitFor((f) => f.type === 'ack' && f.ref === 'flood-19', 'the burst’s last ack')
    const stored = await eventsAfter(t.deps.db, roomId, lastBefore)
    const chats = stored.filter((e) => e.kind === 'chat.message')
    expect(chats.length).toBeLessThan(60)
    expect(chats.length).toBeGreaterThanOrEqual(20)
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => lastBefore + 1 + i)) // no gap, none twice
    expect(acked.seq).toBeGreaterThan(lastBefore)
    a.close()
  })

  it('keeps the history for its members, after they leave too', async () => {
    const history = await t.app.inject({ method: 'GET', url: `/v1/rooms/${roomId}/events?after=0&limit=1000`, headers: friend.headers })
    expect(history.statusCode).toBe(200)
    const items: Frame[] = history.json().items
    expect(items[0]).toMatchObject({ seq: 1, kind: 'member.joined' })
    const listing = await t.app.inject({ method: 'GET', url: '/v1/rooms', headers: friend.headers })
    expect(listing.json().open.map((r: { id: string }) => r.id)).toContain(roomId)
  })
})
