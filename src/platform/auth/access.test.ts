import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { stores, upsertStores } from '../../modules/activity/index.js'
import { refreshInsights } from '../../modules/insights/index.js'
import { enrolMembers } from '../../modules/members/index.js'
import { newId } from '../ids.js'
import { isAllowed, type Principal } from './principal.js'

// Stand-ins with the same role or scopes as each caller, to ask the declared rule what it expects.
const asDeclared: Record<string, Principal> = {
  member: { kind: 'member', userId: '', displayName: '', memberId: '', via: 'session', sessionId: '', csrfSecret: '' },
  associate: { kind: 'staff', role: 'associate', userId: '', displayName: '', storeIds: [], via: 'session', sessionId: '', csrfSecret: '' },
  manager: { kind: 'staff', role: 'manager', userId: '', displayName: '', storeIds: [], via: 'session', sessionId: '', csrfSecret: '' },
  admin: { kind: 'staff', role: 'admin', userId: '', displayName: '', storeIds: [], via: 'session', sessionId: '', csrfSecret: '' },
  storeKey: { kind: 'apiKey', keyId: '', name: '', scopes: ['store:S01'], via: 'apiKey' },
  readKey: { kind: 'apiKey', keyId: '', name: '', scopes: ['members:read'], via: 'apiKey' },
}

describe('who may call what: every route, every kind of caller', () => {
  let t: TestApp
  const callers: Record<string, Caller> = {}
  beforeAll(async () => {
    t = await testApp()
    for (const role of ['member', 'associate', 'manager', 'admin'] as const) callers[role] = await loginAs(t, role)
    callers.storeKey = await apiKeyCaller(t.deps, ['store:S01'])
    callers.readKey = await apiKeyCaller(t.deps, ['members:read'])
  })
  afterAll(() => t.close())

  const someId = '01a20b44-0000-7000-8000-000000000000'
  const call = (method: string, url: string, caller?: Caller) =>
    t.app.inject({ method: method as 'GET', url: url.replace(/:[a-zA-Z]+/g, someId), headers: { ...caller?.headers, accept: 'application/json' } })

  it('declares access on every API route', () => {
    const api = t.app.routeAccess.filter((r) => r.url.startsWith('/v1'))
    expect(api.length).toBeGreaterThan(15)
  })

  it('refuses anonymous callers with 401 on every non-public route', async () => {
    for (const route of t.app.routeAccess.filter((r) => r.url.startsWith('/v1') && !r.access.public)) {
      const response = await call(route.method, route.url)
      expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 401 })
      expect(response.json().type).toBe('/problems/unauthenticated')
    }
  })

  it('refuses each kind of caller with 403 exactly where the route does not allow it', async () => {
    // Logging out would end the callers' sessions mid-matrix; the accounts tests cover it.
    const routes = t.app.routeAccess.filter((r) => r.url.startsWith('/v1') && !r.access.public && r.url !== '/v1/auth/logout')
    for (const route of routes) {
      for (const [name, caller] of Object.entries(callers)) {
        const response = await call(route.method, route.url, caller)
        const allowed = isAllowed(route.access, asDeclared[name])
        const outcome = allowed ? ![401, 403].includes(response.statusCode) : response.statusCode === 403
        expect({ route: `${route.method} ${route.url}`, caller: name, allowed, status: response.statusCode, ok: outcome }).toEqual({
          route: `${route.method} ${route.url}`,
          caller: name,
          allowed,
          status: response.statusCode,
          ok: true,
        })
      }
    }
  }, 120_000) // every route × every caller: it grows with the API, and shares two cores with other files

  it('keeps admin pages from managers, and insights from associates and members', async () => {
    expect((await call('GET', '/v1/users', callers.manager)).statusCode).toBe(403)
    expect((await call('GET', '/v1/insights/overview', callers.associate)).statusCode).toBe(403)
    expect((await call('GET', '/v1/insights/overview', callers.member)).statusCode).toBe(403)
    expect((await call('GET', '/v1/insights/overview', callers.manager)).statusCode).toBe(200)
  })
})

