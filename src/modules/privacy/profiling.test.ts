import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { recordResolvedActivities, upsertProducts } from '../activity/index.js'
import { trainSuggestions } from '../advisor/index.js'
import { refreshChangedMembers, refreshInsights } from '../insights/index.js'
import { enrolMembers, setConsents } from '../members/index.js'

describe('profiling consent: who is scored, segmented and given a suggestion list', () => {
  let t: TestApp
  let cyHome: Caller
  const ids = { ada: newId(), bea: newId(), cy: newId() }
  const figuresOf = async (memberId: string) =>
    (
      await queryRows<{ insights: number; segments: number; history: number; lists: number }>(
        t.deps.db,
        sql`select (select count(*)::int from member_insights where member_id = ${memberId}) as insights,
                   (select count(*)::int from member_segments where member_id = ${memberId}) as segments,
                   (select count(*)::int from member_score_history where member_id = ${memberId}) as history,
                   (select count(*)::int from suggestion_lists where member_id = ${memberId}) as lists`,
      )
    )[0]

  beforeAll(async () => {
    t = await testApp('2026-11-02T10:00:00Z')
    const at = t.deps.clock.now()
    await upsertProducts(t.deps.db, [
      { sku: 'BEANS', name: 'Beans', category: ['Coffee'], brand: null, priceMinor: 900, currency: 'GBP', attributes: {} },
      { sku: 'MUG', name: 'Mug', category: ['Kitchen'], brand: null, priceMinor: 500, currency: 'GBP', attributes: {} },
    ])
    await enrolMembers(
      t.deps.db,
      Object.values(ids).map((id) => ({ member: { id, joinedAt: new Date('2026-01-01T00:00:00Z') }, identifiers: [] })),
      { defaultRegion: 'GB', at },
    )
    const purchases = Object.values(ids).flatMap((memberId) =>
      ['2026-06-01T10:00:00Z', '2026-09-01T10:00:00Z'].map((day) => {
        const id = newId()
        return {
          id,
          memberId,
          kind: 'purchase',
          channel: 'store',
          storeId: null,
          occurredAt: new Date(day),
          recordedAt: at,
          source: 'test',
          idempotencyKey: id,
          orderRef: id,
          totalMinor: 1400,
          currency: 'GBP',
          details: {},
        }
      }),
    )
    const lines = purchases.flatMap((p) =>
      ['BEANS', 'MUG'].map((sku, i) => ({ memberId: p.memberId, activityId: p.id, lineNo: i + 1, sku, quantity: 1, unitPriceMinor: 700, discountMinor: 0 })),
    )
    await recordResolvedActivities(t.deps.db, purchases, lines)
    // Ada withdrew profiling consent; Bea never answered; Cy said yes.
    await setConsents(t.deps.db, ids.ada, { profiling: true }, new Date('2026-01-01T00:00:00Z'))
    await setConsents(t.deps.db, ids.ada, { profiling: false }, at)
    await setConsents(t.deps.db, ids.cy, { profiling: true }, at)
    cyHome = await loginAs(t, 'member', { memberId: ids.cy })
  })
  afterAll(() => t.close())

  it('leaves a member who withdrew out of every per-member insight, and keeps sales whole', async () => {
    await refreshInsights(t.deps)
    expect(await figuresOf(ids.ada)).toMatchObject({ insights: 0, segments: 0, history: 0 })
    expect((await figuresOf(ids.bea)).insights).toBe(1)
    const [sales] = await queryRows<{ orders: number }>(t.deps.db, sql`select sum(orders)::int as orders from sales_months where dimension = 'total'`)
    expect(sales.orders).toBe(6) // Ada's purchases still count in the sales
  })

  it('keeps a suggestion list only for members who consented, though every basket trains the model', async () => {
    const trained = await trainSuggestions(t.deps)
    expect(trained.members).toBe(3)
    expect([(await figuresOf(ids.ada)).lists, (await figuresOf(ids.bea)).lists, (await figuresOf(ids.cy)).lists]).toEqual([0, 0, 1])
  })

  it('drops a member’s figures as soon as they withdraw at home, and the next refresh does not bring them back', async () => {
    await refreshInsights(t.deps)
    expect((await figuresOf(ids.cy)).insights).toBe(1)
    const put = await t.app.inject({ method: 'PUT', url: '/v1/me/consents', headers: cyHome.headers, payload: { profiling: false } })
    expect(put.statusCode).toBe(200)
    expect(await figuresOf(ids.cy)).toMatchObject({ insights: 0, segments: 0, history: 0 })
    await refreshChangedMembers(t.deps)
    await refreshInsights(t.deps)
    expect((await figuresOf(ids.cy)).insights).toBe(0)
  })
})
