import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol, sendActivity } from '../../../../test/support/shop.js'
import type { Caller, TestApp } from '../../../../test/support/testing.js'
import { testApp } from '../../../../test/support/testing.js'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { upsertProducts } from '../../activity/index.js'
import { createIdea, visibleIdea } from './ideas.js'
import { defaultIdeaSettings, saveIdeaSettings } from './settings.js'
import { changeStatus } from './status.js'

const admin: StaffPrincipal = {
  kind: 'staff',
  userId: '00000000-0000-7000-8000-000000000001',
  displayName: 'Ada Admin',
  role: 'admin',
  storeIds: [],
  via: 'session',
  sessionId: 's',
  csrfSecret: 'c',
}
let t: TestApp
let stores: Record<string, string>
let who: Record<'ada' | 'bea' | 'manager' | 'northManager' | 'planner' | 'camdenPlanner' | 'till', Caller>
let ada: string
const get = (caller: Caller, url: string) => t.app.inject({ method: 'GET', url: `/v1${url}`, headers: caller.headers })
const put = (caller: Caller, url: string, payload?: object) =>
  t.app.inject({ method: 'PUT', url: `/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) })

beforeAll(async () => {
  t = await testApp('2026-12-03T10:00:00Z')
  stores = await addStores(t, [
    { code: 'S01', name: 'Camden', region: 'London' },
    { code: 'S02', name: 'Salford', region: 'North' },
  ])
  await upsertProducts(t.deps.db, [{ sku: 'BEANS-1', name: 'House beans', category: ['Coffee', 'Beans'], priceMinor: 900 }])
  const [a, b] = await enrol(t, [
    { givenName: 'Ada', card: '1001' },
    { givenName: 'Bea', card: '1002' },
  ])
  ada = a
  who = await callersFor(t, {
    ada: { member: a },
    bea: { member: b },
    manager: 'manager',
    northManager: { role: 'manager', storeIds: [stores.S02] },
    planner: { scopes: ['demand:read'] },
    camdenPlanner: { scopes: ['demand:read', 'store:S01'] },
    till: { scopes: ['activity:write'] },
  })
  await saveIdeaSettings(t.deps, { ...defaultIdeaSettings, ladder: { ...defaultIdeaSettings.ladder, store: { wouldBuy: 1, pledge: 2 } } }, admin)
  const sale = await sendActivity(t, who.till, {
    kind: 'purchase',
    member: { kind: 'card', value: '1001' },
    lines: [{ sku: 'BEANS-1', quantity: 3, unitPrice: 900 }],
  })
  expect(sale.statusCode).toBeLessThan(300)
  const ideaId = await createIdea(t.deps, a, {
    kind: 'product',
    title: 'Decaf beans',
    body: 'A decaf house blend',
    scope: 'store',
    storeId: stores.S01,
    category: 'Coffee',
  })
  for (const c of [who.ada, who.bea]) expect((await put(c, `/ideas/${ideaId}/vote`)).statusCode).toBe(200)
  expect((await put(who.ada, `/ideas/${ideaId}/would-buy`, { priceMinor: 850, size: '250g' })).statusCode).toBe(200)
  expect((await put(who.bea, `/ideas/${ideaId}/would-buy`, { priceMinor: 650 })).statusCode).toBe(200)
  expect((await put(who.bea, `/ideas/${ideaId}/pledge`, { quantity: 3, priceMinor: 700 })).statusCode).toBe(200)
  const listId = crypto.randomUUID()
  await t.deps.db.execute(sql`insert into lists (member_id, id, kind, title, created_at) values (${b}, ${listId}, 'wishlist', 'Wants', now())`)
  await t.deps.db.execute(
    sql`insert into list_items (member_id, id, list_id, sku, added_at) values (${b}, ${crypto.randomUUID()}, ${listId}, 'BEANS-1', now())`,
  )
})
afterAll(() => t.close())

describe('the merchandising feed', () => {
  it('combines idea support, “I’d buy it” and pledges with price points, wishlist adds and sales per category', async () => {
    const feed = (await get(who.manager, '/insights/demand?by=category')).json()
    expect(feed.sources).toEqual(['ideas', 'wishlists', 'sales'])
    const coffee = feed.rows.find((r: { category: string }) => r.category === 'Coffee')
    expect(coffee.measures).toEqual({
      ideas: 1,
      idea_support: 2.2,
      would_buy: 2,
      would_buy_price: 650,
      pledges: 1,
      pledged_units: 3,
      pledge_price: 700,
      wishlist_adds: 1,
      units_sold: 3,
      sales: 2700,
    })
    expect(coffee.currency).toBe('GBP')
  })

  it('breaks it down by store and by region, and keeps a store-held manager to their stores', async () => {
    const byStore = (await get(who.manager, '/insights/demand?by=store')).json()
    expect(byStore.rows.find((r: { category: string; storeCode: string }) => r.category === 'Coffee' && r.storeCode === 'S01')).toMatchObject({
      storeName: 'Camden',
      region: 'London',
      measures: { idea_support: 2.2, units_sold: 3 },
    })
    const byRegion = (await get(who.manager, '/insights/demand?by=region')).json()
    expect(byRegion.rows.find((r: { category: string; region: string }) => r.category === 'Coffee' && r.region === 'London').measures.pledged_units).toBe(3)
    expect((await get(who.northManager, '/insights/demand?by=store')).json().rows).toEqual([])
    expect((await get(who.northManager, '/insights/demand?store=S01')).statusCode).toBe(403)
  })

  it('downloads as CSV with snake_case columns and money in currency units with its currency', async () => {
    const csv = await get(who.manager, '/insights/demand?by=store&format=csv')
    expect(csv.headers['content-type']).toMatch(/text\/csv/)
    const [header, ...lines] = csv.body.trim().split('\n')
    expect(header).toBe(
      'category,region,store_code,store_name,ideas,idea_support,would_buy,would_buy_price,pledges,pledged_units,pledge_price,wishlist_adds,units_sold,sales,currency',
    )
    expect(lines).toContain('Coffee,London,S01,Camden,1,2.2,2,6.5,1,3,7,,3,27,GBP')
  })

  it('serves planning systems the JSON feed on a demand:read key only, held to its stores', async () => {
    expect((await get(who.planner, '/demand-feed')).statusCode).toBe(200)
    const camden = (await get(who.camdenPlanner, '/demand-feed?by=store')).json()
    expect(camden.rows.length).toBeGreaterThan(0)
    expect(camden.rows.every((r: { storeCode: string }) => r.storeCode === 'S01')).toBe(true)
    for (const caller of [who.till, who.ada]) expect((await get(caller, '/demand-feed')).statusCode).toBe(403)
    expect((await get(who.till, '/insights/demand')).statusCode).toBe(403)
    expect((await get(who.ada, '/insights/demand')).statusCode).toBe(403)
  })

  it('takes the measures of any source registered in composition, as columns of their own', async () => {
    t.deps.wiring.demandSources.push({ name: 'polls', collect: async () => [{ category: 'Coffee', storeId: null, measure: 'poll_first_choices', value: 12 }] })
    try {
      const feed = (await get(who.manager, '/insights/demand')).json()
      expect(feed.sources).toContain('polls')
      expect(feed.rows.find((r: { category: string }) => r.category === 'Coffee').measures.poll_first_choices).toBe(12)
    } finally {
      t.deps.wiring.demandSources.pop()
    }
  })
})

describe('closing the loop', () => {
  it('measures answers within N days, the median time to a first answer and ideas that became products', async () => {
    const shared = await Promise.all(
      ['Answered soon', 'Never answered', 'Launched late'].map((title) => createIdea(t.deps, ada, { kind: 'product', title, body: '…', scope: 'retailer' })),
    )
    t.deps.clock.advance(3 * 86_400_000)
    await changeStatus(t.deps, admin, await visibleIdea(t.deps.db, shared[0], undefined), { status: 'under_review' })
    t.deps.clock.advance(17 * 86_400_000)
    await changeStatus(t.deps, admin, await visibleIdea(t.deps.db, shared[2], undefined), { status: 'in_stock', skus: ['BEANS-1'] })
    t.deps.clock.advance(10 * 86_400_000)
    const later = await callersFor(t, { manager: 'manager', member: { member: (await enrol(t, [{ givenName: 'Cy' }]))[0] } }) // the set-up's sessions have expired
    const loop = (await get(later.manager, '/insights/ideas-loop?months=3')).json()
    // The decaf idea from the set-up is 30 days old and unanswered too: four ideas due, one answered in 14 days.
    expect(loop).toMatchObject({
      answeredWithinDays: 14,
      ideasShared: 4,
      ideasDue: 4,
      answeredInTimeShare: 0.25,
      medianDaysToFirstAnswer: 11.5,
      launched: 1,
      becameProductsShare: 0.25,
    })
    expect(loop.months.at(-2)).toMatchObject({ month: '2026-12', ideasShared: 4, answered: 2, launched: 1, salesMinor: 2700 })
    expect((await get(later.member, '/insights/ideas-loop')).statusCode).toBe(403)
  })
})
