import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { setStock, upsertProducts } from '../activity/index.js'
import { setConsents } from '../members/index.js'

describe('shared lists', () => {
  let t: TestApp
  let ids: Record<'ada' | 'bea' | 'dan' | 'cal', string>
  let as: Record<'ada' | 'bea' | 'dan' | 'cal', Caller>
  let listId: string
  const call = (caller: Caller, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) })
  const befriend = async (a: Caller, b: Caller, bId: string) => {
    await call(b, 'POST', '/me/friends/requests', { code: (await call(a, 'GET', '/me/friends')).json().invite.code })
    await call(a, 'POST', `/me/friends/requests/${bId}/accept`)
  }

  beforeAll(async () => {
    t = await testApp()
    await upsertProducts(t.deps.db, [
      { sku: 'SCARF', name: 'Wool scarf', priceMinor: 3500, currency: 'GBP' },
      { sku: 'BOOK', name: 'Cookbook', priceMinor: 2200, currency: 'GBP' },
    ])
    const [ada, bea, dan, cal] = await enrol(t, [
      { givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.test' },
      { givenName: 'Bea', familyName: 'Brown' },
      { givenName: 'Dan', familyName: 'Dee' },
      { givenName: 'Cal', familyName: 'Cole' },
    ])
    ids = { ada, bea, dan, cal }
    for (const id of Object.values(ids)) await setConsents(t.deps.db, id, { social_visibility: true }, t.deps.clock.now())
    as = await callersFor(t, { ada: { member: ada }, bea: { member: bea }, dan: { member: dan }, cal: { member: cal } })
    await befriend(as.ada, as.bea, bea)
    await befriend(as.ada, as.dan, dan)
    const created = await call(as.ada, 'POST', '/me/lists', { kind: 'gift', title: 'Ada turns 40' })
    expect(created.statusCode).toBe(201)
    listId = created.json().listId
  })
  afterAll(() => t.close())

  it('keeps a list to its owner until they share it with a friend, and only friends', async () => {
    const added = await call(as.ada, 'POST', `/me/lists/${listId}/items`, { sku: 'SCARF', note: '<i>grey</i> please' })
    expect(added.statusCode).toBe(201)
    expect(added.json().items).toMatchObject([{ sku: 'SCARF', note: '<i>grey</i> please', product: { name: 'Wool scarf', priceMinor: 3500, inStock: true } }])
    for (const other of [as.bea, as.cal]) expect((await call(other, 'GET', `/me/lists/${listId}`)).statusCode).toBe(404)
    expect((await call(as.bea, 'GET', '/me/lists')).json().items).toEqual([])
    const notFriend = await call(as.ada, 'PUT', `/me/lists/${listId}/shares/${ids.cal}`, { role: 'viewer' })
    expect(notFriend.json().type).toBe('/problems/not-a-friend')
    expect((await call(as.ada, 'PUT', `/me/lists/${listId}/shares/${ids.bea}`, { role: 'viewer' })).statusCode).toBe(200)
    const shared = await call(as.ada, 'PUT', `/me/lists/${listId}/shares/${ids.dan}`, { role: 'editor' })
    expect(shared.json().sharedWith).toEqual([
      { memberId: ids.bea, name: 'Bea B.', role: 'viewer' },
      { memberId: ids.dan, name: 'Dan D.', role: 'editor' },
    ])
    const bea = await call(as.bea, 'GET', `/me/lists/${listId}`)
    expect(bea.json()).toMatchObject({ title: 'Ada turns 40', role: 'viewer', owner: { name: 'Ada L.' }, sharedWith: [] })
    expect(bea.body).not.toContain('ada@example.test')
    expect((await call(as.bea, 'GET', '/me/lists')).json().items).toMatchObject([{ listId, role: 'viewer', items: 1 }])
    expect((await call(as.cal, 'GET', `/me/lists/${listId}`)).statusCode).toBe(404)
  })

  it('finds catalogue products to add by name or sku, with price and stock only', async () => {
    const found = await call(as.bea, 'GET', '/me/products?q=scar')
    expect(found.json().items).toEqual([{ sku: 'SCARF', name: 'Wool scarf', priceMinor: 3500, currency: 'GBP', inStock: true }])
    expect((await call(as.bea, 'GET', '/me/products?q=100%25')).json().items).toEqual([])
  })

  it('lets editors add and remove, viewers only look, and nobody but its owner delete or share it', async () => {
    expect((await call(as.bea, 'POST', `/me/lists/${listId}/items`, { sku: 'BOOK' })).json().type).toBe('/problems/list-role')
    const byDan = await call(as.dan, 'POST', `/me/lists/${listId}/items`, { sku: 'BOOK', quantity: 2 })
    expect(byDan.json().items[1]).toMatchObject({ sku: 'BOOK', quantity: 2, addedBy: { name: 'Dan D.' } })
    expect((await call(as.dan, 'POST', `/me/lists/${listId}/items`, { sku: 'NO-SUCH' })).statusCode).toBe(404)
    expect((await call(as.dan, 'PUT', `/me/lists/${listId}/shares/${ids.bea}`, { role: 'editor' })).json().type).toBe('/problems/list-role')
    expect((await call(as.dan, 'DELETE', `/me/lists/${listId}`)).json().type).toBe('/problems/list-role')
  })

  it('shows “I’ll get this” to the friends on the list and never to its owner', async () => {
    const [scarf, book] = (await call(as.ada, 'GET', `/me/lists/${listId}`)).json().items
    const reserved = await call(as.bea, 'PUT', `/me/lists/${listId}/items/${scarf.itemId}/reservation`)
    expect(reserved.statusCode).toBe(200)
    expect(reserved.json().items[0].reservation).toEqual({ memberId: ids.bea, name: 'Bea B.', mine: true })
    expect((await call(as.dan, 'GET', `/me/lists/${listId}`)).json().items[0].reservation).toEqual({ memberId: ids.bea, name: 'Bea B.', mine: false })
    const owner = await call(as.ada, 'GET', `/me/lists/${listId}`)
    expect(owner.json().items.map((i: { reservation: unknown }) => i.reservation)).toEqual([null, null])
    expect(JSON.stringify(owner.json().items)).not.toContain(ids.bea)
    expect((await call(as.dan, 'PUT', `/me/lists/${listId}/items/${scarf.itemId}/reservation`)).json().type).toBe('/problems/already-reserved')
    expect((await call(as.ada, 'PUT', `/me/lists/${listId}/items/${book.itemId}/reservation`)).json().type).toBe('/problems/list-role')
    // Taking it back frees it for another.
    await call(as.bea, 'DELETE', `/me/lists/${listId}/items/${scarf.itemId}/reservation`)
    expect((await call(as.dan, 'PUT', `/me/lists/${listId}/items/${scarf.itemId}/reservation`)).statusCode).toBe(200)
  })

  it('shows live stock, and drops a friend’s access when they are unfriended or leave', async () => {
    await setStock(t.deps.db, [{ sku: 'SCARF', inStock: false }], t.deps.clock.now())
    expect((await call(as.bea, 'GET', `/me/lists/${listId}`)).json().items[0].product.inStock).toBe(false)
    expect((await call(as.bea, 'DELETE', `/me/lists/${listId}/shares/${ids.bea}`)).statusCode).toBe(204)
    expect((await call(as.bea, 'GET', `/me/lists/${listId}`)).statusCode).toBe(404)
    expect((await call(as.dan, 'DELETE', `/me/friends/${ids.ada}`)).statusCode).toBe(204)
    expect((await call(as.dan, 'GET', `/me/lists/${listId}`)).statusCode).toBe(404)
    expect((await call(as.ada, 'GET', `/me/lists/${listId}`)).json().sharedWith).toEqual([])
    expect((await call(as.ada, 'DELETE', `/me/lists/${listId}`)).statusCode).toBe(204)
    expect((await call(as.ada, 'GET', '/me/lists')).json().items).toEqual([])
  })
})
