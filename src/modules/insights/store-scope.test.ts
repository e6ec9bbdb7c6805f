import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { type ActivityLineRow, type ActivityRow, recordResolvedActivities } from '../activity/index.js'
import { refreshInsights } from './refresh.js'

/**
 * A manager of S01 (Covent Garden) asks every insights route for figures: nothing of S02's
 * (Leeds) comes back, asked for or not. Leeds' members, sales and associate are marked so that any
 * of them would show in an answer: the name "Zed", sales of £777.77, the associate leeds-only@.
 */
describe("a store manager's insights are their store's, on every route", () => {
  let t: TestApp
  let as: Record<'coventGarden' | 'admin', Caller>
  let stores: Record<string, string>
  const activities: ActivityRow[] = []
  const lines: ActivityLineRow[] = []
  const buy = (memberId: string, storeId: string, day: string, totalMinor: number, associate: string) => {
    const id = newId()
    activities.push({
      id,
      memberId,
      kind: 'purchase',
      channel: 'store',
      storeId,
      occurredAt: new Date(`${day}T12:00:00Z`),
      recordedAt: new Date('2026-11-01T00:00:00Z'),
      source: 'test',
      idempotencyKey: id,
      orderRef: id,
      totalMinor,
      currency: 'GBP',
      details: { associate },
    })
    lines.push({ memberId, activityId: id, lineNo: 1, sku: 'BEANS', quantity: 1, unitPriceMinor: totalMinor, discountMinor: 0 })
  }

  // Every GET route under /v1/insights, from the API's own description: a route added later is checked too.
  const insightsRoutes = async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>
    }
    return Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/v1/insights/') && ops.get)
      .map(([path, ops]) => ({ path, takesStore: (ops.get?.parameters ?? []).some((p) => p.in === 'query' && p.name === 'store') }))
  }

  beforeAll(async () => {
    t = await testApp('2026-11-01T12:00:00Z')
    stores = await addStores(t, [
      { code: 'S01', name: 'Covent Garden' },
      { code: 'S02', name: 'Leeds' },
    ])
    const people = Array.from({ length: 6 }, (_, i) => ({
      givenName: i < 3 ? `Ann${i}` : `Zed${i}`,
      familyName: i < 3 ? 'Garden' : 'Leeds',
      joinedAt: new Date('2026-01-05T09:00:00Z'),
      joinedChannel: 'store',
      homeStoreId: i < 3 ? stores.S01 : stores.S02,
    }))
    const ids = await enrol(t, people)
    for (const [i, id] of ids.entries()) {
      const [store, total, associate] = i < 3 ? [stores.S01, 2000, 'cg@shop.test'] : [stores.S02, 77_777, 'leeds-only@shop.test']
      buy(id, store, '2026-08-10', total, associate)
      buy(id, store, '2026-10-10', total, associate)
    }
    await recordResolvedActivities(t.deps.db, activities, lines)
    await refreshInsights(t.deps)
    as = await callersFor(t, { coventGarden: { role: 'manager', storeIds: [stores.S01] }, admin: 'admin' })
  })
  afterAll(() => t.close())

  it('answers every insights route with S01 figures only, and refuses S02 when asked for it', async () => {
    const routes = await insightsRoutes()
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1/insights/overview', '/v1/insights/members', '/v1/insights/scorecards/associates', '/v1/insights/value']),
    )
    for (const { path, takesStore } of routes) {
      for (const format of ['json', 'csv']) {
        const own = await t.app.inject({ method: 'GET', url: `${path}?format=${format}`, headers: as.coventGarden.headers })
        if (own.statusCode === 400) continue // a route without a CSV
        expect(own.statusCode, `${path} ${own.body}`).toBe(200)
        // Ids are random, so Leeds' 777.77 sales are looked for once the ids are taken out (a member id may hold "777").
        const figures = own.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
        expect(own.body, `${path}?format=${format}`).not.toContain(stores.S02)
        for (const leeds of ['Zed', 'Leeds', 'S02', '777', 'leeds-only']) expect(figures, `${path}?format=${format}`).not.toContain(leeds)
        // Every export in one convention (platform/http/csv.ts): snake_case headers, money beside its currency.
        if (format === 'csv') {
          const header = own.body.split('\n')[0].split(',')
          for (const column of header) expect(column, path).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/)
          if (header.some((c) => /sales|clv|spend/.test(c))) expect(header, path).toContain('currency')
        }
      }
      if (!takesStore) continue
      const other = await t.app.inject({ method: 'GET', url: `${path}?store=S02`, headers: as.coventGarden.headers })
      expect(other.statusCode, path).toBe(403)
      expect(other.json().type).toBe('/problems/forbidden')
    }
  })

  it('still shows an admin both stores, so the figures above were held back, not missing', async () => {
    const overview = await t.app.inject({ method: 'GET', url: '/v1/insights/overview', headers: as.admin.headers })
    expect(overview.json().storeSales.map((s: { storeCode: string }) => s.storeCode)).toEqual(['S01', 'S02'])
    const members = await t.app.inject({ method: 'GET', url: '/v1/insights/members', headers: as.admin.headers })
    expect(members.body).toContain('Zed')
  })
})
