import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { type ActivityLineRow, type ActivityRow, recordResolvedActivities } from '../activity/index.js'
import { refreshInsights } from './refresh.js'

const day = 86_400_000
const asOf = new Date('2026-11-01T12:00:00Z')

/**
 * Covent Garden's regulars come back about every 30 days (four of them stopped in the spring). Olive bought once, a big basket, 200 days
 * ago; Uma bought the same basket 20 days ago; six others bought a coffee last week. BG/NBD calls
 * all eight "alive" (P = 1: nobody without a repeat purchase can be seen to have left).
 */
describe('one-time buyers', () => {
  let t: TestApp
  let as: Record<'manager' | 'associate', Caller>
  let olive: string
  let uma: string
  const activities: ActivityRow[] = []
  const lines: ActivityLineRow[] = []
  const buy = (memberId: string, daysAgo: number, totalMinor: number, storeId: string) => {
    const id = newId()
    activities.push({
      id,
      memberId,
      kind: 'purchase',
      channel: 'store',
      storeId,
      occurredAt: new Date(asOf.getTime() - daysAgo * day),
      recordedAt: asOf,
      source: 'test',
      idempotencyKey: id,
      orderRef: id,
      totalMinor,
      currency: 'GBP',
      details: {},
    })
    lines.push({ memberId, activityId: id, lineNo: 1, sku: 'BEANS', quantity: 1, unitPriceMinor: totalMinor, discountMinor: 0 })
  }
  const get = async (url: string, who: Caller = as.manager) => {
    const response = await t.app.inject({ method: 'GET', url, headers: who.headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  beforeAll(async () => {
    t = await testApp(asOf.toISOString())
    const { S01 } = await addStores(t, [{ code: 'S01', name: 'Covent Garden' }])
    const joined = new Date(asOf.getTime() - 400 * day)
    const regulars = await enrol(
      t,
      Array.from({ length: 14 }, (_, i) => ({ givenName: `Regular${i}`, familyName: 'Garden', joinedAt: joined, homeStoreId: S01 })),
    )
    for (const [i, id] of regulars.entries()) for (let k = 0; k < 4; k++) buy(id, (i >= 10 ? 150 : 5) + i + k * (26 + (i % 9)), 2000 + 100 * i, S01)
    ;[olive, uma] = await enrol(t, [
      { givenName: 'Olive', familyName: 'Once', joinedAt: joined, homeStoreId: S01 },
      { givenName: 'Uma', familyName: 'Once', joinedAt: joined, homeStoreId: S01 },
    ])
    buy(olive, 200, 15_000, S01)
    buy(uma, 20, 15_000, S01)
    const coffees = await enrol(
      t,
      Array.from({ length: 6 }, (_, i) => ({ givenName: `Coffee${i}`, familyName: 'Once', joinedAt: joined, homeStoreId: S01 })),
    )
    for (const id of coffees) buy(id, 7, 350, S01)
    await recordResolvedActivities(t.deps.db, activities, lines)
    await refreshInsights(t.deps)
    as = await callersFor(t, { manager: 'manager', associate: 'associate' })
  })
  afterAll(() => t.close())

  it('shows a one-time buyer as one, with when they were last seen, never as 100% still shopping', async () => {
    const figures = await get(`/v1/members/${olive}/insights`, as.associate)
    expect(figures).toMatchObject({ segment: 'lapsed', oneTimeBuyer: true, pAlive: null, drifting: true })
    expect(figures.lastPurchaseAt.slice(0, 10)).toBe('2026-04-15')
    const regular = (await get('/v1/insights/members?limit=200')).items.find((m: { name: string }) => m.name === 'Regular0 Garden')
    expect(regular).toMatchObject({ oneTimeBuyer: false, pAlive: expect.any(Number) })
  })

  it('counts a big one-time basket that stayed away twice the usual gap as valuable and drifting', async () => {
    const drifting = await get('/v1/insights/members?atRisk=true')
    const names = drifting.items.map((m: { name: string }) => m.name)
    expect(names).toContain('Olive Once')
    expect(names).not.toContain('Uma Once') // the same basket, but only 20 days ago
    expect(names.filter((n: string) => n.startsWith('Coffee'))).toEqual([]) // away a week, and a small basket
    const value = await get('/v1/insights/value')
    expect(value).toMatchObject({ buyers: 22, oneTimeBuyers: 8, oneTimeDrifting: 1 })
    expect(value.atRisk).toBe(drifting.total)
    // P(alive) on the dashboard is the regulars': the eight ones at 1 would lift it.
    expect(value.averagePAlive).toBeLessThan(1)
    expect(value.pAliveBuckets.reduce((n: number, b: { members: number }) => n + b.members, 0)).toBe(14)
  })
})
