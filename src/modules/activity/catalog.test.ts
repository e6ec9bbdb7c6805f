import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'

describe('stores, channels and products', () => {
  let t: TestApp
  let admin: Caller
  beforeAll(async () => {
    t = await testApp()
    admin = await loginAs(t, 'admin')
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'PUT', url: string, caller: Caller, payload?: object) => t.app.inject({ method, url, headers: caller.headers, payload })

  it('creates and renames stores by code', async () => {
    await call('PUT', '/v1/stores', admin, { items: [{ code: 'S01', name: 'Camden', region: 'London', timezone: 'Europe/London' }] })
    const renamed = (
      await call('PUT', '/v1/stores', admin, {
        items: [
          { code: 'S01', name: 'Camden Lock' },
          { code: 'S02', name: 'Leeds' },
        ],
      })
    ).json()
    expect(renamed.items.map((s: { code: string; name: string }) => `${s.code} ${s.name}`)).toEqual(['S01 Camden Lock', 'S02 Leeds'])
  })

  it('lets an admin switch a channel between enrolling and parking unknown shoppers', async () => {
    expect((await call('GET', '/v1/channels', admin)).json().items.map((c: { code: string }) => c.code)).toEqual(['app', 'call_center', 'store', 'web'])
    const kiosk = await call('PUT', '/v1/channels/kiosk', admin, { name: 'In-store kiosk', unknownIdentifier: 'enrol' })
    expect(kiosk.json()).toEqual({ code: 'kiosk', name: 'In-store kiosk', unknownIdentifier: 'enrol' })
    const pos = await apiKeyCaller(t.deps, ['activity:write'])
    const visit = {
      kind: 'store_visit',
      member: { kind: 'card', value: '6330 7777' },
      channel: 'kiosk',
      occurredAt: '2026-10-30T10:00:00Z',
      source: 'kiosk-1',
      idempotencyKey: 'k-1',
    }
    expect((await t.app.inject({ method: 'POST', url: '/v1/activities', headers: pos.headers, payload: visit })).json()).toMatchObject({
      status: 'recorded',
      enrolled: true,
    })
  })

  it('upserts products in bulk and finds them by name or sku', async () => {
    const catalog = await apiKeyCaller(t.deps, ['catalog:write'])
    const items = Array.from({ length: 120 }, (_, i) => ({
      sku: `TEA-${String(i).padStart(3, '0')}`,
      name: `Tea no. ${i}`,
      category: ['Tea'],
      priceMinor: 500 + i,
    }))
    expect((await call('PUT', '/v1/products', catalog, { items })).json()).toEqual({ saved: 120 })
    await call('PUT', '/v1/products', catalog, { items: [{ sku: 'TEA-007', name: 'Earl Grey', category: ['Tea', 'Black'], brand: 'Regulars' }] })
    const found = (await call('GET', '/v1/products?q=earl', catalog)).json()
    expect(found.items).toEqual([expect.objectContaining({ sku: 'TEA-007', name: 'Earl Grey', category: ['Tea', 'Black'], brand: 'Regulars' })])
    const page = (await call('GET', '/v1/products?q=tea&limit=100', catalog)).json()
    const rest = (await call('GET', `/v1/products?q=tea&limit=100&cursor=${page.nextCursor}`, catalog)).json()
    expect(page.items.length + rest.items.length).toBe(120)
    expect(rest.nextCursor).toBeNull()
  })
})
