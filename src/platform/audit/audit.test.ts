import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { upsertStores } from '../../modules/activity/index.js'
import { enrolMembers } from '../../modules/members/index.js'
import { newId } from '../ids.js'

describe('the audit log records every change, whoever makes it', () => {
  let t: TestApp
  let admin: Caller
  const memberId = newId()

  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, caller: Caller, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...caller.headers, ...headers }, payload })
  const audit = async () =>
    (await t.app.inject({ method: 'GET', url: '/v1/audit?limit=200', headers: admin.headers })).json().items as {
      action: string
      actorKind: string
      actorName: string
      before: unknown
      after: unknown
    }[]

  beforeAll(async () => {
    t = await testApp()
    await upsertStores(t.deps.db, [{ id: newId(), code: 'S01', name: 'Camden', region: null, timezone: 'UTC' }])
    await enrolMembers(t.deps.db, [{ member: { id: memberId, givenName: 'Ada', joinedAt: t.deps.clock.now() }, identifiers: [] }], {
      defaultRegion: 'GB',
      at: t.deps.clock.now(),
    })
    admin = await loginAs(t, 'admin')
  })
  afterAll(() => t.close())

  it('audits a key’s profile edit and identifier exactly as an associate’s', async () => {
    const crm = await apiKeyCaller(t.deps, ['members:write'], 'Web shop')
    expect((await send('PATCH', `/v1/members/${memberId}`, crm, { city: 'Leeds' })).statusCode).toBe(200)
    expect((await send('POST', `/v1/members/${memberId}/identifiers`, crm, { kind: 'card', value: '4242' })).statusCode).toBe(201)
    const entries = await audit()
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'member.profile_updated',
        actorKind: 'apiKey',
        actorName: 'Web shop',
        before: { city: null },
        after: { city: 'Leeds' },
      }),
    )
    expect(entries).toContainEqual(expect.objectContaining({ action: 'member.identifier_added', actorKind: 'apiKey', actorName: 'Web shop' }))
  })

  it('audits a key’s catalogue and stock feed', async () => {
    const erp = await apiKeyCaller(t.deps, ['catalog:write'], 'ERP')
    expect((await send('PUT', '/v1/products', erp, { items: [{ sku: 'BEANS', name: 'House beans', category: ['Coffee'] }] })).statusCode).toBe(200)
    expect((await send('PUT', '/v1/products/stock', erp, { items: [{ sku: 'BEANS', inStock: false }] })).statusCode).toBe(200)
    const entries = await audit()
    expect(entries).toContainEqual(expect.objectContaining({ action: 'products.saved', actorName: 'ERP', after: { skus: ['BEANS'] } }))
    expect(entries).toContainEqual(expect.objectContaining({ action: 'products.stock_set', actorName: 'ERP' }))
  })

  it('audits a till key’s redemption and its confirmation', async () => {
    await send('POST', `/v1/members/${memberId}/points/adjustments`, admin, { points: 500, reason: 'welcome gift' })
    const reward = (await send('POST', '/v1/rewards', admin, { name: 'Free coffee', kind: 'free_product', cost: 100 })).json()
    const till = await apiKeyCaller(t.deps, ['rewards:redeem'], 'Till 3')
    const held = await send('POST', `/v1/members/${memberId}/redemptions`, till, { rewardId: reward.id, store: 'S01' }, { 'idempotency-key': 'till-3-000001' })
    expect(held.statusCode).toBe(201)
    expect((await send('POST', `/v1/redemptions/${held.json().id}/confirm`, till, {})).statusCode).toBe(200)
    const entries = await audit()
    expect(entries).toContainEqual(expect.objectContaining({ action: 'reward.redeemed_at_till', actorKind: 'apiKey', actorName: 'Till 3' }))
    expect(entries).toContainEqual(expect.objectContaining({ action: 'redemption.confirmed', actorKind: 'apiKey', actorName: 'Till 3' }))
  })

  it('audits a member’s own profile edit', async () => {
    const member = await loginAs(t, 'member', { memberId })
    expect((await send('PATCH', '/v1/me', member, { city: 'York' })).statusCode).toBe(200)
    expect(await audit()).toContainEqual(expect.objectContaining({ action: 'member.profile_updated', actorKind: 'member', after: { city: 'York' } }))
  })
})
