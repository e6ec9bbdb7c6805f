import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol, sendActivity } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { upsertProducts } from '../activity/index.js'
import { setConsents } from '../members/index.js'
import { refreshFeeds } from './index.js'

describe('the friends’ feed', () => {
  let t: TestApp
  let ids: Record<'ada' | 'bea' | 'cal', string>
  let as: Record<'ada' | 'bea' | 'cal' | 'pos', Caller>
  let purchaseId: string
  const call = (caller: Caller, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) })
  const feedOf = async (caller: Caller) =>
    (await call(caller, 'GET', '/me/feed')).json().items as { kind: string; actor: { name: string }; product: unknown; subject: Record<string, unknown> }[]

  beforeAll(async () => {
    t = await testApp()
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    await upsertProducts(t.deps.db, [
      { sku: 'MUG-1', name: 'Blue mug', priceMinor: 1200, currency: 'GBP' },
      { sku: 'TEA-1', name: 'Smoky tea', priceMinor: 650, currency: 'GBP' },
    ])
    const [ada, bea, cal] = await enrol(t, [
      { givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.test', card: 'C-ADA' },
      { givenName: 'Bea', familyName: 'Brown' },
      { givenName: 'Cal', familyName: 'Cole' },
    ])
    ids = { ada, bea, cal }
    for (const id of [ada, bea, cal]) await setConsents(t.deps.db, id, { social_visibility: true }, t.deps.clock.now())
    as = await callersFor(t, { ada: { member: ada }, bea: { member: bea }, cal: { member: cal }, pos: { scopes: ['activity:write'] } })
    const code = (await call(as.ada, 'GET', '/me/friends')).json().invite.code
    await call(as.bea, 'POST', '/me/friends/requests', { code })
    await call(as.ada, 'POST', `/me/friends/requests/${bea}/accept`)
    const bought = await sendActivity(t, as.pos, {
      kind: 'purchase',
      member: { kind: 'card', value: 'C-ADA' },
      orderRef: 'o-1',
      lines: [
        { sku: 'MUG-1', quantity: 1, unitPrice: 1200 },
        { sku: 'TEA-1', quantity: 2, unitPrice: 650 },
      ],
    })
    purchaseId = bought.json().activityId ?? bought.json().id
  })
  afterAll(() => t.close())

  it('shows friends nothing of what a member bought until they share it, and then only that line', async () => {
    expect(purchaseId).toBeTruthy()
    expect(await feedOf(as.bea)).toEqual([])
    const shared = await call(as.ada, 'POST', '/me/feed/shares', { activityId: purchaseId, sku: 'TEA-1', note: 'So good <b>really</b>' })
    expect(shared.statusCode).toBe(201)
    const feed = await feedOf(as.bea)
    expect(feed).toMatchObject([
      {
        kind: 'purchase',
        actor: { name: 'Ada L.' },
        subject: { sku: 'TEA-1', note: 'So good <b>really</b>' },
        product: { name: 'Smoky tea', priceMinor: 650, inStock: true },
      },
    ])
    expect(JSON.stringify(feed)).not.toContain('MUG-1')
    expect(JSON.stringify(feed)).not.toContain('ada@example.test')
    expect(await feedOf(as.cal)).toEqual([]) // not a friend
    expect(await feedOf(as.ada)).toEqual([]) // one's own shares are not one's feed
    // Sharing the same line again is the same share; someone else's purchase is not found.
    expect((await call(as.ada, 'POST', '/me/feed/shares', { activityId: purchaseId, sku: 'TEA-1' })).json().shareId).toBe(shared.json().shareId)
    expect((await call(as.bea, 'POST', '/me/feed/shares', { activityId: purchaseId, sku: 'TEA-1' })).statusCode).toBe(404)
    expect((await call(as.ada, 'POST', '/me/feed/shares', { activityId: purchaseId, sku: 'NOT-BOUGHT' })).statusCode).toBe(404)
  })

  it('shows the product’s live price and stock, applies each event once, and forgets a share taken back', async () => {
    await upsertProducts(t.deps.db, [{ sku: 'TEA-1', name: 'Smoky tea', priceMinor: 700, currency: 'GBP', inStock: false }])
    expect((await feedOf(as.bea))[0].product).toMatchObject({ priceMinor: 700, inStock: false })
    expect(await refreshFeeds(t.deps)).toBe(0)
    const [{ n }] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from feed_items where member_id = ${ids.bea}`)
    expect(n).toBe(1)
    const shares = (await call(as.ada, 'GET', '/me/feed/shares')).json().items
    expect(shares).toMatchObject([{ kind: 'purchase', sku: 'TEA-1', productName: 'Smoky tea' }])
    expect((await call(as.ada, 'DELETE', `/me/feed/shares/${shares[0].shareId}`)).statusCode).toBe(204)
    expect(await feedOf(as.bea)).toEqual([])
  })

  it('carries wishlist adds the member chose to share, and hides them when the member is no longer visible, unfriended or blocked', async () => {
    const list = (await call(as.ada, 'POST', '/me/lists', { kind: 'wishlist', title: 'Birthday' })).json()
    await call(as.ada, 'POST', `/me/lists/${list.listId}/items`, { sku: 'MUG-1', share: true })
    await call(as.ada, 'POST', `/me/lists/${list.listId}/items`, { sku: 'TEA-1' })
    expect(await feedOf(as.bea)).toMatchObject([{ kind: 'wishlist', subject: { sku: 'MUG-1', listId: list.listId }, product: { name: 'Blue mug' } }])
    await setConsents(t.deps.db, ids.ada, { social_visibility: false }, t.deps.clock.now())
    expect(await feedOf(as.bea)).toEqual([])
    const refused = await call(as.ada, 'POST', '/me/feed/shares', { activityId: purchaseId, sku: 'MUG-1' })
    expect(refused.json().type).toBe('/problems/social-visibility-off')
    await setConsents(t.deps.db, ids.ada, { social_visibility: true }, t.deps.clock.now())
    expect(await feedOf(as.bea)).toHaveLength(1)
    expect((await call(as.bea, 'PUT', `/me/blocks/${ids.ada}`)).statusCode).toBe(204)
    expect(await feedOf(as.bea)).toEqual([])
  })

  it('answers only the member themself', async () => {
    const staff = await callersFor(t, { associate: 'associate', admin: 'admin', key: { scopes: ['members:read'] } })
    for (const caller of Object.values(staff)) {
      expect((await call(caller, 'GET', '/me/feed')).statusCode).toBe(403)
      expect((await call(caller, 'GET', '/me/lists')).statusCode).toBe(403)
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/me/feed' })).statusCode).toBe(401)
  })
})
