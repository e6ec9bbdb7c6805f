import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'

describe('idempotency keys, the way integrators expect', () => {
  let t: TestApp
  let camden: Caller
  let webShop: Caller

  const sale = (over: Record<string, unknown> = {}) => ({
    kind: 'purchase',
    member: { kind: 'card', value: '1001' },
    channel: 'web',
    occurredAt: '2026-10-30T10:00:00Z',
    source: 'till',
    idempotencyKey: 'order-0001',
    lines: [{ sku: 'BEANS', quantity: 1, unitPrice: 1000 }],
    ...over,
  })
  const send = (caller: Caller, payload: object) => t.app.inject({ method: 'POST', url: '/v1/activities', headers: caller.headers, payload })
  const batch = (caller: Caller, items: object[]) => t.app.inject({ method: 'POST', url: '/v1/activities/batch', headers: caller.headers, payload: { items } })
  const purchases = async () => (await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from activities where kind = 'purchase'`))[0].n

  beforeAll(async () => {
    t = await testApp()
    const at = t.deps.clock.now()
    await enrolMembers(
      t.deps.db,
      [
        { member: { id: newId(), givenName: 'Ada', joinedAt: at }, identifiers: [{ kind: 'card', value: '1001' }] },
        { member: { id: newId(), givenName: 'Ben', joinedAt: at }, identifiers: [{ kind: 'card', value: '1002' }] },
      ],
      { defaultRegion: 'GB', at },
    )
    camden = await apiKeyCaller(t.deps, ['activity:write'], 'Camden POS')
    webShop = await apiKeyCaller(t.deps, ['activity:write'], 'Web shop')
  })
  afterAll(() => t.close())

  it('replays the same key with the same body, whatever order its fields come in', async () => {
    const first = await send(camden, sale())
    expect(first.statusCode).toBe(201)
    const { lines, ...rest } = sale()
    const retry = await send(camden, { lines, ...Object.fromEntries(Object.entries(rest).reverse()) })
    expect(retry.statusCode).toBe(200)
    expect(retry.json()).toEqual({ ...first.json(), replay: true })
    expect(await purchases()).toBe(1)
  })

  it('refuses the same key with a different body with a 409 naming the key, and records nothing', async () => {
    const reused = await send(camden, sale({ lines: [{ sku: 'BEANS', quantity: 2, unitPrice: 1000 }] }))
    expect(reused.statusCode).toBe(409)
    expect(reused.headers['content-type']).toContain('application/problem+json')
    expect(reused.json()).toMatchObject({ type: '/problems/idempotency-key-reused', field: 'body/idempotencyKey' })
    expect(reused.json().detail).toContain('order-0001')
    expect(await purchases()).toBe(1)
  })

  it('keeps two integrations’ keys apart: the same source and key from another key is its own activity', async () => {
    const mine = (await send(camden, sale({ idempotencyKey: 'shared-7' }))).json()
    const theirs = await send(webShop, sale({ idempotencyKey: 'shared-7', member: { kind: 'card', value: '1002' } }))
    expect(theirs.statusCode).toBe(201)
    expect(theirs.json().replay).toBeUndefined()
    expect(theirs.json().memberId).not.toBe(mine.memberId)
    expect((await send(webShop, sale({ idempotencyKey: 'shared-7', member: { kind: 'card', value: '1002' } }))).json().memberId).toBe(theirs.json().memberId)
  })

  it('refuses a reused key per item in a batch and keeps the good items', async () => {
    const before = await purchases()
    const response = await batch(camden, [
      sale({ idempotencyKey: 'batch-1' }),
      sale({ idempotencyKey: 'batch-1', lines: [{ sku: 'CUP', quantity: 1, unitPrice: 300 }] }),
      sale({ idempotencyKey: 'order-0001', occurredAt: '2026-10-31T10:00:00Z' }),
      sale({ idempotencyKey: 'batch-2' }),
      sale({ idempotencyKey: 'batch-1' }),
    ])
    expect(response.statusCode).toBe(200)
    const { results, recorded, rejected, replayed } = response.json()
    expect(results.map((r: { status: string; replay?: boolean }) => `${r.status}${r.replay ? ' replay' : ''}`)).toEqual([
      'recorded',
      'rejected',
      'rejected',
      'recorded',
      'recorded replay',
    ])
    expect(results[1]).toMatchObject({ field: '/idempotencyKey', reason: expect.stringContaining('batch-1') })
    expect({ recorded, rejected, replayed }).toEqual({ recorded: 2, rejected: 2, replayed: 1 })
    expect(await purchases()).toBe(before + 2)
  })

  it('replays a key received before keys were scoped per sender, whichever integration retries it', async () => {
    // As migration 0014 left an older receipt: sent by `server`, no body hash.
    const memberId = (await send(camden, sale({ idempotencyKey: 'old-0001' }))).json().memberId
    await t.deps.db.execute(sql`update activity_receipts set sent_by = 'server', request_hash = null where source = 'till' and idempotency_key = 'old-0001'`)
    const before = await purchases()
    for (const integration of [camden, webShop]) {
      const retry = await send(integration, sale({ idempotencyKey: 'old-0001' }))
      expect(retry.statusCode).toBe(200)
      expect(retry.json()).toMatchObject({ status: 'recorded', memberId, replay: true })
    }
    const inBatch = (await batch(webShop, [sale({ idempotencyKey: 'old-0001' }), sale({ idempotencyKey: 'new-0001' })])).json()
    expect(inBatch.results.map((r: { replay?: boolean }) => r.replay ?? false)).toEqual([true, false])
    expect(await purchases()).toBe(before + 1)
    const receipts = await queryRows<{ sent_by: string }>(t.deps.db, sql`select sent_by from activity_receipts where idempotency_key = 'old-0001'`)
    expect(receipts).toEqual([{ sent_by: 'server' }])
  })
})
