import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor } from '../../../test/support/shop.js'
import { apiKeyCaller, loginAs, type TestApp, testApp, testPassword } from '../../../test/support/testing.js'
import { apiScopes } from '../../platform/auth/principal.js'
import { createApiKey, createUser } from './service.js'

describe('logging in and out', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
    await createUser(t.deps, { email: 'Sam@Shop.example', displayName: 'Sam', password: testPassword, role: 'associate' })
  })
  afterAll(() => t.close())

  const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } })

  it('sets an httpOnly, SameSite session cookie and returns a CSRF token', async () => {
    const response = await login(' sam@shop.example', testPassword)
    expect(response.statusCode).toBe(200)
    const cookie = response.cookies.find((c) => c.name === 'regulars_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(response.json()).toMatchObject({ user: { email: 'sam@shop.example', role: 'associate' }, csrfToken: expect.any(String) })
    expect(response.body).not.toContain('passwordHash')
  })

  it('says the same thing for a wrong password and an unknown email', async () => {
    const wrongPassword = await login('sam@shop.example', 'not the password')
    const unknown = await login('nobody@shop.example', testPassword)
    expect(wrongPassword.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrongPassword.json().type).toBe('/problems/invalid-credentials')
    expect(unknown.json().title).toBe(wrongPassword.json().title)
  })

  it('refuses a state-changing request without the CSRF token', async () => {
    const admin = await loginAs(t, 'admin')
    const { 'x-csrf-token': _, ...cookieOnly } = admin.headers
    const payload = { name: 'POS', scopes: ['members:read'] }
    const forged = await t.app.inject({ method: 'POST', url: '/v1/api-keys', payload, headers: cookieOnly })
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/api-keys', payload, headers: { ...cookieOnly, 'x-csrf-token': 'guess' } })
    const honest = await t.app.inject({ method: 'POST', url: '/v1/api-keys', payload, headers: admin.headers })
    expect(forged.statusCode).toBe(403)
    expect(wrong.statusCode).toBe(403)
    expect(honest.statusCode).toBe(201)
  })

  it('ends the session at logout', async () => {
    const member = await loginAs(t, 'member')
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: member.headers })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: member.headers })).statusCode).toBe(204)
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: member.headers })).statusCode).toBe(401)
  })

  it('changes the password, ends other sessions and keeps this one', async () => {
    const here = await loginAs(t, 'associate')
    const me = (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: here.headers })).json().user
    const elsewhere = await login(me.email, testPassword)
    const elsewhereCookie = { cookie: `regulars_session=${elsewhere.cookies[0].value}` }
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/password',
      headers: here.headers,
      payload: { currentPassword: 'nope', newPassword: 'a new long password' },
    })
    expect(wrong.statusCode).toBe(400)
    const changed = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/password',
      headers: here.headers,
      payload: { currentPassword: testPassword, newPassword: 'a new long password' },
    })
    expect(changed.statusCode).toBe(204)
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: here.headers })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: elsewhereCookie })).statusCode).toBe(401)
    expect((await login(me.email, testPassword)).statusCode).toBe(401)
    expect((await login(me.email, 'a new long password')).statusCode).toBe(200)
  })

  it('stops a disabled login at once', async () => {
    const admin = await loginAs(t, 'admin')
    const associate = await loginAs(t, 'associate')
    const disable = await t.app.inject({ method: 'PATCH', url: `/v1/users/${associate.userId}`, headers: admin.headers, payload: { disabled: true } })
    expect(disable.json().disabledAt).not.toBeNull()
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: associate.headers })).statusCode).toBe(401)
  })

  it('limits login attempts', async () => {
    const attempts = []
    for (let i = 0; i < 12; i++) attempts.push(await login('sam@shop.example', `guess ${i}`))
    expect(attempts.at(-1)?.statusCode).toBe(429)
    expect(attempts.at(-1)?.json().type).toBe('/problems/too-many-requests')
  })
})

