import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp, workStartedJob } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { type ActivityLineRow, type ActivityRow, recordResolvedActivities, registerActivityKind } from '../activity/index.js'
import { refreshChangedMembers, refreshInsights } from './refresh.js'

/**
 * A hand-checked little shop, on 1 November 2026 (2026-Q4): five shoppers whose segments, scores
 * and retention can be worked out on paper (the figures in the comments).
 */
describe('relationship insights on a hand-checked fixture', () => {
  let t: TestApp
  let as: Record<'manager' | 'admin' | 'associate' | 'otherStoreManager', Caller>
  const ids = { rosa: newId(), pat: newId(), flo: newId(), lou: newId(), nia: newId(), gil: newId() }
  const camden = newId()
  const leeds = newId()
  const activities: ActivityRow[] = []
  const lines: ActivityLineRow[] = []
  const buy = (member: string, day: string, options: { discounted?: boolean; channel?: string; associate?: string; store?: string } = {}) => {
    const id = newId()
    const channel = options.channel ?? 'store'
    activities.push({
      id,
      memberId: member,
      kind: 'purchase',
      channel,
      storeId: channel === 'store' ? (options.store ?? camden) : null,
      occurredAt: new Date(`${day}T12:00:00Z`),
      recordedAt: new Date('2026-11-01T00:00:00Z'),
      source: 'test',
      idempotencyKey: id,
      orderRef: id,
      totalMinor: options.discounted ? 1500 : 2000,
      currency: 'GBP',
      details: options.associate ? { associate: options.associate } : {},
    })
    lines.push({ memberId: member, activityId: id, lineNo: 1, sku: 'BEANS', quantity: 2, unitPriceMinor: 1000, discountMinor: options.discounted ? 500 : 0 })
  }
  const act = (member: string, kind: string, day: string) => {
    const id = newId()
    activities.push({
      id,
      memberId: member,
      kind,
      channel: 'web',
      storeId: null,
      occurredAt: new Date(`${day}T12:00:00Z`),
      recordedAt: new Date('2026-11-01T00:00:00Z'),
      source: 'test',
      idempotencyKey: id,
      details: {},
    })
  }
  const get = async (url: string, who: Caller = as.manager) => {
    const response = await t.app.inject({ method: 'GET', url, headers: who.headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  beforeAll(async () => {
    t = await testApp('2026-11-01T12:00:00Z')
    t.deps.config.sessionHours = 24 * 365 // the last test moves the clock on
    const at = t.deps.clock.now()
    await addStores(t, [
      { id: camden, code: 'CAM', name: 'Camden' },
      { id: leeds, code: 'LDS', name: 'Leeds' },
    ])
    await registerActivityKind(t.deps.db, 'review', 'Wrote a review', at)
    const member = (id: string, givenName: string, joined: string, homeStoreId = camden) => ({
      id,
      givenName,
      familyName: 'Test',
      joinedAt: new Date(`${joined}T09:00:00Z`),
      joinedChannel: 'store',
      homeStoreId,
    })
    await enrol(t, [
      member(ids.rosa, 'Rosa', '2026-01-05'),
      member(ids.pat, 'Pat', '2026-04-02'),
      member(ids.flo, 'Flo', '2026-01-10'),
      member(ids.lou, 'Lou', '2026-02-01'),
      member(ids.nia, 'Nia', '2026-10-20', leeds),
      member(ids.gil, 'Gil', '2026-06-01'),
    ])
    // Rosa: full price every quarter, in store and online, and writes reviews.
    buy(ids.rosa, '2026-01-05', { associate: 'sam@shop.test' })
    buy(ids.rosa, '2026-04-10', { channel: 'web' })
    buy(ids.rosa, '2026-07-10', { associate: 'sam@shop.test' })
    buy(ids.rosa, '2026-10-10', { associate: 'sam@shop.test' })
    act(ids.rosa, 'review', '2026-10-12')
    // Pat: only on discount, never takes part.
    buy(ids.pat, '2026-04-02', { discounted: true })
    buy(ids.pat, '2026-08-15', { discounted: true })
    // Flo: full price, then a quarter of bargains, then full price again.
    buy(ids.flo, '2026-01-10')
    buy(ids.flo, '2026-05-10', { discounted: true })
    buy(ids.flo, '2026-08-10')
    buy(ids.flo, '2026-10-28')
    // Lou: one purchase in February, nothing since.
    buy(ids.lou, '2026-02-01')
    // Nia: new in Leeds this quarter.
    buy(ids.nia, '2026-10-20', { store: leeds, associate: 'sam@shop.test' })
    await recordResolvedActivities(t.deps.db, activities, lines)
    as = await callersFor(t, { manager: 'manager', admin: 'admin', associate: 'associate', otherStoreManager: { role: 'manager', storeIds: [leeds] } })
    const refreshed = await t.app.inject({ method: 'POST', url: '/v1/insights/refresh', headers: as.admin.headers, payload: {} })
    expect(refreshed.statusCode, refreshed.body).toBe(202) // queued as the nightly job, not run in the request
    expect(refreshed.json()).toMatchObject({ name: 'insights-full', queued: true })
    expect((await workStartedJob(t, refreshed.json())).result).toMatchObject({ kind: 'full', members: 6 })
  })
  afterAll(() => t.close())

  it('segments each member per quarter as worked out by hand', async () => {
    const segments = async (id: string) => (await get(`/v1/members/${id}/insights`, as.associate)).segments.map((s: { segment: string }) => s.segment)
    expect(await segments(ids.rosa)).toEqual(['new', 'relationship_driven', 'relationship_driven', 'relationship_driven'])
    expect(await segments(ids.pat)).toEqual(['new', 'price_driven', 'price_driven'])
    expect(await segments(ids.flo)).toEqual(['new', 'fluctuating', 'fluctuating', 'fluctuating'])
    // Lou: Q2 still has Q1's purchase within the two-quarter lapse window.
    expect(await segments(ids.lou)).toEqual(['new', 'relationship_driven', 'lapsed', 'lapsed'])
    expect(await segments(ids.nia)).toEqual(['new'])
    expect(await segments(ids.gil)).toEqual([])
  })

  it('shows the segment mix and the transitions from the quarter before', async () => {
    const mix = await get('/v1/insights/segments')
    expect(mix.quarter).toBe('2026-Q4')
    expect(Object.fromEntries(mix.mix.map((m: { segment: string; members: number }) => [m.segment, m.members]))).toEqual({
      new: 1,
      relationship_driven: 1,
      fluctuating: 1,
      price_driven: 1,
      lapsed: 1,
    })
    const moves = Object.fromEntries(mix.transitions.map((m: { from: string; to: string; members: number }) => [`${m.from}>${m.to}`, m.members]))
    expect(moves).toEqual({
      'relationship_driven>relationship_driven': 1,
      'price_driven>price_driven': 1,
      'fluctuating>fluctuating': 1,
      'lapsed>lapsed': 1,
      'none>new': 1,
    })
    const q2 = await get('/v1/insights/segments?quarter=2026-Q2')
    expect(q2.mix.find((m: { segment: string }) => m.segment === 'new').members).toBe(1) // Pat
    const csv = await t.app.inject({ method: 'GET', url: '/v1/insights/segments?format=csv', headers: as.manager.headers })
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body.split('\n')[0]).toBe('quarter,from_segment,to_segment,members')
  })

  it('scores a new shopper from recency, frequency and breadth', async () => {
    // Nia, one store purchase 12 days ago: recency 0.5^(12/60) = 0.8706, frequency ln 2 / ln 13 = 0.2702,
    // channels 1/3, nothing else: (25 × 0.8706 + 25 × 0.2702 + 15 × 0.3333) / 100 = 33.5 → 34.
    const nia = await get(`/v1/members/${ids.nia}/insights`, as.associate)
    expect(nia.parts).toMatchObject({ recency: 0.871, frequency: 0.27, channels: 0.333, participation: 0 })
    expect(nia.score).toBe(34)
    const rosa = await get(`/v1/members/${ids.rosa}/insights`, as.associate)
    expect(rosa.parts.participation).toBe(0.25) // one way of taking part out of four
    expect(rosa.score).toBeGreaterThan(nia.score)
    expect(rosa.scoreHistory).toEqual([{ month: '2026-11', score: rosa.score }])
  })

  it('draws retention by join month, repeat rate and omni- vs single-channel members', async () => {
    const r = await get('/v1/insights/retention?months=12')
    const january = r.byJoinMonth.find((c: { cohort: string }) => c.cohort === '2026-01')
    // Rosa and Flo joined in January; Rosa bought in months 0, 3, 6, 9 and Flo in 0, 4, 7, 9.
    expect(january.members).toBe(2)
    expect(january.retained.slice(0, 10)).toEqual([1, 0, 0, 0.5, 0.5, 0, 0.5, 0.5, 0, 1])
    expect(january.retained[10]).toBeNull() // January is only ten months old
    // Buyers: Rosa, Pat, Flo, Lou, Nia; repeaters Rosa, Pat, Flo.
    expect(r.repeatRate).toBe(0.6)
    const omni = r.omniVsSingle.find((g: { group: string }) => g.group === 'omni')
    expect(omni.members).toBe(1) // Rosa: store and web in the last 12 months
    const csv = await t.app.inject({ method: 'GET', url: '/v1/insights/retention?format=csv&months=3', headers: as.manager.headers })
    expect(csv.body.split('\n')[0]).toBe('cohort,members,month_0_pct,month_1_pct,month_2_pct')
  })

  it('keeps store and associate scorecards against the period before', async () => {
    // July to October at Camden: Rosa (Jul, Oct), Pat (Aug, discounted), Flo (Aug, Oct).
    const stores = await get('/v1/insights/scorecards/stores?from=2026-07-01&to=2026-11-01')
    const cam = stores.rows.find((r: { detail: string }) => r.detail === 'CAM')
    expect(cam.current).toMatchObject({ membersServed: 3, returningMembers: 2, orders: 5, salesMinor: 9500 })
    // The 123 days before (28 Feb – 30 Jun): Pat and Flo; Rosa's April purchase was online.
    expect(cam.previous).toMatchObject({ membersServed: 2, returningMembers: 0, orders: 2, salesMinor: 3000 })
    expect(stores.previous).toEqual({ from: '2026-02-28T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' })
    const associates = await get('/v1/insights/scorecards/associates?from=2026-10-01&to=2026-11-01')
    const sam = associates.rows.find((r: { key: string }) => r.key === 'sam@shop.test')
    expect(sam.current).toMatchObject({ membersServed: 2, orders: 2 }) // Rosa at Camden, Nia at Leeds
  })

  it('lists the members behind a figure, and exports them', async () => {
    const lapsed = await get('/v1/insights/members?segment=lapsed')
    expect(lapsed.total).toBe(1)
    expect(lapsed.items[0]).toMatchObject({ memberId: ids.lou, name: 'Lou Test', segment: 'lapsed', homeStore: 'CAM' })
    const csv = await t.app.inject({ method: 'GET', url: '/v1/insights/members?format=csv&segment=lapsed', headers: as.manager.headers })
    expect(csv.body).toContain('Lou Test')
    const sales = await t.app.inject({ method: 'GET', url: '/v1/insights/overview?format=csv&months=3', headers: as.manager.headers })
    // October: Rosa, Nia and Flo, £20 each (the month of the refresh has no purchases yet).
    // Amounts in whole units as the currency has them, with the currency beside them.
    expect(sales.body).toBe('month,sales,orders,buying_members,currency\n2026-10,60,3,3,GBP\n')
  })

  it('lists exactly the "valuable, drifting" members the value figure counts', async () => {
    // Values £10, £20, £39 and £40: the top quarter starts at £39.25. Lou is in it and drifting;
    // Flo is just below it; Rosa is drifting but not valuable enough.
    const set = async (id: string, clv: number, pAlive: number) =>
      t.deps.db.execute(sql`update member_insights set clv_minor = ${clv}, p_alive = ${pAlive} where member_id = ${id}`)
    await set(ids.rosa, 1000, 0.2)
    await set(ids.pat, 2000, 0.9)
    await set(ids.flo, 3900, 0.3)
    await set(ids.lou, 4000, 0.3)
    const value = await get('/v1/insights/value')
    const drifting = await get('/v1/insights/members?atRisk=true')
    expect(value.atRisk).toBe(1)
    expect(drifting.items.map((m: { memberId: string }) => m.memberId)).toEqual([ids.lou])
  })

  it('lets only staff see a member’s figures, and only managers the dashboards', async () => {
    const shopper = await loginAs(t, 'member', { memberId: ids.rosa })
    expect((await t.app.inject({ method: 'GET', url: `/v1/members/${ids.rosa}/insights`, headers: shopper.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/segments', headers: as.associate.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/segments' })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'POST', url: '/v1/insights/refresh', headers: as.manager.headers, payload: {} })).statusCode).toBe(403)
    const pos = await apiKeyCaller(t.deps, ['activity:write'])
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/value', headers: pos.headers })).statusCode).toBe(403)
    const reporting = await apiKeyCaller(t.deps, ['insights:read'])
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/value', headers: reporting.headers })).statusCode).toBe(200)
  })

  it('limits a store manager to their own stores', async () => {
    const members = await get('/v1/insights/members', as.otherStoreManager)
    expect(members.items.map((m: { memberId: string }) => m.memberId)).toEqual([ids.nia])
    const stores = await get('/v1/insights/scorecards/stores', as.otherStoreManager)
    expect(stores.rows.map((r: { detail: string }) => r.detail)).toEqual(['LDS'])
    const response = await t.app.inject({ method: 'GET', url: '/v1/insights/segments?store=CAM', headers: as.otherStoreManager.headers })
    expect(response.statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/segments?store=NOPE', headers: as.manager.headers })).statusCode).toBe(404)
  })

  it('validates settings and uses them from the next refresh', async () => {
    const current = await get('/v1/insights/settings')
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/v1/insights/settings',
      headers: as.admin.headers,
      payload: { ...current, segments: { ...current.segments, lapsedAfterQuarters: 6 } },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([{ field: 'body/segments/lapsedAfterQuarters', message: 'Lapsed after can be at most the quarters looked back over' }])
    const onlyRecency = { ...current, weights: { recency: 1, frequency: 0, channels: 0, participation: 0, social: 0, advice: 0 } }
    expect((await t.app.inject({ method: 'PUT', url: '/v1/insights/settings', headers: as.manager.headers, payload: onlyRecency })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'PUT', url: '/v1/insights/settings', headers: as.admin.headers, payload: onlyRecency })).statusCode).toBe(200)
    await refreshInsights(t.deps)
    expect((await get(`/v1/members/${ids.nia}/insights`, as.associate)).score).toBe(87) // recency alone: 0.8706
    await t.app.inject({ method: 'PUT', url: '/v1/insights/settings', headers: as.admin.headers, payload: current })
    await refreshInsights(t.deps)
  })

  it('refreshes only members with new activity, incrementally', async () => {
    t.deps.clock.advance(3 * 86_400_000)
    const later = t.deps.clock.now()
    const id = newId()
    await recordResolvedActivities(
      t.deps.db,
      [
        {
          id,
          memberId: ids.lou,
          kind: 'purchase',
          channel: 'web',
          storeId: null,
          occurredAt: new Date(later.getTime() - 3_600_000),
          recordedAt: later,
          source: 'test',
          idempotencyKey: id,
          orderRef: id,
          totalMinor: 2000,
          currency: 'GBP',
          details: {},
        },
      ],
      [{ memberId: ids.lou, activityId: id, lineNo: 1, sku: 'BEANS', quantity: 2, unitPriceMinor: 1000, discountMinor: 0 }],
    )
    const run = await refreshChangedMembers(t.deps)
    expect(run).toMatchObject({ kind: 'incremental', members: 1 })
    const lou = await get(`/v1/members/${ids.lou}/insights`, as.associate)
    expect(lou.segment).toBe('relationship_driven') // back, at full price
    expect(lou.orders12m).toBe(2)
  })
})