describe('store scope: callers held to store S01 never read or write S02', () => {
  let t: TestApp
  let admin: Caller
  const held: Record<string, Caller> = {}
  const memberIds: Record<string, string> = { S01: newId(), S02: newId() }
  let rewardId: string

  const get = (url: string, caller: Caller) => t.app.inject({ method: 'GET', url, headers: caller.headers })
  const post = (url: string, caller: Caller, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...caller.headers, ...headers }, payload })

  beforeAll(async () => {
    t = await testApp()
    const at = t.deps.clock.now()
    const [s1, s2] = await upsertStores(t.deps.db, [
      { id: newId(), code: 'S01', name: 'Camden', region: null, timezone: 'UTC' },
      { id: newId(), code: 'S02', name: 'Leeds', region: null, timezone: 'UTC' },
    ])
    await enrolMembers(
      t.deps.db,
      [
        { member: { id: memberIds.S01, givenName: 'Ada', homeStoreId: s1.id, joinedAt: at }, identifiers: [{ kind: 'card', value: '1001' }] },
        { member: { id: memberIds.S02, givenName: 'Ben', homeStoreId: s2.id, joinedAt: at }, identifiers: [{ kind: 'card', value: '1002' }] },
      ],
      { defaultRegion: 'GB', at },
    )
    admin = await loginAs(t, 'admin')
    const pos = await apiKeyCaller(t.deps, ['activity:write'])
    for (const [card, store] of [
      ['1001', 'S01'],
      ['1002', 'S02'],
    ])
      await post('/v1/activities', pos, {
        kind: 'purchase',
        member: { kind: 'card', value: card },
        channel: 'store',
        store,
        occurredAt: new Date(at.getTime() - 86_400_000).toISOString(),
        source: 'till',
        idempotencyKey: `sale-${card}`,
        lines: [{ sku: 'BEANS', quantity: 1, unitPrice: store === 'S01' ? 1000 : 7000 }],
      })
    await refreshInsights(t.deps)
    held.manager = await loginAs(t, 'manager', { storeIds: [s1.id] })
    held.associate = await loginAs(t, 'associate', { storeIds: [s1.id] })
    held.reportKey = await apiKeyCaller(t.deps, ['insights:read', 'store:S01'])
    held.tillKey = await apiKeyCaller(t.deps, ['rewards:redeem', 'store:S01'])
    held.posKey = await apiKeyCaller(t.deps, ['activity:write', 'store:S01'])
    for (const memberId of Object.values(memberIds)) await post(`/v1/members/${memberId}/points/adjustments`, admin, { points: 500, reason: 'welcome gift' })
    rewardId = (await post('/v1/rewards', admin, { name: 'Free coffee', kind: 'free_product', cost: 100 })).json().id
  })
  afterAll(() => t.close())

  /** Every GET in /openapi.json that takes ?store=, so a new store report is covered by itself. */
  const storeReports = () =>
    Object.entries((t.app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> }).paths).flatMap(
      ([path, operations]) =>
        operations.get?.parameters?.some((p) => p.in === 'query' && p.name === 'store') ? [path.replace(/\{[^}]+\}/g, memberIds.S01)] : [],
    )

  it('refuses every store report for another store, and answers it for its own', async () => {
    const reports = storeReports()
    expect(reports).toEqual(expect.arrayContaining(['/v1/insights/overview', '/v1/insights/segments', '/v1/insights/members']))
    for (const url of reports)
      for (const name of ['manager', 'reportKey']) {
        const other = await get(`${url}?store=S02`, held[name])
        const own = await get(`${url}?store=S01`, held[name])
        expect({ url, name, other: other.statusCode, own: own.statusCode, type: other.json().type }).toEqual({
          url,
          name,
          other: 403,
          own: 200,
          type: '/problems/forbidden',
        })
      }
  })

  it('shows a store manager and a store key their store in the overview, unasked; the chain to admins', async () => {
    for (const caller of [held.manager, held.reportKey]) {
      const overview = (await get('/v1/insights/overview', caller)).json()
      expect(overview.storeSales.map((s: { storeCode: string }) => s.storeCode)).toEqual(['S01'])
      expect(overview.members).toBe(1)
      expect(overview.salesByMonth.reduce((sum: number, m: { salesMinor: number }) => sum + m.salesMinor, 0)).toBe(1000)
    }
    const chain = (await get('/v1/insights/overview', admin)).json()
    expect(chain.storeSales.map((s: { storeCode: string }) => s.storeCode)).toEqual(['S01', 'S02'])
    expect(chain.members).toBe(2)
    expect((await get('/v1/insights/overview?store=S02', admin)).json().storeSales).toEqual([expect.objectContaining({ storeCode: 'S02', salesMinor: 7000 })])
  })

  it('lets a store key redeem only at its stores, and at its own store when it names none', async () => {
    const redeem = (caller: Caller, store: string | undefined, key: string) =>
      post(`/v1/members/${memberIds.S01}/redemptions`, caller, { rewardId, ...(store ? { store } : {}) }, { 'idempotency-key': key })
    const elsewhere = await redeem(held.tillKey, 'S02', 'till-key-0001')
    expect(elsewhere.statusCode).toBe(403)
    expect(elsewhere.json().detail).toContain('S02')
    expect((await get(`/v1/members/${memberIds.S01}/points`, admin)).json().reserved).toBe(0)
    const own = await redeem(held.tillKey, undefined, 'till-key-0002')
    expect(own.statusCode).toBe(201)
    expect(own.json().storeCode).toBe('S01')
    expect((await redeem(held.associate, 'S02', 'associate-0001')).statusCode).toBe(403)
  })

  it('keeps a store key from settling another store’s redemption', async () => {
    const atLeeds = await post(`/v1/members/${memberIds.S02}/redemptions`, admin, { rewardId, store: 'S02' }, { 'idempotency-key': 'admin-leeds-01' })
    expect(atLeeds.statusCode).toBe(201)
    const path = `/v1/members/${memberIds.S02}/redemptions/${atLeeds.json().id}`
    for (const action of ['confirm', 'cancel']) {
      expect((await post(`${path}/${action}`, held.tillKey, {})).statusCode).toBe(404)
      expect((await post(`/v1/redemptions/${atLeeds.json().id}/${action}`, held.tillKey, {})).statusCode).toBe(404) // the deprecated alias too
    }
    expect((await post(`${path}/confirm`, admin, {})).json().status).toBe('confirmed')
  })

  it('lets a store key record activity only at its stores', async () => {
    const sale = (store: string) =>
      post('/v1/activities', held.posKey, {
        kind: 'store_visit',
        member: { kind: 'card', value: '1001' },
        channel: 'store',
        store,
        occurredAt: t.deps.clock.now().toISOString(),
        source: 'door',
        idempotencyKey: `visit-${store}`,
      })
    expect((await sale('S02')).statusCode).toBe(422)
    expect((await sale('S01')).statusCode).toBe(201)
  })

  it('lets a store manager export or erase only members of their stores: home store or activity there', async () => {
    const visitorId = newId() // from Leeds, but shops in Camden too
    const [leeds] = (await t.deps.db.select().from(stores)).filter((s) => s.code === 'S02')
    await enrolMembers(
      t.deps.db,
      [{ member: { id: visitorId, givenName: 'Cy', homeStoreId: leeds.id, joinedAt: t.deps.clock.now() }, identifiers: [{ kind: 'card', value: '1003' }] }],
      { defaultRegion: 'GB', at: t.deps.clock.now() },
    )
    const erase = (memberId: string) => post(`/v1/members/${memberId}/erasure`, held.manager, { confirmMemberId: memberId, verifiedBy: 'in_person_id' })
    expect((await get(`/v1/members/${visitorId}/data`, held.manager)).statusCode).toBe(404)
    await post('/v1/activities', held.posKey, {
      kind: 'store_visit',
      member: { kind: 'card', value: '1003' },
      channel: 'store',
      store: 'S01',
      occurredAt: t.deps.clock.now().toISOString(),
      source: 'door',
      idempotencyKey: 'visit-cy',
    })
    expect((await get(`/v1/members/${visitorId}/data`, held.manager)).statusCode).toBe(200)
    expect((await get(`/v1/members/${memberIds.S01}/data`, held.manager)).statusCode).toBe(200)
    const other = await get(`/v1/members/${memberIds.S02}/data`, held.manager)
    expect({ status: other.statusCode, type: other.json().type }).toEqual({ status: 404, type: '/problems/not-found' })
    expect((await erase(memberIds.S02)).statusCode).toBe(404)
    expect((await get(`/v1/members/${memberIds.S02}`, admin)).json().member.givenName).toBe('Ben') // not erased
    expect((await get(`/v1/members/${memberIds.S02}/data`, admin)).statusCode).toBe(200)
    expect((await erase(visitorId)).statusCode).toBe(200)
  })
})
