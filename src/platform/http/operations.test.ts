import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApp, testApp, testDeps } from '../../../test/support/testing.js'
import { buildApp } from '../../app.js'

describe('operating the service', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })
  afterAll(() => t.close())

  it('is alive and ready while the database answers', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' })
  })

  it('counts requests and their latency per route pattern in /metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/v1/members/01a20b44-0000-7000-8000-000000000000' })
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body
    expect(metrics).toContain('http_requests_total{method="GET",route="/v1/members/:id",status_code="401"} 1')
    expect(metrics).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/members/:id",status_code="401"}')
  })

  it('documents every API route in OpenAPI 3.1 with who may call it', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(document.openapi).toBe('3.1.0')
    expect(document.paths['/v1/members/lookup'].get.description).toContain('Who may call: staff, API keys with scope members:read')
    expect(document.components.schemas).toHaveProperty('MemberCard')
    const docsPage = await t.app.inject({ method: 'GET', url: '/docs/' })
    expect(docsPage.statusCode).toBe(200)
  })
})

describe('shutting down', () => {
  it('finishes requests in flight before it stops', async () => {
    const deps = await testDeps()
    let release: () => void = () => {}
    let entered: () => void = () => {}
    const handlerEntered = new Promise<void>((resolve) => {
      entered = resolve
    })
    const app = await buildApp(deps, {
      logger: false,
      extraRoutes: (app) =>
        app.get('/v1/test-slow', { config: { access: { public: true } } }, async () => {
          entered()
          await new Promise<void>((resolve) => {
            release = resolve
          })
          return { finished: true }
        }),
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as { port: number }
    const inFlight = fetch(`http://127.0.0.1:${port}/v1/test-slow`).then((r) => r.json())
    await handlerEntered
    const closed = app.close()
    release()
    expect(await inFlight).toEqual({ finished: true })
    await closed
    await deps.close()
  })
})