describe('API keys for channel integrations', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })
  afterAll(() => t.close())

  it('shows the key once and stores only a hash', async () => {
    const admin = await loginAs(t, 'admin')
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: admin.headers,
      payload: { name: 'Camden POS', scopes: ['members:read', 'store:S01'] },
    })
    expect(created.statusCode).toBe(201)
    const { key, apiKey } = created.json()
    expect(key).toMatch(/^rk_/)
    const listed = await t.app.inject({ method: 'GET', url: '/v1/api-keys', headers: admin.headers })
    expect(listed.body).not.toContain(key)
    expect(listed.json().items).toContainEqual(expect.objectContaining({ id: apiKey.id, prefix: key.slice(0, 10), scopes: ['members:read', 'store:S01'] }))
  })

  it('refuses an unknown scope', async () => {
    const admin = await loginAs(t, 'admin')
    const created = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin.headers, payload: { name: 'x', scopes: ['everything'] } })
    expect(created.statusCode).toBe(400)
  })

  it('accepts every scope docs/api.md lists, insights and suggestions included', async () => {
    const admin = await loginAs(t, 'admin')
    const scopes = ['insights:read', 'suggestions:read', ...Object.keys(apiScopes), 'store:S01']
    const created = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin.headers, payload: { name: 'Reports', scopes } })
    expect(created.statusCode).toBe(201)
    expect(created.json().apiKey.scopes).toEqual(expect.arrayContaining(scopes))
  })

  it('offers admins the one list of scopes a key is checked against, with a scope per store, and only admins', async () => {
    await addStores(t, [{ code: 'S07', name: 'Camden' }])
    const { admin, manager, pos } = await callersFor(t, { admin: 'admin', manager: 'manager', pos: { scopes: ['members:read'] } })
    const listed = await t.app.inject({ method: 'GET', url: '/v1/api-keys/scopes', headers: admin.headers })
    expect(listed.statusCode).toBe(200)
    const offered = listed.json().items.map((s: { scope: string }) => s.scope)
    expect(offered).toEqual([...Object.keys(apiScopes), 'store:S07'])
    expect(listed.json().items[0].description).toMatch(/\w+ \w+/)
    // What is offered is accepted, all at once.
    const created = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin.headers, payload: { name: 'All', scopes: offered } })
    expect(created.statusCode).toBe(201)
    for (const caller of [manager, pos]) {
      expect((await t.app.inject({ method: 'GET', url: '/v1/api-keys/scopes', headers: caller.headers })).statusCode).toBe(403)
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/api-keys/scopes' })).statusCode).toBe(401)
  })

  it('refuses unknown scopes also when a key is made outside the API', async () => {
    await expect(createApiKey(t.deps, { name: 'x', scopes: ['members:read', 'insights:write'] })).rejects.toMatchObject({
      status: 400,
      detail: 'Unknown scopes: insights:write.',
    })
  })

  it('works until revoked, records when it was last used, and needs no CSRF token', async () => {
    const admin = await loginAs(t, 'admin')
    const pos = await apiKeyCaller(t.deps, ['members:read'], 'Till 3')
    const use = () => t.app.inject({ method: 'GET', url: '/v1/stores', headers: pos.headers })
    expect((await use()).statusCode).toBe(200)
    const keys = (await t.app.inject({ method: 'GET', url: '/v1/api-keys', headers: admin.headers })).json().items
    const key = keys.find((k: { name: string }) => k.name === 'Till 3')
    expect(key.lastUsedAt).not.toBeNull()
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: admin.headers })).statusCode).toBe(204)
    t.deps.clock.advance(10_000) // past the few seconds a node may cache a key
    const after = await use()
    expect(after.statusCode).toBe(401)
    expect(after.json().detail).toContain('revoked')
  })
})

describe('the audit log', () => {
  it('records who changed what, before and after, for admins only', async () => {
    const t = await testApp()
    const admin = await loginAs(t, 'admin')
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin.headers,
      payload: { email: 'new@shop.example', displayName: 'New', password: 'long enough password', role: 'associate' },
    })
    await t.app.inject({ method: 'PATCH', url: `/v1/users/${created.json().id}`, headers: admin.headers, payload: { role: 'manager' } })
    const audit = (await t.app.inject({ method: 'GET', url: '/v1/audit', headers: admin.headers })).json()
    expect(audit.items[0]).toMatchObject({ action: 'user.updated', actorName: 'Test admin', before: { role: 'associate' }, after: { role: 'manager' } })
    expect(audit.items[1]).toMatchObject({ action: 'user.created', targetId: created.json().id })
    const manager = await loginAs(t, 'manager')
    expect((await t.app.inject({ method: 'GET', url: '/v1/audit', headers: manager.headers })).statusCode).toBe(403)
    await t.close()
  })
})
