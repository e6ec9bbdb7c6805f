import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Mailbox, testAppWithMailbox } from '../../../test/support/mailbox.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp } from '../../../test/support/testing.js'

const guestPurchase = (value: string, key: string, kind = 'email') => ({
  kind: 'purchase',
  member: { kind, value },
  channel: 'web',
  occurredAt: '2026-10-01T09:00:00Z',
  source: 'webshop',
  idempotencyKey: key,
  orderRef: key.toUpperCase(),
  lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 650, name: 'Breakfast tea' }],
})

describe('an identifier a member adds is theirs only once proved', () => {
  let t: TestApp & { mailbox: Mailbox; textFor(phone: string): string }
  let pos: Caller
  beforeAll(async () => {
    t = await testAppWithMailbox()
    pos = await apiKeyCaller(t.deps, ['activity:write'])
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST', url: string, caller?: Caller, payload?: object) => t.app.inject({ method, url, headers: caller?.headers, payload })
  const orderRefs = async (caller: Caller) => (await call('GET', '/v1/me/timeline', caller)).json().items.map((a: { orderRef: string }) => a.orderRef)

  it('claims no parked order until the code mailed to the address is entered', async () => {
    const member = await loginAs(t, 'member')
    expect((await call('POST', '/v1/activities', pos, guestPurchase('guest@example.test', 'w-1001'))).json().status).toBe('parked')

    const added = await call('POST', '/v1/me/identifiers', member, { kind: 'email', value: 'Guest@Example.test' })
    expect(added.statusCode).toBe(201)
    expect(added.json()).toEqual({ kind: 'email', value: 'guest@example.test', verified: false, codeSent: true, claimedActivities: 0 })
    expect(await orderRefs(member)).not.toContain('W-1001')
    const code = t.mailbox.codeFor('guest@example.test')
    expect(added.body).not.toContain(code)
    const card = (await call('GET', '/v1/me', member)).json()
    expect(card.identifiers).toContainEqual(expect.objectContaining({ kind: 'email', value: 'guest@example.test', verified: false }))

    const wrong = await call('POST', '/v1/me/identifiers/verify', member, {
      kind: 'email',
      value: 'guest@example.test',
      code: code === '000000' ? '111111' : '000000',
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json()).toMatchObject({ type: '/problems/code-wrong', attemptsLeft: 4 })

    const proved = await call('POST', '/v1/me/identifiers/verify', member, { kind: 'email', value: 'guest@example.test', code })
    expect(proved.statusCode).toBe(200)
    expect(proved.json()).toEqual({ kind: 'email', value: 'guest@example.test', verified: true, codeSent: false, claimedActivities: 1 })
    expect(await orderRefs(member)).toContain('W-1001')
    // A used code is spent.
    expect((await call('POST', '/v1/me/identifiers/verify', member, { kind: 'email', value: 'guest@example.test', code })).json().type).toBe(
      '/problems/code-expired',
    )
  })

  it('parks new orders under an address its holder has not proved, and hands them over on proof', async () => {
    const member = await loginAs(t, 'member')
    await call('POST', '/v1/me/identifiers', member, { kind: 'email', value: 'later@example.test' })
    const order = await call('POST', '/v1/activities', pos, guestPurchase('later@example.test', 'w-3003'))
    expect(order.json().status).toBe('parked')
    expect(await orderRefs(member)).not.toContain('W-3003')
    const code = t.mailbox.codeFor('later@example.test')
    const proved = await call('POST', '/v1/me/identifiers/verify', member, { kind: 'email', value: 'later@example.test', code })
    expect(proved.json().claimedActivities).toBe(1)
    expect(await orderRefs(member)).toContain('W-3003')
  })

  it('lets a code die after five wrong tries or fifteen minutes, and a new code replace it', async () => {
    const member = await loginAs(t, 'member')
    const entry = { kind: 'email', value: 'tries@example.test' }
    await call('POST', '/v1/me/identifiers', member, entry)
    const code = t.mailbox.codeFor('tries@example.test')
    const wrongCode = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) await call('POST', '/v1/me/identifiers/verify', member, { ...entry, code: wrongCode })
    const dead = await call('POST', '/v1/me/identifiers/verify', member, { ...entry, code })
    expect(dead.json().type).toBe('/problems/code-expired')

    await call('POST', '/v1/me/identifiers', member, entry) // adding again sends a new code
    const second = t.mailbox.codeFor('tries@example.test')
    t.deps.clock.advance(16 * 60_000)
    expect((await call('POST', '/v1/me/identifiers/verify', member, { ...entry, code: second })).json().type).toBe('/problems/code-expired')
  })

  it('sends at most five codes an hour to one address', async () => {
    const member = await loginAs(t, 'member')
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await call('POST', '/v1/me/identifiers', member, { kind: 'email', value: 'flood@example.test' })).statusCode)
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
    t.deps.clock.advance(61 * 60_000)
    expect((await call('POST', '/v1/me/identifiers', member, { kind: 'email', value: 'flood@example.test' })).statusCode).toBe(201)
  })

  it('gives a stranger’s address to whoever proves it, and never takes one that is proved', async () => {
    const squatter = await loginAs(t, 'member')
    const owner = await loginAs(t, 'member')
    await call('POST', '/v1/me/identifiers', squatter, { kind: 'email', value: 'owner@example.test' })
    const squatterCode = t.mailbox.codeFor('owner@example.test')
    // The owner adds their own address: not refused, since the squatter never proved it.
    const added = await call('POST', '/v1/me/identifiers', owner, { kind: 'email', value: 'owner@example.test' })
    expect(added.statusCode).toBe(201)
    const ownerCode = t.mailbox.codeFor('owner@example.test')
    // A code proves the address for the member it was sent for only.
    if (squatterCode !== ownerCode) {
      const crossed = await call('POST', '/v1/me/identifiers/verify', squatter, { kind: 'email', value: 'owner@example.test', code: ownerCode })
      expect(crossed.json().type).toBe('/problems/code-wrong')
    }
    expect((await call('POST', '/v1/me/identifiers/verify', owner, { kind: 'email', value: 'owner@example.test', code: ownerCode })).statusCode).toBe(200)
    const squatterCard = (await call('GET', '/v1/me', squatter)).json()
    expect(squatterCard.identifiers.map((i: { value: string }) => i.value)).not.toContain('owner@example.test')
    const again = await call('POST', '/v1/me/identifiers', squatter, { kind: 'email', value: 'owner@example.test' })
    expect(again.statusCode).toBe(409)
    expect(again.json().type).toBe('/problems/identifier-taken')
  })

  it('proves a phone by a text message', async () => {
    const member = await loginAs(t, 'member')
    expect((await call('POST', '/v1/activities', pos, guestPurchase('07700 900123', 'w-2002', 'phone'))).json().status).toBe('parked')
    expect((await call('POST', '/v1/me/identifiers', member, { kind: 'phone', value: '07700 900123' })).json().codeSent).toBe(true)
    const code = t.textFor('+447700900123')
    const proved = await call('POST', '/v1/me/identifiers/verify', member, { kind: 'phone', value: '+44 7700 900123', code })
    expect(proved.json()).toMatchObject({ verified: true, claimedActivities: 1 })
  })

  it('shows the till which identifiers are verified: a card in the associate’s hand is, a typed email waits for its code', async () => {
    const associate = await loginAs(t, 'associate')
    const member = await loginAs(t, 'member')
    const cardLinked = await call('POST', `/v1/members/${member.memberId}/identifiers`, associate, { kind: 'card', value: '6330 5555 0001' })
    expect(cardLinked.json()).toMatchObject({ verified: true, codeSent: false })
    const emailLinked = await call('POST', `/v1/members/${member.memberId}/identifiers`, associate, { kind: 'email', value: 'till@example.test' })
    expect(emailLinked.json()).toMatchObject({ verified: false, codeSent: true })

    const lookup = (kind: string, value: string) => call('GET', `/v1/members/lookup?kind=${kind}&value=${encodeURIComponent(value)}`, associate)
    expect((await lookup('card', '633055550001')).json()).toMatchObject({ id: member.memberId, identifier: { kind: 'card', verified: true } })
    expect((await lookup('email', 'till@example.test')).json()).toMatchObject({ id: member.memberId, identifier: { verified: false } })

    // The shopper reads the code off their phone; the associate enters it.
    const code = t.mailbox.codeFor('till@example.test')
    const proved = await call('POST', `/v1/members/${member.memberId}/identifiers/verify`, associate, { kind: 'email', value: 'till@example.test', code })
    expect(proved.statusCode).toBe(200)
    expect((await lookup('email', 'till@example.test')).json().identifier.verified).toBe(true)
  })

  it('keeps codes out of reach of anyone but the member and staff who may write members', async () => {
    const member = await loginAs(t, 'member')
    const readKey = await apiKeyCaller(t.deps, ['members:read'])
    const body = { kind: 'email', value: 'x@example.test', code: '123456' }
    expect((await call('POST', '/v1/me/identifiers/verify', undefined, body)).statusCode).toBe(401)
    expect((await call('POST', '/v1/me/identifiers/verify', readKey, body)).statusCode).toBe(403)
    expect((await call('POST', `/v1/members/${member.memberId}/identifiers/verify`, member, body)).statusCode).toBe(403)
    expect((await call('POST', `/v1/members/${member.memberId}/identifiers/verify`, readKey, body)).statusCode).toBe(403)
    expect((await call('POST', '/v1/me/identifiers/verify', member, { ...body, code: '12' })).json().type).toBe('/problems/invalid-request')
  })
})
