import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'
import { upsertStores } from './service.js'

const purchase = (over: Record<string, unknown> = {}) => ({
  kind: 'purchase',
  member: { kind: 'card', value: '6330 0000 0001' },
  channel: 'store',
  store: 'S01',
  occurredAt: '2026-10-20T10:15:00Z',
  source: 'camden-till-3',
  idempotencyKey: newId(),
  orderRef: 'T3-0001',
  lines: [
    { sku: 'BEANS-1', quantity: 2, unitPrice: 1800, discount: 200, name: 'House beans 1kg', category: 'Coffee > Beans' },
    { sku: 'MUG-1', quantity: 1, unitPrice: 900 },
  ],
  ...over,
})

describe('recording what members do, once', () => {
  let t: TestApp
  let pos: Caller
  let ada: string
  beforeAll(async () => {
    t = await testApp()
    await upsertStores(t.deps.db, [
      { id: newId(), code: 'S01', name: 'Camden', region: 'London', timezone: 'Europe/London' },
      { id: newId(), code: 'S02', name: 'Leeds', region: 'North', timezone: 'Europe/London' },
    ])
    ada = newId()
    await enrolMembers(
      t.deps.db,
      [{ member: { id: ada, givenName: 'Ada', joinedAt: t.deps.clock.now() }, identifiers: [{ kind: 'card', value: '6330 0000 0001' }] }],
      { defaultRegion: 'GB', at: t.deps.clock.now() },
    )
    pos = await apiKeyCaller(t.deps, ['activity:write'])
  })
  afterAll(() => t.close())

  const post = (payload: unknown, caller = pos) => t.app.inject({ method: 'POST', url: '/v1/activities', payload: payload as object, headers: caller.headers })
  const batch = (items: unknown[], caller = pos) => t.app.inject({ method: 'POST', url: '/v1/activities/batch', payload: { items }, headers: caller.headers })
  const count = async (table: string, where = 'true') =>
    (await queryRows<{ n: number }>(t.deps.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0].n

  it('records a purchase for the member the card belongs to, with its event', async () => {
    const response = await post(purchase({ idempotencyKey: 'till3-0001' }))
    expect(response.statusCode).toBe(201)
    const result = response.json()
    expect(result).toMatchObject({ status: 'recorded', memberId: ada })
    const [activity] = await queryRows<{ total_minor: number }>(t.deps.db, sql`select total_minor from activities where id = ${result.activityId}`)
    expect(activity.total_minor).toBe(2 * 1800 - 200 + 900)
    expect(await count('outbox_events', `topic = 'activity.recorded' and payload->>'activityId' = '${result.activityId}'`)).toBe(1)
  })

  it('returns the first result for a replay and changes nothing', async () => {
    const first = (await post(purchase({ idempotencyKey: 'till3-0002' }))).json()
    const before = await count('activities')
    const replay = await post(purchase({ idempotencyKey: 'till3-0002' }))
    expect(replay.statusCode).toBe(200)
    expect(replay.json()).toEqual({ ...first, replay: true })
    expect(await count('activities')).toBe(before)
    expect(await count('outbox_events')).toBe(before)
  })

  it('records a replay once when the two copies race', async () => {
    const item = purchase({ idempotencyKey: 'till3-race' })
    const before = await count('activities')
    const answers = await Promise.all([post(item), post(item), batch([item]), batch([item, item])])
    expect(await count('activities')).toBe(before + 1)
    const ids = new Set([
      answers[0].json().activityId,
      answers[1].json().activityId,
      answers[2].json().results[0].activityId,
      ...answers[3].json().results.map((r: { activityId: string }) => r.activityId),
    ])
    expect(ids.size).toBe(1)
  })

  it('keeps the good items of a batch and says why each bad one was refused', async () => {
    const good = purchase({ idempotencyKey: 'b-good' })
    const response = await batch([
      good,
      purchase({ idempotencyKey: 'b-1', store: 'S99' }),
      purchase({ idempotencyKey: 'b-2', lines: [{ sku: 'X', quantity: -1, unitPrice: 100 }] }),
      { ...purchase({ idempotencyKey: 'b-3' }), colour: 'red' },
      purchase({ idempotencyKey: 'b-4', kind: 'telepathy' }),
      purchase({ idempotencyKey: 'b-5', member: { kind: 'phone', value: 'call me' } }),
      purchase({ idempotencyKey: 'b-6', lines: undefined }),
      'not even an object',
    ])
    expect(response.statusCode).toBe(200)
    const { results, recorded, rejected } = response.json()
    expect(recorded).toBe(1)
    expect(rejected).toBe(7)
    expect(results[0]).toMatchObject({ status: 'recorded', memberId: ada })
    expect(results.slice(1).map((r: { field: string }) => r.field)).toEqual(['/store', '/lines/0/quantity', '/colour', '/kind', '/member/value', '/lines', '/'])
    expect(results[1].reason).toContain('unknown store "S99"')
  })

  it('enrols a new member for an unknown card at a till, once for several activities', async () => {
    const card = { kind: 'card', value: '6330 9999 0001' }
    const response = await batch([purchase({ member: card }), purchase({ member: card, kind: 'store_visit', lines: undefined, orderRef: undefined })])
    const [a, b] = response.json().results
    expect(a).toMatchObject({ status: 'recorded', enrolled: true })
    expect(b.memberId).toBe(a.memberId)
    const lookup = await t.app.inject({
      method: 'GET',
      url: '/v1/members/lookup?kind=card&value=633099990001',
      headers: (await apiKeyCaller(t.deps, ['members:read'])).headers,
    })
    expect(lookup.json().id).toBe(a.memberId)
  })

  it('parks a web guest checkout and never drops it', async () => {
    const guest = { kind: 'email', value: 'guest@example.test' }
    const response = await post(purchase({ member: guest, channel: 'web', store: undefined }))
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({ status: 'parked', parkedId: expect.any(String) })
    expect(await count('parked_activities', `identifier_value = 'guest@example.test'`)).toBe(1)
  })

  it('lets a store-scoped key write only its own store', async () => {
    const leedsTill = await apiKeyCaller(t.deps, ['activity:write', 'store:S02'])
    const wrongStore = await post(purchase({ store: 'S01' }), leedsTill)
    expect(wrongStore.statusCode).toBe(422)
    expect(wrongStore.json()).toMatchObject({ type: '/problems/activity-rejected', errors: [{ field: 'body/store' }] })
    expect((await post(purchase({ store: 'S02' }), leedsTill)).statusCode).toBe(201)
  })

  it('takes back a partial return but not more than was bought', async () => {
    await post(purchase({ idempotencyKey: 'order-77', orderRef: 'T3-0077' }))
    const giveBack = (key: string, quantity: number) =>
      post({
        ...purchase({ idempotencyKey: key, kind: 'return', orderRef: `R-${key}`, returnOf: 'T3-0077' }),
        lines: [{ sku: 'BEANS-1', quantity, unitPrice: 1800, discount: 100 }],
      })
    const partial = await giveBack('ret-1', 1)
    expect(partial.statusCode).toBe(201)
    const [row] = await queryRows<{ total_minor: number }>(t.deps.db, sql`select total_minor from activities where id = ${partial.json().activityId}`)
    expect(row.total_minor).toBe(-1700)
    const tooMany = await giveBack('ret-2', 2)
    expect(tooMany.statusCode).toBe(422)
    expect(tooMany.json().detail).toContain('has 1 left to return')
    expect((await giveBack('ret-3', 1)).statusCode).toBe(201)
  })

  it('accepts custom engagement kinds once an admin registers them', async () => {
    const tasting = purchase({ kind: 'tasting_attended', lines: undefined, orderRef: undefined })
    expect((await post(tasting)).statusCode).toBe(422)
    const { registerActivityKind } = await import('./ingest.js')
    await registerActivityKind(t.deps.db, 'tasting_attended', 'Attended a tasting', t.deps.clock.now())
    expect((await post(tasting)).statusCode).toBe(201)
  })
})
