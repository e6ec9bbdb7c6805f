import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp, workStartedJob } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { type ActivityLineRow, type ActivityRow, recordResolvedActivities, upsertProducts } from '../activity/index.js'
import { setConsents } from '../members/index.js'

/**
 * A coffee shop where everyone buys beans and milk every week, half also buy a grinder with a
 * scale, and Ada (who consented to profiling) re-buys beans every week; Bea did not consent.
 */
describe('suggestions: trained nightly, served with reasons, and learning from feedback', () => {
  let t: TestApp
  let as: Record<'ada' | 'bea' | 'associate' | 'admin' | 'till' | 'other', Caller>
  const store = newId()
  const ids = { ada: newId(), bea: newId() }
  const regulars = Array.from({ length: 12 }, () => newId())
  const activities: ActivityRow[] = []
  const lines: ActivityLineRow[] = []
  const buy = (memberId: string, day: number, skus: string[]) => {
    const id = newId()
    const at = new Date(Date.UTC(2026, 9, 1 + day, 12))
    activities.push({
      id,
      memberId,
      kind: 'purchase',
      channel: 'store',
      storeId: store,
      occurredAt: at,
      recordedAt: at,
      source: 'test',
      idempotencyKey: id,
      orderRef: id,
      totalMinor: 1000,
      currency: 'GBP',
      details: {},
    })
    skus.forEach((sku, i) => {
      lines.push({ memberId, activityId: id, lineNo: i + 1, sku, quantity: 1, unitPriceMinor: 500, discountMinor: 0 })
    })
  }
  const get = async (url: string, who: Caller) => {
    const response = await t.app.inject({ method: 'GET', url, headers: who.headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  beforeAll(async () => {
    t = await testApp('2026-11-20T10:00:00Z')
    t.deps.config.sessionHours = 24 * 365 // one test moves the clock on a month
    const at = t.deps.clock.now()
    await addStores(t, [{ id: store, code: 'CAM', name: 'Camden' }])
    await upsertProducts(t.deps.db, [
      { sku: 'BEANS', name: 'House beans', category: ['Coffee', 'Beans'], brand: 'Roastery', priceMinor: 850, currency: 'GBP', attributes: {} },
      { sku: 'MILK', name: 'Oat milk', category: ['Dairy'], brand: 'Oaty', priceMinor: 200, currency: 'GBP', attributes: {} },
      { sku: 'GRINDER', name: 'Hand grinder', category: ['Coffee', 'Kit'], brand: 'Porlex', priceMinor: 4500, currency: 'GBP', attributes: {} },
      { sku: 'SCALE', name: 'Coffee scale', category: ['Coffee', 'Kit'], brand: 'Hario', priceMinor: 3000, currency: 'GBP', attributes: {} },
    ])
    await enrol(
      t,
      [ids.ada, ids.bea, ...regulars].map((id) =>
        id === ids.ada ? { id, givenName: 'Ada', homeStoreId: store, card: '2001' } : { id, givenName: 'Member', homeStoreId: store },
      ),
    )
    regulars.forEach((id, i) => {
      for (let week = 0; week < 6; week++) buy(id, week * 7 + (i % 3), ['BEANS', 'MILK'])
      if (i % 2 === 0) buy(id, 45, ['GRINDER', 'SCALE'])
    })
    for (let week = 0; week < 6; week++) buy(ids.ada, week * 7, ['BEANS'])
    buy(ids.ada, 44, ['GRINDER'])
    buy(ids.bea, 3, ['MILK'])
    await recordResolvedActivities(t.deps.db, activities, lines)
    await setConsents(t.deps.db, ids.ada, { profiling: true }, at)
    as = await callersFor(t, {
      associate: 'associate',
      admin: 'admin',
      ada: { member: ids.ada },
      bea: { member: ids.bea },
      till: { scopes: ['suggestions:read'] },
      other: { scopes: ['activity:write'] },
    })
    expect((await t.app.inject({ method: 'POST', url: '/v1/advisor/train', headers: as.associate.headers })).statusCode).toBe(403)
    const trained = await t.app.inject({ method: 'POST', url: '/v1/advisor/train', headers: as.admin.headers })
    expect(trained.statusCode, trained.body).toBe(202)
    expect((await workStartedJob(t, trained.json())).result).toMatchObject({ members: 14 })
  })
  afterAll(() => t.close())

  it('suggests what the member re-buys and what goes with what they bought, saying why', async () => {
    const { items } = await get('/v1/me/suggestions?k=4', as.ada)
    const skus = items.map((s: { sku: string }) => s.sku)
    expect(skus[0]).toBe('BEANS')
    expect(items[0].reason).toMatchObject({ kind: 'repurchase', text: 'You buy House beans about every 7 days' })
    expect(skus).toContain('SCALE') // bought with grinders by others
  })

  it('uses only what sells in the store for a member who did not consent to profiling', async () => {
    const { items } = await get('/v1/me/suggestions?k=2', as.bea)
    expect(items.map((s: { reason: { kind: string } }) => s.reason.kind)).toEqual(['popular', 'popular'])
    expect(items[0].reason.text).toMatch(/popular in your store right now$/)
  })

  it('leaves out what is in the basket at the till, and only for tills and staff', async () => {
    const checkout = { member: { kind: 'card', value: '2001' }, basket: ['BEANS'], k: 2 }
    const response = await t.app.inject({ method: 'POST', url: '/v1/checkout/suggestions', headers: as.till.headers, payload: checkout })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().memberId).toBe(ids.ada)
    expect(response.json().items.map((s: { sku: string }) => s.sku)).not.toContain('BEANS')
    expect((await t.app.inject({ method: 'POST', url: '/v1/checkout/suggestions', headers: as.other.headers, payload: checkout })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'POST', url: '/v1/checkout/suggestions', headers: as.ada.headers, payload: checkout })).statusCode).toBe(403)
  })

  it('gives the associate talking points, and the weekly digest its payload', async () => {
    await t.app.inject({ method: 'POST', url: `/v1/members/${ids.ada}/notes`, headers: as.associate.headers, payload: { body: 'Brews V60 at home' } })
    const forStaff = await get(`/v1/members/${ids.ada}/suggestions`, as.associate)
    expect(forStaff.talkingPoints).toContain('Noted: Brews V60 at home')
    expect(forStaff.talkingPoints[0]).toMatch(/^Likes Coffee > Beans \(bought 6 times/)
    const digest = await get(`/v1/members/${ids.ada}/digest`, as.till)
    expect(digest).toMatchObject({ memberId: ids.ada, name: 'Ada', weekOf: '2026-11-16', points: { available: 0 } })
    expect(digest.suggestions.length).toBeGreaterThan(0)
    expect((await t.app.inject({ method: 'GET', url: `/v1/members/${ids.ada}/suggestions`, headers: as.bea.headers })).statusCode).toBe(403)
  })

  it('rests a dismissed suggestion, drops one that is not for the member and lowers their taste for it', async () => {
    const feedback = (sku: string, event: string) =>
      t.app.inject({ method: 'POST', url: '/v1/me/suggestions/feedback', headers: as.ada.headers, payload: { sku, event } })
    expect((await feedback('SCALE', 'dismissed')).statusCode).toBe(204)
    expect((await get('/v1/me/suggestions?k=4', as.ada)).items.map((s: { sku: string }) => s.sku)).not.toContain('SCALE')
    const before = (await get('/v1/me/taste', as.ada)).learned.find((a: { subject: string }) => a.subject === 'Coffee > Kit')
    expect((await feedback('GRINDER', 'not_for_me')).statusCode).toBe(204)
    const after = (await get('/v1/me/taste', as.ada)).learned.find((a: { subject: string }) => a.subject === 'Coffee > Kit')
    expect(after?.strength ?? 0).toBeLessThan(before.strength)
    t.deps.clock.advance(31 * 86_400_000)
    const later = (await get('/v1/me/suggestions?k=4', as.ada)).items.map((s: { sku: string }) => s.sku)
    expect(later).toContain('SCALE') // rested long enough
    expect(later).not.toContain('GRINDER')
    expect((await feedback('BEANS', 'loved')).statusCode).toBe(400)
  })

  it('never suggests what the member asked us not to', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/me/taste/preferences',
      headers: as.ada.headers,
      payload: { kind: 'never_suggest', subjectKind: 'sku', subject: 'milk' },
    })
    await t.app.inject({
      method: 'POST',
      url: '/v1/me/taste/preferences',
      headers: as.ada.headers,
      payload: { kind: 'dislike', subjectKind: 'brand', subject: 'hario' },
    })
    const skus = (await get('/v1/me/suggestions?k=10', as.ada)).items.map((s: { sku: string }) => s.sku)
    expect(skus).not.toContain('MILK')
    expect(skus).not.toContain('SCALE')
  })

  it('leaves out what the stock system says cannot be bought, and brings it back when it can', async () => {
    const stock = (inStock: boolean) =>
      t.app.inject({ method: 'PUT', url: '/v1/products/stock', headers: as.admin.headers, payload: { items: [{ sku: 'BEANS', inStock }] } })
    expect((await stock(false)).json()).toMatchObject({ changed: 1, backInStock: [] })
    expect((await get('/v1/me/suggestions?k=4', as.ada)).items.map((s: { sku: string }) => s.sku)).not.toContain('BEANS')
    expect((await get('/v1/me/suggestions?k=4', as.bea)).items.map((s: { sku: string }) => s.sku)).not.toContain('BEANS')
    expect((await stock(true)).json()).toMatchObject({ changed: 1, backInStock: ['BEANS'] })
    expect((await get('/v1/me/suggestions?k=4', as.ada)).items[0].sku).toBe('BEANS')
  })

  it("takes suggestions from a plugged-in source (friends, community) after the member's own", async () => {
    t.deps.wiring.suggestionSources.push(async (_db, memberId) =>
      memberId === ids.bea
        ? [{ sku: 'GRINDER', name: 'Hand grinder', category: 'Coffee > Kit', brand: 'Porlex', reason: { kind: 'friends', text: 'Ada bought this' } }]
        : [],
    )
    const { items } = await get('/v1/me/suggestions?k=2', as.bea)
    expect(items[0]).toMatchObject({ sku: 'GRINDER', reason: { kind: 'friends', text: 'Ada bought this' } })
  })
})
