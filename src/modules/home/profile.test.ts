import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores } from '../../../test/support/shop.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'

describe('a member keeps their own profile, identifiers and consents', () => {
  let t: TestApp
  let member: Caller
  let pos: Caller
  beforeAll(async () => {
    t = await testApp()
    await addStores(t, [{ code: 'S01', name: 'Camden', region: 'London' }])
    member = await loginAs(t, 'member')
    pos = await apiKeyCaller(t.deps, ['activity:write'])
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'PATCH' | 'POST' | 'PUT', url: string, caller: Caller, payload?: object) =>
    t.app.inject({ method, url, headers: caller.headers, payload })

  it('edits the profile, storing contact details normalised, and refuses nonsense', async () => {
    const card = (await call('PATCH', '/v1/me', member, { givenName: 'Grace', phone: '020 7946 0958', email: ' Grace@Example.TEST' })).json()
    expect(card.member).toMatchObject({ givenName: 'Grace', phone: '+442079460958', email: 'grace@example.test' })
    const bad = await call('PATCH', '/v1/me', member, { phone: 'ring twice' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([{ field: 'body/phone', message: "That phone number doesn't look right" }])
    expect((await call('PATCH', '/v1/me', member, { shoeSize: 9 })).statusCode).toBe(400)
  })

  it('records when each consent was given or withdrawn', async () => {
    const given = (await call('PUT', '/v1/me/consents', member, { marketing: true, profiling: false })).json()
    expect(given.consents).toMatchObject([
      { purpose: 'marketing', granted: true, changedAt: '2026-11-01T12:00:00.000Z' },
      { purpose: 'profiling', granted: false, changedAt: '2026-11-01T12:00:00.000Z' },
      { purpose: 'social_visibility', granted: false, changedAt: null },
    ])
    t.deps.clock.advance(3_600_000)
    const withdrawn = (await call('PUT', '/v1/me/consents', member, { marketing: false, profiling: false })).json()
    expect(withdrawn.consents[0]).toMatchObject({ purpose: 'marketing', granted: false, changedAt: '2026-11-01T13:00:00.000Z' })
    expect(withdrawn.consents[1].changedAt).toBe('2026-11-01T12:00:00.000Z') // unchanged choice keeps its time
    // The ledger holds each grant and withdrawal with where it was given and what the member was shown.
    const history = (await call('GET', '/v1/me/consents/history', member)).json().items
    expect(history.map((e: { purpose: string; granted: boolean; at: string }) => [e.purpose, e.granted, e.at])).toEqual([
      ['marketing', false, '2026-11-01T13:00:00.000Z'],
      ['profiling', false, '2026-11-01T12:00:00.000Z'],
      ['marketing', true, '2026-11-01T12:00:00.000Z'],
    ])
    expect(history[0]).toMatchObject({ channel: 'all', source: 'member_home', wording: withdrawn.consents[0].wording })
  })

  it('lets the member choose the channels offers reach them by, each recorded with its wording', async () => {
    await call('PUT', '/v1/me/consents', member, { marketing: true })
    const before = (await call('GET', '/v1/me', member)).json().marketingChannels
    expect(before.map((c: { channel: string; granted: boolean; own: boolean }) => [c.channel, c.granted, c.own])).toEqual([
      ['email', true, false],
      ['sms', true, false],
      ['push', true, false],
    ])
    t.deps.clock.advance(60_000)
    const chosen = await call('PUT', '/v1/me/consents/channels', member, { sms: false, push: true })
    expect(chosen.statusCode).toBe(200)
    expect(chosen.json().marketingChannels.map((c: { channel: string; granted: boolean; own: boolean }) => [c.channel, c.granted, c.own])).toEqual([
      ['email', true, false], // follows marketing
      ['sms', false, true],
      ['push', true, true],
    ])
    const history = (await call('GET', '/v1/me/consents/history', member)).json().items
    expect(history.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          purpose: 'marketing',
          channel: 'sms',
          granted: false,
          source: 'member_home',
          wording: 'Send me offers and news by text message.',
        }),
        expect.objectContaining({ purpose: 'marketing', channel: 'push', granted: true, source: 'member_home' }),
      ]),
    )
    // The same choice again records nothing; an unknown channel or an empty choice is a 400.
    await call('PUT', '/v1/me/consents/channels', member, { sms: false })
    expect((await call('GET', '/v1/me/consents/history', member)).json().items).toHaveLength(history.length)
    for (const bad of [{ fax: true }, {}, { sms: 'no' }]) {
      const refused = await call('PUT', '/v1/me/consents/channels', member, bad)
      expect({ bad, status: refused.statusCode, type: refused.json().type }).toEqual({ bad, status: 400, type: '/problems/invalid-request' })
    }
  })

  it('lets staff record consents given in store, with the wording shown, audited; not the member or a read key', async () => {
    const associate = await loginAs(t, 'associate')
    const memberId = member.memberId as string
    const form = 'Paper form R-2 (2026): “Yes, text me offers from Regulars shops.”'
    const recorded = await call('PUT', `/v1/members/${memberId}/consents`, associate, { marketingChannels: { sms: true }, wording: form })
    expect(recorded.statusCode).toBe(200)
    expect(recorded.json().marketingChannels.find((c: { channel: string }) => c.channel === 'sms')).toMatchObject({ granted: true, own: true })
    const ledger = (await call('GET', `/v1/members/${memberId}/consents/history`, associate)).json().items
    expect(ledger[0]).toMatchObject({ purpose: 'marketing', channel: 'sms', granted: true, source: 'staff', wording: form })
    const crm = await apiKeyCaller(t.deps, ['members:write'], 'App')
    expect((await call('PUT', `/v1/members/${memberId}/consents`, crm, { purposes: { social_visibility: true } })).statusCode).toBe(200)
    expect((await call('GET', `/v1/members/${memberId}/consents/history`, associate)).json().items[0]).toMatchObject({
      purpose: 'social_visibility',
      channel: 'all',
      source: 'integration',
      wording: 'Let other members see my name, reviews and ideas.',
    })
    const admin = await loginAs(t, 'admin')
    const audit = (await call('GET', '/v1/audit?limit=20', admin)).json().items.filter((e: { action: string }) => e.action === 'member.consents_recorded')
    expect(audit.map((e: { actorKind: string }) => e.actorKind)).toEqual(['apiKey', 'staff'])
    expect(audit[1].after).toMatchObject({ channels: { sms: true }, wording: form })
    expect((await call('PUT', `/v1/members/${memberId}/consents`, member, { purposes: { marketing: true } })).statusCode).toBe(403)
    const reader = await apiKeyCaller(t.deps, ['members:read'])
    expect((await call('PUT', `/v1/members/${memberId}/consents`, reader, { purposes: { marketing: true } })).statusCode).toBe(403)
    expect((await call('GET', '/v1/members/01a20b44-0000-7000-8000-000000000000/consents/history', associate)).statusCode).toBe(404)
  })

  it('attaches guest purchases parked under a card once an associate links that card', async () => {
    const guestPurchase = {
      kind: 'purchase',
      member: { kind: 'card', value: '6330 9001 0001' },
      channel: 'web',
      occurredAt: '2026-10-01T09:00:00Z',
      source: 'webshop',
      idempotencyKey: 'web-9001',
      orderRef: 'W-9001',
      lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 650, name: 'Breakfast tea' }],
    }
    expect((await call('POST', '/v1/activities', pos, guestPurchase)).json().status).toBe('parked')
    // A card the member types at home proves nothing (it could be anyone's): it claims nothing.
    const typed = await call('POST', '/v1/me/identifiers', member, { kind: 'card', value: '6330-9001-0001' })
    expect(typed.json()).toEqual({ kind: 'card', value: '633090010001', verified: false, codeSent: false, claimedActivities: 0 })
    // The card in an associate's hand at the till does.
    const associate = await loginAs(t, 'associate')
    const linked = await call('POST', `/v1/members/${member.memberId}/identifiers`, associate, { kind: 'card', value: '6330 9001 0001' })
    expect(linked.statusCode).toBe(201)
    expect(linked.json()).toEqual({ kind: 'card', value: '633090010001', verified: true, codeSent: false, claimedActivities: 1 })
    const timeline = (await call('GET', '/v1/me/timeline', member)).json()
    expect(timeline.items.map((a: { orderRef: string }) => a.orderRef)).toContain('W-9001')
    // The web shop retrying its old request now hears where it went.
    const replay = (await call('POST', '/v1/activities', pos, guestPurchase)).json()
    expect(replay).toMatchObject({ status: 'recorded', memberId: member.memberId, replay: true })
  })

  it('refuses an identifier another member holds', async () => {
    const other = await loginAs(t, 'member')
    await call('POST', '/v1/me/identifiers', other, { kind: 'card', value: '6330 1111 2222' })
    const taken = await call('POST', '/v1/me/identifiers', member, { kind: 'card', value: '633011112222' })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().type).toBe('/problems/identifier-taken')
    expect((await call('POST', '/v1/me/identifiers', other, { kind: 'card', value: '6330-1111-2222' })).json().claimedActivities).toBe(0)
  })

  it('audits staff edits of a member with before and after', async () => {
    const associate = await loginAs(t, 'associate')
    await call('PATCH', `/v1/members/${member.memberId}`, associate, { familyName: 'Hopper' })
    const admin = await loginAs(t, 'admin')
    const [entry] = (await call('GET', '/v1/audit', admin)).json().items
    expect(entry).toMatchObject({ action: 'member.profile_updated', targetId: member.memberId, after: { familyName: 'Hopper' }, actorName: 'Test associate' })
  })
})
