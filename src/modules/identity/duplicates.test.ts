import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRules, addStores, sendActivity } from '../../../test/support/shop.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'

describe('finding members who signed up twice, for staff to review', () => {
  let t: TestApp
  let manager: Caller
  let associate: Caller
  const [jon, john, jane] = [newId(), newId(), newId()]
  beforeAll(async () => {
    t = await testApp()
    const at = t.deps.clock.now()
    const member = (id: string, over: object, card: string) => ({
      member: { id, familyName: 'Smith', city: 'Leeds', joinedAt: at, ...over },
      identifiers: [{ kind: 'card' as const, value: card }],
    })
    await enrolMembers(
      t.deps.db,
      [
        member(jon, { givenName: 'Jon', birthDate: '1980-01-02', addressLine: '12 High Street', postcode: 'LS1 4AB', email: 'jon@example.com' }, '1001'),
        member(john, { givenName: 'John', birthDate: '1980-01-02', addressLine: '12 High St', postcode: 'LS1 4AB', email: 'jsmith@example.org' }, '1002'),
        member(jane, { givenName: 'Jane', birthDate: '1952-07-30', addressLine: '4 Mill Lane', postcode: 'LS1 4AB' }, '1003'),
      ],
      { defaultRegion: 'GB', at },
    )
    manager = await loginAs(t, 'manager')
    associate = await loginAs(t, 'associate')
  })
  afterAll(() => t.close())

  const scan = (caller: Caller) => t.app.inject({ method: 'POST', url: '/v1/members/duplicates/scan', headers: caller.headers })
  const list = async (caller: Caller) => (await t.app.inject({ method: 'GET', url: '/v1/members/duplicates', headers: caller.headers })).json().items

  it('lists the likely pair side by side with a score and reasons, and not the neighbour who only shares a postcode', async () => {
    expect((await scan(manager)).statusCode).toBe(200)
    const items = await list(associate)
    expect(items).toHaveLength(1)
    const [pair] = items
    expect(new Set([pair.a.id, pair.b.id])).toEqual(new Set([jon, john]))
    expect(pair.a.givenName && pair.b.givenName).toBeTruthy()
    expect(pair.score).toBeGreaterThan(0.5)
    expect(pair.reasons).toContain('same birth date')
  })

  it('shows beside each side what staff compare: identifiers, join date, orders and points', async () => {
    const [pair] = await list(associate)
    const jonSide = pair.a.id === jon ? pair.a : pair.b
    expect(jonSide).toMatchObject({
      identifiers: [{ kind: 'card', value: '1001', verified: true }],
      joinedAt: expect.any(String),
      orders: 0,
      lastOrderAt: null,
      points: 0,
      city: 'Leeds',
    })
  })

  it('counts the orders and points each side holds', async () => {
    const admin = await loginAs(t, 'admin')
    await addStores(t, [{ code: 'D1', name: 'Leeds' }])
    await addRules(t, admin, [{ name: 'A point a pound', when: { kinds: ['purchase'] }, award: { perCurrencyUnit: 1 }, explanation: '+{points}' }])
    const till = await apiKeyCaller(t.deps, ['activity:write'])
    const sent = await sendActivity(t, till, {
      kind: 'purchase',
      member: { kind: 'card', value: '1002' },
      store: 'D1',
      occurredAt: '2026-10-30T10:00:00Z',
      orderRef: 'D1-1',
      lines: [{ sku: 'MUG', quantity: 1, unitPrice: 1200 }],
    })
    expect(sent.statusCode).toBeLessThan(300)
    const [pair] = await list(associate)
    const johnSide = pair.a.id === john ? pair.a : pair.b
    expect(johnSide).toMatchObject({ orders: 1, lastOrderAt: '2026-10-30T10:00:00.000Z', points: 12 })
  })

  it('lets associates look but only managers scan and decide', async () => {
    expect((await scan(associate)).statusCode).toBe(403)
    const [pair] = await list(associate)
    expect((await t.app.inject({ method: 'POST', url: `/v1/members/duplicates/${pair.id}/dismiss`, headers: associate.headers })).statusCode).toBe(403)
  })

  it('does not list a pair again once staff said they are different people', async () => {
    const [pair] = await list(manager)
    expect((await t.app.inject({ method: 'POST', url: `/v1/members/duplicates/${pair.id}/dismiss`, headers: manager.headers })).statusCode).toBe(204)
    await scan(manager)
    expect(await list(manager)).toEqual([])
  })
})
