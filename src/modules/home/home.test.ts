import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, enrol } from '../../../test/support/shop.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { recordResolvedActivities, upsertProducts } from '../activity/index.js'

describe('one member, one history across channels', () => {
  let t: TestApp
  let ada: string
  let ben: string
  let associate: Caller
  beforeAll(async () => {
    t = await testApp()
    const { S01: camden } = await addStores(t, [{ code: 'S01', name: 'Camden', region: 'London' }])
    await upsertProducts(t.deps.db, [{ sku: 'BEANS-1', name: 'House beans 1kg', category: ['Coffee', 'Beans'], priceMinor: 1800 }])
    ;[ada, ben] = await enrol(t, [
      {
        givenName: 'Ada',
        familyName: 'Lovelace',
        email: 'ada@example.test',
        homeStoreId: camden,
        identifiers: [
          { kind: 'phone', value: '07700 900123' },
          { kind: 'loyalty_id', value: 'loy-0001' },
          { kind: 'email', value: ' Ada@Example.test ' },
        ],
      },
      { givenName: 'Ben', familyName: 'Okri', card: '6330 0000 0002' },
    ])
    const at = t.deps.clock.now()
    const visit = (memberId: string, day: number, kind: string, channel: string) => ({
      id: newId(),
      memberId,
      kind,
      channel,
      storeId: channel === 'store' ? camden : null,
      occurredAt: new Date(Date.UTC(2026, 9, day)),
      recordedAt: at,
      source: 'test',
      idempotencyKey: newId(),
    })
    const purchase = { ...visit(ada, 10, 'purchase', 'store'), orderRef: 'R-1', totalMinor: 3400, currency: 'GBP' }
    await recordResolvedActivities(
      t.deps.db,
      [
        purchase,
        visit(ada, 11, 'web_session', 'web'),
        visit(ada, 12, 'app_open', 'app'),
        visit(ada, 9, 'store_visit', 'store'),
        visit(ben, 10, 'web_session', 'web'),
      ],
      [{ memberId: ada, activityId: purchase.id, lineNo: 1, sku: 'BEANS-1', quantity: 2, unitPriceMinor: 1800, discountMinor: 200 }],
    )
    associate = await loginAs(t, 'associate')
  })
  afterAll(() => t.close())

  const get = (url: string, caller: Caller) => t.app.inject({ method: 'GET', url, headers: caller.headers })

  it('shows a member their own card and history, and nobody else’s', async () => {
    const member = await loginAs(t, 'member', { memberId: ada })
    const card = (await get('/v1/me', member)).json()
    expect(card.member).toMatchObject({ displayName: 'Ada Lovelace', homeStoreName: 'Camden' })
    expect(card.identifiers).toContainEqual(expect.objectContaining({ kind: 'phone', value: '+447700900123' }))
    expect(card.identifiers).toContainEqual(expect.objectContaining({ kind: 'email', value: 'ada@example.test' }))
    expect(card.summary).toMatchObject({ purchases: 1, spendMinor: 3400, visits: 1, channels: ['app', 'store', 'web'], stores: ['Camden'] })
    const timeline = (await get('/v1/me/timeline', member)).json()
    expect(timeline.items.map((a: { kind: string }) => a.kind)).toEqual(['app_open', 'web_session', 'purchase', 'store_visit'])
    expect(timeline.items[2].lines).toEqual([{ sku: 'BEANS-1', productName: 'House beans 1kg', quantity: 2, unitPriceMinor: 1800, discountMinor: 200 }])
    // A member cannot reach the staff view of anyone, themselves included.
    expect((await get(`/v1/members/${ben}`, member)).statusCode).toBe(403)
    expect((await get(`/v1/members/${ben}/timeline`, member)).statusCode).toBe(403)
  })

  it('lets the till look a member up by any identifier, however it is typed', async () => {
    for (const [kind, value] of [
      ['phone', '+44 7700 900123'],
      ['phone', '07700900123'],
      ['email', 'ADA@example.test'],
      ['loyalty_id', 'LOY0001'],
    ]) {
      const found = await get(`/v1/members/lookup?kind=${kind}&value=${encodeURIComponent(value)}`, associate)
      expect(found.json()).toMatchObject({ id: ada, loyaltyId: 'LOY0001' })
    }
    const missing = await get('/v1/members/lookup?kind=card&value=0000', associate)
    expect(missing.statusCode).toBe(404)
    expect((await get('/v1/members/lookup?kind=shoe_size&value=9', associate)).statusCode).toBe(400)
  })

  it('finds members by fragments of name, email or identifier, a page at a time', async () => {
    const byName = (await get('/v1/members?q=lovel', associate)).json()
    expect(byName.items.map((m: { id: string }) => m.id)).toEqual([ada])
    expect((await get('/v1/members?q=6330', associate)).json().items.map((m: { id: string }) => m.id)).toEqual([ben])
    const first = (await get('/v1/members?limit=1', associate)).json()
    const second = (await get(`/v1/members?limit=1&cursor=${first.nextCursor}`, associate)).json()
    expect([first.items[0].id, second.items[0].id].sort()).toEqual([ada, ben].sort())
    expect(second.nextCursor).toBeNull()
  })

  it('pages and filters the timeline for staff', async () => {
    const page1 = (await get(`/v1/members/${ada}/timeline?limit=3`, associate)).json()
    const page2 = (await get(`/v1/members/${ada}/timeline?limit=3&cursor=${page1.nextCursor}`, associate)).json()
    expect(page1.items).toHaveLength(3)
    expect(page2.items.map((a: { kind: string }) => a.kind)).toEqual(['store_visit'])
    expect(page2.nextCursor).toBeNull()
    const webOnly = (await get(`/v1/members/${ada}/timeline?channel=web`, associate)).json()
    expect(webOnly.items.map((a: { kind: string }) => a.kind)).toEqual(['web_session'])
  })

  it('gives an integration the summary with a members:read key, and refuses other scopes', async () => {
    const pos = await apiKeyCaller(t.deps, ['members:read'])
    expect((await get(`/v1/members/${ada}/summary`, pos)).json()).toMatchObject({ memberId: ada, purchases: 1, spendMinor: 3400 })
    const writer = await apiKeyCaller(t.deps, ['activity:write'])
    expect((await get(`/v1/members/${ada}/summary`, writer)).statusCode).toBe(403)
    expect((await get(`/v1/members/${newId()}/summary`, pos)).statusCode).toBe(404)
  })
})
