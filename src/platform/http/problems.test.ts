import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'

describe('errors are problem+json that say what is wrong', () => {
  let t: TestApp
  let admin: Caller
  beforeAll(async () => {
    t = await testApp(undefined, (app) =>
      app.get('/v1/test-boom', { config: { access: { public: true } } }, async () => {
        throw new Error('select secret from vault where 1=1')
      }),
    )
    admin = await loginAs(t, 'admin')
  })
  afterAll(() => t.close())

  const createKey = (payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/api-keys', payload, headers: { ...admin.headers, 'content-type': 'application/json', ...headers } })

  it('answers malformed JSON with 400 and a stable type', async () => {
    const response = await createKey('{"name": "POS",')
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.json()).toMatchObject({ type: '/problems/malformed-json', status: 400, instance: '/v1/api-keys' })
  })

  it('names the field with the wrong type', async () => {
    const response = await createKey(JSON.stringify({ name: 42, scopes: ['members:read'] }))
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ type: '/problems/invalid-request', errors: [{ field: 'body/name' }] })
  })

  it('refuses unknown fields instead of dropping them', async () => {
    const response = await createKey(JSON.stringify({ name: 'POS', scopes: ['members:read'], colour: 'red' }))
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toContainEqual({ field: 'body/colour', message: 'Colour is not a field we know' })
  })

  it('names a missing field', async () => {
    const response = await createKey(JSON.stringify({ name: 'POS' }))
    expect(response.json().errors).toContainEqual(expect.objectContaining({ field: 'body/scopes' }))
  })

  it('answers a body over the limit with 413', async () => {
    const response = await createKey(JSON.stringify({ name: 'x'.repeat(1_100_000), scopes: ['members:read'] }))
    expect(response.statusCode).toBe(413)
    expect(response.json().type).toBe('/problems/body-too-large')
  })

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: { accept: 'application/json' } })
    expect(response.statusCode).toBe(404)
    expect(response.json().type).toBe('/problems/not-found')
  })

  it('answers a duplicate with 409', async () => {
    const body = { email: 'dup@example.test', displayName: 'Dup', password: 'long enough password', role: 'associate' }
    const first = await t.app.inject({ method: 'POST', url: '/v1/users', payload: body, headers: admin.headers })
    const again = await t.app.inject({ method: 'POST', url: '/v1/users', payload: { ...body, email: 'DUP@Example.test' }, headers: admin.headers })
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ type: '/problems/conflict', field: 'body/email' })
  })

  it('never shows a stack trace or SQL to the client', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/test-boom' })
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('select')
    expect(response.body).not.toContain('at ')
    expect(response.json()).toMatchObject({ status: 500, title: 'Internal Server Error' })
  })

  it('gives every response a request id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'till-7-abc' } })
    expect(response.headers['x-request-id']).toBe('till-7-abc')
  })
})
