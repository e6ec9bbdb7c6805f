import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
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
  })

  it('keeps admin pages from managers, and insights from associates and members', async () => {
    expect((await call('GET', '/v1/users', callers.manager)).statusCode).toBe(403)
    expect((await call('GET', '/v1/insights/overview', callers.associate)).statusCode).toBe(403)
    expect((await call('GET', '/v1/insights/overview', callers.member)).statusCode).toBe(403)
    expect((await call('GET', '/v1/insights/overview', callers.manager)).statusCode).toBe(200)
  })
})
