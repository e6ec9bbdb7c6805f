import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Mailbox, testAppWithMailbox } from '../../../test/support/mailbox.js'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import type { Caller, TestApp } from '../../../test/support/testing.js'
import { setConsents } from '../members/index.js'
import { outreachList } from './clienteling.js'

describe('working the outreach list: done, snooze, and a message by a channel the member allows', () => {
  let t: TestApp & { mailbox: Mailbox }
  let as: Record<'sam' | 'lee' | 'manager' | 'ada' | 'pos', Caller>
  let ada: string
  let bea: string
  let stores: Record<string, string>
  const call = (method: 'GET' | 'POST', url: string, who: Caller | undefined, payload?: object) => t.app.inject({ method, url, headers: who?.headers, payload })
  const list = async (who: Caller) => (await call('GET', '/v1/outreach', who)).json().items as { memberId: string; reason: string; assigned: boolean }[]

  beforeAll(async () => {
    t = await testAppWithMailbox('2026-11-01T12:00:00Z')
    stores = await addStores(t, [
      { code: 'S01', name: 'Camden' },
      { code: 'S02', name: 'Leeds' },
    ])
    ;[ada, bea] = await enrol(t, [
      {
        givenName: 'Ada',
        familyName: 'Lovelace',
        birthDate: '1990-11-03',
        homeStoreId: stores.S01,
        identifiers: [{ kind: 'email', value: 'ada@example.test' }],
      },
      { givenName: 'Bea', familyName: 'Shopper', birthDate: '1985-11-02', homeStoreId: stores.S01 },
    ])
    await setConsents(t.deps.db, ada, { marketing: true }, t.deps.clock.now(), { source: 'member_home' })
    as = await callersFor(t, {
      sam: { role: 'associate', storeIds: [stores.S01] },
      lee: { role: 'associate', storeIds: [stores.S02] },
      manager: 'manager',
      ada: { member: ada },
      pos: { scopes: ['members:write', 'members:read'] },
    })
    const followUp = await call('POST', `/v1/members/${bea}/follow-ups`, as.manager, {
      title: 'Call about the coat',
      dueOn: '2026-11-01',
      assigneeId: as.sam.userId,
    })
    expect(followUp.statusCode, followUp.body).toBe(201)
  })
  afterAll(() => t.close())

  it('puts what is assigned to the associate first, said so, then what is suggested for their store', async () => {
    const items = await list(as.sam)
    expect(items.map((i) => [i.memberId, i.reason, i.assigned])).toEqual([
      [bea, 'follow_up', true],
      [ada, 'birthday', false],
    ])
  })

  it('snoozes an entry to a day and marks one done: each leaves the list until then', async () => {
    const snoozed = await call('POST', `/v1/members/${ada}/outreach/snooze`, as.sam, { reason: 'birthday', until: '2026-11-02' })
    expect(snoozed.json()).toMatchObject({ state: 'snoozed', until: '2026-11-02' })
    expect((await list(as.sam)).map((i) => i.memberId)).toEqual([bea])
    const done = await call('POST', `/v1/members/${ada}/outreach/done`, as.sam, { reason: 'birthday' })
    expect(done.json()).toMatchObject({ state: 'done', until: '2026-12-01' })
    expect((await list(as.sam)).map((i) => i.memberId)).not.toContain(ada)
    const past = await call('POST', `/v1/members/${ada}/outreach/snooze`, as.sam, { reason: 'birthday', until: '2026-10-01' })
    expect(past.json()).toMatchObject({ status: 400, errors: [{ field: 'body/until', message: 'Snooze to a day from tomorrow, at most 90 days ahead' }] })
  })

  it('writes to the member by the channel they allow, through delivery, and logs it by the associate’s name', async () => {
    const options = (await call('GET', `/v1/members/${ada}/contact?reason=birthday`, as.sam)).json()
    expect(options.channels).toEqual([{ channel: 'email', to: 'ada@example.test' }])
    expect(options.template.subject).toBe('Happy birthday, Ada!')
    expect(options.template.text).toContain('Test')
    const sent = await call('POST', `/v1/members/${ada}/messages`, as.sam, { channel: 'email', reason: 'birthday', ...options.template })
    expect(sent.statusCode, sent.body).toBe(201)
    expect(sent.json()).toMatchObject({ outcome: 'messaged', reason: 'birthday', associateName: 'Test associate' })
    expect(sent.body).not.toContain('@example.test')
    await t.mailbox.arrival('ada@example.test', 0)
    expect(t.mailbox.received.at(-1)).toMatchObject({ to: ['ada@example.test'], subject: 'Happy birthday, Ada!' })
  })

  it('refuses a channel the member has not allowed, or has no verified address for', async () => {
    const sms = await call('POST', `/v1/members/${ada}/messages`, as.sam, { channel: 'sms', reason: 'birthday', subject: 'Hi', text: 'Hi' })
    expect(sms.statusCode).toBe(409)
    expect(sms.json()).toMatchObject({ type: '/problems/no-consented-channel' })
    expect((await call('GET', `/v1/members/${bea}/contact`, as.sam)).json().channels).toEqual([])
  })

  it('holds the store scope: a Leeds associate cannot snooze, read the contacts of or message a Camden member', async () => {
    expect((await call('POST', `/v1/members/${ada}/outreach/snooze`, as.lee, { reason: 'birthday' })).statusCode).toBe(404)
    expect((await call('POST', `/v1/members/${ada}/outreach/done`, as.lee, { reason: 'birthday' })).statusCode).toBe(404)
    expect((await call('GET', `/v1/members/${ada}/contact`, as.lee)).statusCode).toBe(404)
    const before = t.mailbox.received.length
    expect((await call('POST', `/v1/members/${ada}/messages`, as.lee, { channel: 'email', reason: 'birthday', subject: 'Hi', text: 'Hi' })).statusCode).toBe(
      404,
    )
    expect(t.mailbox.received.length).toBe(before)
    for (const who of [as.ada, as.pos]) {
      expect((await call('POST', `/v1/members/${ada}/outreach/done`, who, { reason: 'birthday' })).statusCode).toBe(403)
      expect((await call('POST', `/v1/members/${ada}/messages`, who, { channel: 'email', reason: 'birthday', subject: 'Hi', text: 'Hi' })).statusCode).toBe(403)
    }
    expect((await call('GET', `/v1/members/${ada}/contact`, undefined)).statusCode).toBe(401)
  })

  it('brings a snoozed entry back on the day it was snoozed to', async () => {
    const snoozed = await call('POST', `/v1/members/${bea}/outreach/snooze`, as.sam, { reason: 'follow_up', until: '2026-11-03' })
    expect(snoozed.statusCode, snoozed.body).toBe(200)
    // Bea's birthday this week now brings her on the list; her follow-up waits.
    expect((await list(as.sam)).filter((i) => i.memberId === bea).map((i) => i.reason)).toEqual(['birthday'])
    const sam = {
      kind: 'staff',
      userId: as.sam.userId as string,
      displayName: 'Test associate',
      role: 'associate',
      storeIds: [stores.S01],
      via: 'session',
      sessionId: '-',
      csrfSecret: '-',
    } as const
    t.deps.clock.advance(2 * 86_400_000)
    const later = await outreachList(t.deps, { ...sam, storeIds: [...sam.storeIds] })
    expect(later.find((i) => i.memberId === bea)).toMatchObject({ reason: 'follow_up', assigned: true })
  })
})
