import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol, sendActivity } from '../../../../test/support/shop.js'
import type { Caller, TestApp } from '../../../../test/support/testing.js'
import { testApp } from '../../../../test/support/testing.js'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { setStock, upsertProducts } from '../../activity/index.js'
import { choosePair } from '../polls/pairwise.js'
import { answerPoll, createPoll } from '../polls/service.js'
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
}, 300_000)
afterAll(() => t.close())

describe('the merchandising feed', () => {
  it('combines idea support, “I’d buy it” and pledges with price points, wishlist adds and sales per category', async () => {
    const feed = (await get(who.manager, '/insights/demand?by=category')).json()
    expect(feed.sources).toEqual(['ideas', 'wishlists', 'sales', 'polls', 'reviews', 'back_in_stock'])
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

describe('polls, reviews and back-in-stock requests in the feed', () => {
  let callers: Record<'manager' | 'northManager' | 'camdenPlanner', Caller>
  beforeAll(async () => {
    const day = 86_400_000
    await upsertProducts(t.deps.db, [
      { sku: 'KETTLE-1', name: 'Steel kettle', category: ['Kitchen', 'Kettles'], priceMinor: 4000 },
      { sku: 'TEAPOT-1', name: 'Glass teapot', category: ['Kitchen', 'Teapots'], priceMinor: 2500 },
    ])
    await setStock(t.deps.db, [{ sku: 'TEAPOT-1', inStock: false }], t.deps.clock.now())
    const shoppers = await enrol(
      t,
      ['Di', 'Ed', 'Flo', 'Gus', 'Hal', 'Ivy', 'Jo'].map((givenName, i) => ({
        givenName,
        card: `20${i}`,
        homeStoreId: i < 4 ? stores.S01 : stores.S02,
      })),
    )
    const [di, ed, flo, _gus, hal, ivy, jo] = shoppers
    const members = await callersFor(t, Object.fromEntries(shoppers.map((m, i) => [`m${i}`, { member: m }])) as Record<string, { member: string }>)
    const reviews: [number, string, string][] = [
      [1, 'Lid broke after a week', 'The lid broke and it leaks everywhere.'],
      [2, 'Leaks', 'Leaks from the spout, and the lid broke too.'],
      [2, 'Noisy', 'Very noisy when boiling; the handle gets hot.'],
      [5, 'Boils fast', 'Boils fast and looks lovely on the counter.'],
      [4, 'Lovely', 'Lovely design, boils fast, quiet enough.'],
      [5, 'Sturdy', 'Sturdy and looks lovely.'],
    ]
    for (const [i, [rating, title, body]] of reviews.entries()) {
      const posted = await t.app.inject({
        method: 'POST',
        url: '/v1/products/KETTLE-1/reviews',
        headers: members[`m${i}`].headers,
        payload: { rating, title, body },
      })
      expect(posted.statusCode).toBe(201)
    }
    // A category poll is for the members who buy in its category: Di, Ed and Flo bought kettles.
    const kettles = (await callersFor(t, { kettles: { scopes: ['activity:write'] } })).kettles
    for (const card of ['200', '201', '202'])
      expect(
        (
          await sendActivity(t, kettles, {
            kind: 'purchase',
            member: { kind: 'card', value: card },
            lines: [{ sku: 'KETTLE-1', quantity: 1, unitPrice: 4000 }],
          })
        ).statusCode,
      ).toBeLessThan(300)
    // Classic poll on the kitchen range: Cream twice, Black once.
    const colour = await createPoll(
      t.deps,
      {
        kind: 'single',
        question: 'Which kettle colour should we stock?',
        scope: 'category',
        scopeValue: 'Kitchen',
        endsAt: new Date(t.deps.clock.now().getTime() + 7 * day).toISOString(),
        options: ['Cream', 'Black', 'Sage'],
      },
      null,
    )
    const option = (label: string) => colour.options.find((o) => o.label === label)?.id as string
    for (const [who, label] of [
      [di, 'Cream'],
      [ed, 'Cream'],
      [flo, 'Black'],
    ] as const)
      await answerPoll(t.deps, colour.id, who, [option(label)])
    // Salford's pairwise survey: Earl Grey beats both, Matcha beats Rooibos, for each of its three members.
    const tea = await createPoll(
      t.deps,
      {
        kind: 'pairwise',
        question: 'Which tea should Salford stock?',
        scope: 'store',
        scopeValue: stores.S02,
        endsAt: new Date(t.deps.clock.now().getTime() + 7 * day).toISOString(),
        options: ['Earl Grey', 'Rooibos', 'Matcha'],
      },
      null,
    )
    const teaId = (label: string) => tea.options.find((o) => o.label === label)?.id as string
    for (const who of [hal, ivy, jo])
      for (const [winner, loser] of [
        ['Earl Grey', 'Rooibos'],
        ['Earl Grey', 'Matcha'],
        ['Matcha', 'Rooibos'],
      ])
        await choosePair(t.deps, tea.id, who, { optionA: teaId(winner), optionB: teaId(loser), winnerId: teaId(winner) })
    // Di and Ed wait for the teapot in Camden; Flo wished for it and bought one since; Gus wished for the kettle, which is in stock.
    const till = (await callersFor(t, { till: { scopes: ['activity:write'] } })).till
    for (const card of ['200', '201', '202'])
      expect(
        (await sendActivity(t, till, { kind: 'wishlist_add', member: { kind: 'card', value: card }, details: { sku: 'TEAPOT-1' } })).statusCode,
      ).toBeLessThan(300)
    expect(
      (await sendActivity(t, till, { kind: 'wishlist_add', member: { kind: 'card', value: '203' }, details: { sku: 'KETTLE-1' } })).statusCode,
    ).toBeLessThan(300)
    t.deps.clock.advance(60_000)
    const bought = await sendActivity(t, till, {
      kind: 'purchase',
      member: { kind: 'card', value: '202' },
      lines: [{ sku: 'TEAPOT-1', quantity: 1, unitPrice: 2500 }],
    })
    expect(bought.statusCode).toBeLessThan(300)
    callers = await callersFor(t, {
      manager: 'manager',
      northManager: { role: 'manager', storeIds: [stores.S02] },
      camdenPlanner: { scopes: ['demand:read', 'store:S01'] },
    })
  })

  type Row = { category: string | null; storeCode: string | null; region: string | null; measures: Record<string, number>; findings: { kind: string }[] }
  const row = (feed: { rows: Row[] }, category: string | null, where?: Partial<Row>) =>
    feed.rows.find((r) => r.category === category && Object.entries(where ?? {}).every(([k, v]) => r[k as keyof Row] === v)) as Row

  it('shows a merchandiser what a category poll’s voters chose, each option with its share and interval', async () => {
    const feed = (await get(callers.manager, '/insights/demand?by=category')).json()
    const kitchen = row(feed, 'Kitchen')
    expect(kitchen.measures.poll_voices).toBe(3)
    const poll = kitchen.findings.find((f) => f.kind === 'poll') as unknown as {
      question: string
      voices: number
      options: { label: string; score: number; low: number; high: number }[]
    }
    expect(poll.question).toBe('Which kettle colour should we stock?')
    expect(poll.voices).toBe(3)
    expect(poll.options.map((o) => [o.label, Math.round(o.score * 100)])).toEqual([
      ['Cream', 67],
      ['Black', 33],
      ['Sage', 0],
    ])
    for (const o of poll.options) expect(o.low <= o.score && o.score <= o.high).toBe(true)
  })

  it('shows a store’s pairwise survey on that store’s row and its region’s, best option first', async () => {
    const byStore = (await get(callers.manager, '/insights/demand?by=store')).json()
    const salford = row(byStore, null, { storeCode: 'S02' })
    const tea = salford.findings.find((f) => f.kind === 'poll') as unknown as { pollKind: string; options: { label: string; score: number }[] }
    expect(tea.pollKind).toBe('pairwise')
    expect(tea.options.map((o) => o.label)).toEqual(['Earl Grey', 'Matcha', 'Rooibos'])
    expect(tea.options[0].score).toBeGreaterThan(0.5)
    const byRegion = (await get(callers.manager, '/insights/demand?by=region')).json()
    expect(row(byRegion, null, { region: 'North' }).findings.some((f) => f.kind === 'poll')).toBe(true)
    // Salford's manager sees their survey, not Camden's waiting list; a Camden key sees the reverse.
    const north = (await get(callers.northManager, '/insights/demand?by=store')).json()
    expect(north.rows.flatMap((r: Row) => r.findings.map((f) => f.kind))).toEqual(['poll'])
    const camden = (await get(callers.camdenPlanner, '/demand-feed?by=store')).json()
    expect(camden.rows.flatMap((r: Row) => r.findings.map((f) => f.kind))).toEqual(['back_in_stock', 'back_in_stock'])
  })

  it('counts back-in-stock requests: members who wished for a product out of stock and have not bought it', async () => {
    const byStore = (await get(callers.manager, '/insights/demand?by=store')).json()
    const teapots = row(byStore, 'Teapots', { storeCode: 'S01' })
    expect(teapots.measures.back_in_stock_requests).toBe(2)
    expect(teapots.findings).toEqual([
      { category: 'Teapots', storeId: stores.S01, kind: 'back_in_stock', sku: 'TEAPOT-1', product: 'Glass teapot', members: 2 },
    ])
    const byCategory = (await get(callers.manager, '/insights/demand')).json()
    expect(row(byCategory, 'Kettles').measures.back_in_stock_requests).toBeUndefined()
    expect(row(byCategory, 'Kitchen').measures.back_in_stock_requests).toBe(2)
  })

  it('names each product’s most frequent complaint and praise terms from its low and high ratings', async () => {
    const feed = (await get(callers.manager, '/insights/demand?by=category')).json()
    const kettles = row(feed, 'Kettles')
    expect(kettles.measures).toMatchObject({ reviews: 6, low_ratings: 3, high_ratings: 3 })
    expect(kettles.findings).toEqual([
      {
        category: 'Kettles',
        storeId: null,
        kind: 'review_themes',
        sku: 'KETTLE-1',
        product: 'Steel kettle',
        reviews: 6,
        lowRatings: 3,
        highRatings: 3,
        complaints: [
          { term: 'lid broke', reviews: 2 },
          { term: 'leaks', reviews: 2 },
        ],
        praise: [
          { term: 'lovely', reviews: 3 },
          { term: 'boils fast', reviews: 2 },
          { term: 'looks lovely', reviews: 2 },
        ],
      },
    ])
  })

  it('writes poll results, awaited products and review themes into the CSV as text columns', async () => {
    const csv = (await get(callers.manager, '/insights/demand?by=category&format=csv')).body.trim().split('\n')
    const header = csv[0].split(',')
    expect(header.slice(-4)).toEqual(['poll_results', 'awaited_products', 'complaint_terms', 'praise_terms'])
    for (const m of ['back_in_stock_requests', 'poll_voices', 'reviews', 'low_ratings', 'high_ratings']) expect(header).toContain(m)
    const kitchen = csv.find((l) => l.startsWith('Kitchen,')) as string
    expect(kitchen).toContain('Which kettle colour should we stock? (3 voices): Cream 67%, Black 33%, Sage 0%')
    expect(kitchen).toContain('Glass teapot (2)')
    expect(kitchen).toContain('Steel kettle: lid broke (2), leaks (2)')
    expect(kitchen).toContain('Steel kettle: lovely (3), boils fast (2), looks lovely (2)')
  })
})
