import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { type ActivityRow, recordResolvedActivities } from '../activity/index.js'

/**
 * Covent Garden on 3 December 2026: Ann (a member) bought for £30 and £20 this month, the till sold
 * two £25 baskets to shoppers who showed no card, and last year on the same days Ann spent £10.
 */
describe('the sales headline: total, average order, member capture, against last year', () => {
  let t: TestApp
  let as: Record<'manager' | 'associate' | 'till' | 'leedsTill' | 'shopper', Caller>
  const unlinked = (key: string, day: string, total: number, store = 'S01') => ({
    store,
    channel: 'store',
    occurredAt: `${day}T15:00:00Z`,
    source: 'till-1',
    idempotencyKey: key,
    total,
  })
  const post = (who: Caller | undefined, items: object[]) =>
    t.app.inject({ method: 'POST', url: '/v1/sales/unlinked', headers: who?.headers ?? {}, payload: { items } })
  const get = async (url: string, who: Caller = as.manager) => {
    const response = await t.app.inject({ method: 'GET', url, headers: who.headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  beforeAll(async () => {
    t = await testApp('2026-12-03T12:00:00Z')
    const stores = await addStores(t, [
      { code: 'S01', name: 'Covent Garden' },
      { code: 'S02', name: 'Leeds' },
    ])
    const [ann] = await enrol(t, [{ givenName: 'Ann', familyName: 'Garden', homeStoreId: stores.S01, joinedAt: new Date('2025-01-01T09:00:00Z') }])
    const purchase = (day: string, totalMinor: number): ActivityRow => {
      const id = newId()
      return {
        id,
        memberId: ann,
        kind: 'purchase',
        channel: 'store',
        storeId: stores.S01,
        occurredAt: new Date(`${day}T11:00:00Z`),
        recordedAt: new Date(`${day}T11:00:00Z`),
        source: 'till-1',
        idempotencyKey: id,
        orderRef: id,
        totalMinor,
        currency: 'GBP',
        details: {},
      }
    }
    await recordResolvedActivities(t.deps.db, [purchase('2026-12-01', 3000), purchase('2026-12-02', 2000), purchase('2025-12-02', 1000)], [])
    as = await callersFor(t, {
      manager: { role: 'manager', storeIds: [stores.S01] },
      associate: { role: 'associate', storeIds: [stores.S01] },
      till: { scopes: ['activity:write'] },
      leedsTill: { scopes: ['activity:write', 'store:S02'] },
      shopper: { member: ann },
    })
    const sent = await post(as.till, [unlinked('a1', '2026-12-02', 2500), unlinked('a2', '2026-12-02', 2500), unlinked('l1', '2026-12-02', 99_900, 'S02')])
    expect(sent.json()).toEqual({ recorded: 3, replayed: 0 })
  })
  afterAll(() => t.close())

  it('counts every sale, and the share linked to a member, month to date against the same days last year', async () => {
    const sales = await get('/v1/insights/sales')
    expect(sales).toMatchObject({
      monthToDate: true,
      period: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' },
      lastYear: { from: '2025-12-01T00:00:00.000Z', to: '2025-12-04T00:00:00.000Z' },
      currency: 'GBP',
    })
    // £30 + £20 from Ann, £25 + £25 without a card; Leeds' £999 is not this manager's.
    expect(sales.current).toEqual({ salesMinor: 10_000, orders: 4, averageOrderMinor: 2500, memberOrders: 2, memberSalesMinor: 5000, captureRate: 0.5 })
    expect(sales.previous).toEqual({ salesMinor: 1000, orders: 1, averageOrderMinor: 1000, memberOrders: 1, memberSalesMinor: 1000, captureRate: 1 })
    const csv = await t.app.inject({ method: 'GET', url: '/v1/insights/sales?format=csv', headers: as.manager.headers })
    expect(csv.body).toBe(
      'period,from,to,sales,orders,average_order,member_orders,member_sales,member_capture_pct,currency\n' +
        'month_to_date,2026-12-01,2026-12-03,100,4,25,2,50,50.0,GBP\n' +
        'same_days_last_year,2025-12-01,2025-12-03,10,1,10,1,10,100.0,GBP\n',
    )
  })

  it('takes any range of days, and refuses one that ends before it starts', async () => {
    const second = await get('/v1/insights/sales?from=2026-12-02&to=2026-12-03')
    expect(second.monthToDate).toBe(false)
    expect(second.current).toMatchObject({ salesMinor: 7000, orders: 3, captureRate: 0.3333 })
    const backwards = await t.app.inject({ method: 'GET', url: '/v1/insights/sales?from=2026-12-03&to=2026-12-01', headers: as.manager.headers })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().type).toBe('/problems/invalid-period')
  })

  it('records a till’s retry of a sale without a member once, and only at the till’s own stores', async () => {
    expect((await post(as.till, [unlinked('a1', '2026-12-02', 2500)])).json()).toEqual({ recorded: 0, replayed: 1 })
    expect((await get('/v1/insights/sales')).current.orders).toBe(4)
    expect((await post(as.leedsTill, [unlinked('x1', '2026-12-02', 100, 'S01')])).statusCode).toBe(403)
    const unknown = await post(as.till, [{ ...unlinked('x2', '2026-12-02', 100), store: 'NOPE' }])
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().errors).toEqual([{ field: '/items/0/store', message: 'NOPE is not known' }])
  })

  it('lets only managers read the headline and only integrations and staff write unlinked sales', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/sales', headers: as.associate.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/sales?store=S02', headers: as.manager.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/sales' })).statusCode).toBe(401)
    expect((await post(as.shopper, [unlinked('m1', '2026-12-02', 100)])).statusCode).toBe(403)
    expect((await post(undefined, [unlinked('m2', '2026-12-02', 100)])).statusCode).toBe(401)
  })
})
