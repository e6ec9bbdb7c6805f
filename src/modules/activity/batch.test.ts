import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp, testDeps } from '../../../test/support/testing.js'
import { buildApp } from '../../app.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'

const purchase = (over: Record<string, unknown> = {}) => ({
  kind: 'purchase',
  member: { kind: 'card', value: 'BATCH-1' },
  channel: 'store',
  store: 'S01',
  occurredAt: '2026-10-20T10:15:00Z',
  source: 'till-9',
  idempotencyKey: newId(),
  lines: [{ sku: 'BEANS-1', quantity: 2, unitPrice: 1800, discount: 200, name: 'House beans 1kg' }],
  ...over,
})

// A till sends its offline backlog: whatever is wrong with one item, the others are kept.
describe('a batch keeps its good items', () => {
  let t: TestApp
  let till: Caller
  let member: string
  beforeAll(async () => {
    t = await testApp()
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    ;[member] = await enrol(t, [{ givenName: 'Ada', card: 'BATCH-1' }])
    ;({ till } = await callersFor(t, { till: { scopes: ['activity:write'] } }))
  })
  afterAll(() => t.close())

  const send = (payload: string) =>
    t.app.inject({ method: 'POST', url: '/v1/activities/batch', headers: { ...till.headers, 'content-type': 'application/json' }, payload })
  const recordedFor = async (source: string) =>
    (await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from activities where source = ${source}`))[0].n

  // Each bad item as raw JSON: some values (9007199254740993, 5,000 levels) cannot be written by JSON.stringify.
  const causes: [string, (good: ReturnType<typeof purchase>) => string, string][] = [
    ['a NUL byte', (p) => JSON.stringify({ ...p, source: 'till\u00009' }), '/source'],
    ['a lone surrogate', (p) => JSON.stringify({ ...p, idempotencyKey: 'key-\ud800' }), '/idempotencyKey'],
    ['a quantity no column holds', (p) => JSON.stringify({ ...p, lines: [{ ...p.lines[0], quantity: 1e20 }] }), '/lines/0/quantity'],
    [
      'an unsafe integer price',
      (p) => JSON.stringify({ ...p, lines: [{ ...p.lines[0], unitPrice: 1 }] }).replace('"unitPrice":1', '"unitPrice":9007199254740993'),
      '/lines/0/unitPrice',
    ],
    ['year 0000', (p) => JSON.stringify({ ...p, occurredAt: '0000-06-01T10:00:00Z' }), '/occurredAt'],
    ['a leap second', (p) => JSON.stringify({ ...p, occurredAt: '2026-06-30T23:59:60Z' }), '/occurredAt'],
    [
      'details nested 5,000 deep',
      (p) => JSON.stringify({ ...p, details: { deep: 0 } }).replace('0}', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`),
      '/details/deep',
    ],
    [
      'a discount larger than its line',
      (p) => JSON.stringify({ ...p, lines: [{ sku: 'X', quantity: 1, unitPrice: 100, discount: 1_000_000 }] }),
      '/lines/0/discount',
    ],
    ['a price past sane bounds', (p) => JSON.stringify({ ...p, lines: [{ sku: 'X', quantity: 100_000, unitPrice: 10_000_000_000 }] }), '/lines'],
  ]

  for (const [cause, bad, field] of causes) {
    it(`keeps ten good purchases next to one with ${cause}`, async () => {
      const source = `till-${newId()}`
      const good = Array.from({ length: 10 }, () => JSON.stringify(purchase({ source })))
      const response = await send(`{"items":[${good.slice(0, 5).join(',')},${bad(purchase({ source }))},${good.slice(5).join(',')}]}`)
      expect(response.statusCode).toBe(200)
      const body = response.json()
      expect(body).toMatchObject({ recorded: 10, rejected: 1 })
      expect(body.results[5]).toMatchObject({ status: 'rejected', field: expect.stringContaining(field) })
      expect(body.results[5].reason).toBeTruthy()
      expect(await recordedFor(source)).toBe(10)
    })
  }

  it('refuses a discount larger than its line, so the member’s spend never goes negative', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: till.headers,
      payload: purchase({ lines: [{ sku: 'X', quantity: 1, unitPrice: 100, discount: 1_000_000 }] }),
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors).toEqual([{ field: 'body/lines/0/discount', message: 'the discount (1000000) is more than the line (1 × 100 = 100)' }])
    const [spend] = await queryRows<{ total: number }>(
      t.deps.db,
      sql`select coalesce(sum(total_minor), 0)::int as total from activities where member_id = ${member}`,
    )
    expect(spend.total).toBeGreaterThanOrEqual(0)
  })

  it('refuses a return worth more than what was bought, item by item', async () => {
    const orderRef = `R-${newId()}`
    await send(JSON.stringify({ items: [purchase({ orderRef, lines: [{ sku: 'MUG-1', quantity: 2, unitPrice: 900, discount: 400 }] })] }))
    const refund = (lines: object[]) => ({ ...purchase({ kind: 'return', returnOf: orderRef, lines }) })
    const response = await send(
      JSON.stringify({
        items: [refund([{ sku: 'MUG-1', quantity: 2, unitPrice: 900 }]), refund([{ sku: 'MUG-1', quantity: 1, unitPrice: 900, discount: 200 }])],
      }),
    )
    const [atFullPrice, fair] = response.json().results
    expect(atFullPrice).toMatchObject({ status: 'rejected', field: '/lines' })
    expect(atFullPrice.reason).toContain('worth 1800')
    expect(fair.status).toBe('recorded')
  })
})

describe('phones at ingest read with the retailer’s region', { timeout: 120_000 }, () => {
  async function appIn(region: string) {
    const deps = await testDeps()
    const app = await buildApp({ ...deps, config: { ...deps.config, defaultRegion: region } }, { logger: false })
    await app.ready()
    const close = async () => {
      await app.close()
      await deps.close()
    }
    const t: TestApp = { app, deps, close }
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    const { till } = await callersFor(t, { till: { scopes: ['activity:write'] } })
    const batch = (items: object[]) => app.inject({ method: 'POST', url: '/v1/activities/batch', headers: till.headers, payload: { items } })
    return { t, batch }
  }

  it('answers a number the region cannot read on its own, and keeps its neighbours (US)', async () => {
    const { t, batch } = await appIn('US')
    const response = await batch([purchase({ member: { kind: 'phone', value: '1234567' } }), purchase({ member: { kind: 'phone', value: '(212) 555-0123' } })])
    expect(response.statusCode).toBe(200)
    const [unreadable, newYork] = response.json().results
    expect(unreadable).toMatchObject({ status: 'rejected', field: '/member/value' })
    expect(newYork).toMatchObject({ status: 'recorded', enrolled: true })
    const [held] = await queryRows<{ value: string }>(t.deps.db, sql`select value from member_identifiers where member_id = ${newYork.memberId}`)
    expect(held.value).toBe('+12125550123')
    await t.close()
  })

  it('stores a number written the local way as that country’s (DE)', async () => {
    const { t, batch } = await appIn('DE')
    const [berlin] = (await batch([purchase({ member: { kind: 'phone', value: '030 12345678' } })])).json().results
    expect(berlin).toMatchObject({ status: 'recorded', enrolled: true })
    const [held] = await queryRows<{ value: string }>(t.deps.db, sql`select value from member_identifiers where member_id = ${berlin.memberId}`)
    expect(held.value).toBe('+493012345678')
    await t.close()
  })
})
