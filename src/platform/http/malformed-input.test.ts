import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Corpus, type MalformedRequest } from '../../../test/support/malformed.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import type { Access } from '../auth/principal.js'

// Every operation in /openapi.json, called as someone allowed to call it, with bodies, params and
// queries made bad in every way seen in the wild: nothing may answer 5xx, and every error is problem+json.
describe('malformed input never becomes a 500', () => {
  let t: TestApp
  let corpus: Corpus
  const callers = new Map<string, Caller>()
  let admin: Caller
  let member: Caller

  beforeAll(async () => {
    t = await testApp()
    admin = await loginAs(t, 'admin')
    await t.app.inject({ method: 'PUT', url: '/v1/stores', headers: admin.headers, payload: { items: [{ code: 'S01', name: 'Camden' }] } })
    member = await loginAs(t, 'member')
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const activity = {
      kind: 'purchase',
      member: { kind: 'card', value: 'CORPUS-1' },
      channel: 'store',
      store: 'S01',
      occurredAt: '2026-10-01T10:00:00Z',
      source: 'corpus',
      idempotencyKey: 'corpus-1',
      orderRef: 'C-1',
      details: { associate: 'sam@example.test' },
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 100, discount: 10, name: 'Beans' }],
    }
    corpus = new Corpus(
      document,
      { memberId: member.memberId as string },
      { 'POST /v1/activities': activity, 'POST /v1/activities/batch': { items: [activity] } },
    )
  })
  afterAll(() => t.close())

  /** Someone the route lets in: a key with its scopes, else staff, else the member. */
  async function callerFor(access: Access): Promise<Caller | undefined> {
    if (access.public) return undefined
    if (access.scopes?.length) {
      const name = access.scopes.join(' ')
      if (!callers.has(name)) callers.set(name, await apiKeyCaller(t.deps, access.scopes).catch(() => admin))
      return callers.get(name)
    }
    return access.staff ? admin : member
  }

  /** A session a request logged out (or whose password it changed) is replaced before the next operation. */
  async function stillLoggedIn() {
    const me = (caller: Caller) => t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: caller.headers })
    if ((await me(admin)).statusCode !== 200) admin = await loginAs(t, 'admin')
    if ((await me(member)).statusCode !== 200) member = await loginAs(t, 'member', { memberId: member.memberId })
  }

  it('answers every malformed request of every operation with a problem+json 4xx (or a success)', async () => {
    const figures = { operations: 0, requests: 0, '2xx': 0, '4xx': 0, '5xx': 0, operationsWith5xx: 0, nonProblemErrors: 0, unknownQueryAccepted: 0 }
    const failures: string[] = []
    const unknownQueryAccepted: string[] = []
    for (const operation of corpus.operations()) {
      const access = t.app.routeAccess.find((r) => r.method === operation.method && r.url === operation.route)?.access
      if (!access) continue
      await stillLoggedIn()
      const caller = await callerFor(access)
      figures.operations++
      let had5xx = false
      for (const request of corpus.requests(operation)) {
        const response = await send(request, caller)
        figures.requests++
        const status = response.statusCode
        if (status >= 500) {
          figures['5xx']++
          had5xx = true
          failures.push(`${status} ${operation.method} ${operation.route} [${request.case}]`)
        } else if (status >= 400) {
          figures['4xx']++
          if (!String(response.headers['content-type']).includes('application/problem+json')) {
            figures.nonProblemErrors++
            failures.push(`${status} not problem+json ${operation.method} ${operation.route} [${request.case}]`)
          }
        } else {
          figures['2xx']++
          if (request.case === 'unknown query parameter') unknownQueryAccepted.push(`${operation.method} ${operation.route}`)
        }
      }
      if (had5xx) figures.operationsWith5xx++
    }
    figures.unknownQueryAccepted = unknownQueryAccepted.length
    console.log(`malformed-input corpus ${JSON.stringify(figures)}`)
    expect(failures.slice(0, 50)).toEqual([])
    expect(unknownQueryAccepted).toEqual([])
    expect(figures.operations).toBeGreaterThan(80)
  }, 300_000)

  it('bounds every field a caller sends, so new routes cannot forget', async () => {
    const unbounded = corpus
      .operations()
      .flatMap((operation) => [
        ...operation.params.flatMap((p) => corpus.unbounded(p.schema, `${operation.method} ${operation.route} ${p.in}.${p.name}`)),
        ...(operation.body ? corpus.unbounded(operation.body, `${operation.method} ${operation.route} body`) : []),
      ])
    expect(unbounded).toEqual([])
  })

  function send(request: MalformedRequest, caller: Caller | undefined) {
    return t.app.inject({
      method: request.method as 'GET',
      url: request.url,
      payload: request.payload,
      headers: { ...caller?.headers, ...(request.payload === undefined ? {} : { 'content-type': 'application/json' }) },
    })
  }

  it('names the field and what is wrong for each cause seen in the wild', async () => {
    const put = (url: string, payload: unknown) => t.app.inject({ method: 'PUT', url, headers: admin.headers, payload: payload as object })
    const nul = await put('/v1/stores', { items: [{ code: 'S02', name: 'Cam\u0000den' }] })
    expect(nul.statusCode).toBe(400)
    expect(nul.json().errors).toContainEqual({
      field: 'body/items/0/name',
      message: 'Name (item 1) has characters we cannot store (a NUL or half of an emoji)',
    })
    const surrogate = await put('/v1/stores', { items: [{ code: 'S02', name: 'Cam\ud800den' }] })
    expect(surrogate.json().errors).toContainEqual({
      field: 'body/items/0/name',
      message: 'Name (item 1) has characters we cannot store (a NUL or half of an emoji)',
    })

    const stock = await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: admin.headers, payload: { name: 'Mug', cost: 100, stock: 2147483648 } })
    expect(stock.statusCode).toBe(400)
    expect(stock.json().errors).toContainEqual(expect.objectContaining({ field: 'body/stock' }))
    const price = await put('/v1/products', { items: [{ sku: 'SKU-9', name: 'Beans', category: [], priceMinor: 1e20 }] })
    expect(price.json().errors).toContainEqual(expect.objectContaining({ field: 'body/items/0/priceMinor' }))

    const cursor = await t.app.inject({ method: 'GET', url: '/v1/audit?cursor=1.5', headers: admin.headers })
    expect(cursor.json()).toMatchObject({ type: '/problems/invalid-request', errors: [{ field: 'querystring/cursor' }] })

    const note = (at: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/members/${member.memberId}/conversations`,
        headers: admin.headers,
        payload: { reason: 'visit', summary: 'Hi', at },
      })
    for (const at of ['0000-01-01T10:00:00Z', '2026-06-30T23:59:60Z']) {
      const response = await note(at)
      expect(response.statusCode).toBe(400)
      expect(response.json().errors).toContainEqual({ field: 'body/at', message: expect.stringContaining('between the years 0001 and 9999') })
    }

    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`
    const attributes = await t.app.inject({
      method: 'PUT',
      url: '/v1/products',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: `{"items":[{"sku":"SKU-9","name":"Beans","category":[],"attributes":${deep}}]}`,
    })
    expect(attributes.statusCode).toBe(400)
    expect(attributes.json().type).toBe('/problems/invalid-request')
  })

  it('refuses the same store code or sku twice in one PUT, naming it', async () => {
    const stores = await t.app.inject({
      method: 'PUT',
      url: '/v1/stores',
      headers: admin.headers,
      payload: {
        items: [
          { code: 'S03', name: 'Leeds' },
          { code: 'S04', name: 'York' },
          { code: 'S03', name: 'Leeds again' },
        ],
      },
    })
    expect(stores.statusCode).toBe(400)
    expect(stores.json()).toMatchObject({ type: '/problems/duplicate-items', errors: [{ field: 'body/items/2/code', message: '"S03" is in the list twice' }] })
    const products = await t.app.inject({
      method: 'PUT',
      url: '/v1/products/stock',
      headers: admin.headers,
      payload: {
        items: [
          { sku: 'SKU-1', inStock: true },
          { sku: 'SKU-1', inStock: false },
        ],
      },
    })
    expect(products.json()).toMatchObject({ type: '/problems/duplicate-items', errors: [{ field: 'body/items/1/sku' }] })
  })

  it('documents the insights settings and rule bodies, and names their problems the one way', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const body = (path: string, method: string) => JSON.stringify(document.paths[path][method].requestBody.content['application/json'].schema)
    expect(body('/v1/insights/settings', 'put')).toContain('InsightsSettings')
    expect(body('/v1/rules', 'post')).toContain('RuleDocument')
    expect(body('/v1/rules/simulate', 'post')).toContain('RuleDocument')

    const settings = (await t.app.inject({ method: 'GET', url: '/v1/insights/settings', headers: admin.headers })).json()
    const badSettings = await t.app.inject({ method: 'PUT', url: '/v1/insights/settings', headers: admin.headers, payload: { ...settings, windowMonths: 0 } })
    expect(badSettings.json()).toMatchObject({ type: '/problems/invalid-insights-settings', errors: [{ field: 'body/windowMonths' }] })
    const badRule = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: admin.headers, payload: { document: { name: 'x', colour: 1 } } })
    expect(badRule.json().type).toBe('/problems/invalid-rule')
    expect(badRule.json().errors).toContainEqual({ field: 'body/document/colour', message: 'Colour is not a field we know' })
  })

  it('refuses a query parameter the route does not name', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/members?q=ada&limt=5', headers: admin.headers })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toContainEqual({ field: 'querystring/limt', message: 'Limt is not a field we know' })
  })

  it('answers an over-long or badly encoded URL with problem+json that does not repeat it', async () => {
    const long = `/v1/members/${'x'.repeat(500)}<script>`
    const badEncoding = '/v1/members/%E0%A4%A<script>'
    for (const url of [long, badEncoding]) {
      const response = await t.app.inject({ method: 'GET', url, headers: admin.headers })
      expect(response.statusCode).toBeGreaterThanOrEqual(400)
      expect(response.statusCode).toBeLessThan(500)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.body).not.toContain('<script>')
    }
  })

  it('answers headers too large for Node with a problem+json 431', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as { port: number }
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/members', headers: { 'x-big': 'x'.repeat(40_000) } }, (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }))
      })
      req.on('error', reject)
      req.end()
    })
    expect(answer.status).toBe(431)
    expect(answer.type).toContain('application/problem+json')
    expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/headers-too-large', status: 431 })
  })
})
