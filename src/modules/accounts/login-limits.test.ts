import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApp, testApp, testPassword } from '../../../test/support/testing.js'
import { buildApp } from '../../app.js'
import { loadConfig } from '../../platform/config.js'
import { createUser } from './service.js'

describe('login limits behind a proxy', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp(undefined, (app) => app.get('/test-client-address', { schema: { hide: true } }, async (request) => ({ ip: request.ip })))
    await createUser(t.deps, { email: 'sam@shop.example', displayName: 'Sam', password: testPassword, role: 'associate' })
  })
  afterAll(() => t.close())

  const login = (email: string, password: string, from: string, forwardedFor?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: from,
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
      payload: { email, password },
    })
  const clientAddress = async (from: string, forwardedFor: string) =>
    (await t.app.inject({ method: 'GET', url: '/test-client-address', remoteAddress: from, headers: { 'x-forwarded-for': forwardedFor } })).json().ip

  it('believes X-Forwarded-For only from a trusted proxy (loopback by default)', async () => {
    expect(await clientAddress('127.0.0.1', '198.51.100.7')).toBe('198.51.100.7')
    expect(await clientAddress('203.0.113.9', '198.51.100.7')).toBe('203.0.113.9')
    // A client sending its own header through the proxy: the proxy appends the real address last.
    expect(await clientAddress('127.0.0.1', '10.9.9.9, 198.51.100.8')).toBe('198.51.100.8')
  })

  it('stops guessing one account’s password whatever address or header each attempt has', async () => {
    const attempts = []
    for (let i = 0; i < 40; i++) attempts.push(await login('sam@shop.example', `guess ${i}`, `203.0.113.${i + 1}`, `198.51.100.${i + 1}`))
    const limited = attempts.findIndex((a) => a.statusCode === 429)
    expect(limited).toBe(10)
    expect(attempts.slice(limited).every((a) => a.statusCode === 429)).toBe(true)
    expect(attempts[limited].json()).toMatchObject({ type: '/problems/too-many-requests', detail: expect.stringContaining('account') })
    expect(Number(attempts[limited].headers['retry-after'])).toBeGreaterThan(0)
    // Even the right password waits until the window has passed.
    expect((await login('sam@shop.example', testPassword, '192.0.2.1')).statusCode).toBe(429)
    t.deps.clock.advance(15 * 60_000 + 1000)
    expect((await login('sam@shop.example', testPassword, '192.0.2.1')).statusCode).toBe(200)
  })

  it('stops one address trying many accounts, and leaves other addresses alone', async () => {
    const attempts = []
    for (let i = 0; i < 40; i++) attempts.push(await login(`someone${i}@shop.example`, 'a guess', '203.0.113.200', `198.51.100.${i + 1}`))
    expect(attempts.findIndex((a) => a.statusCode === 429)).toBe(30)
    expect(attempts.at(-1)?.json().detail).toContain('address')
    expect((await login('sam@shop.example', testPassword, '203.0.113.201')).statusCode).toBe(200)
  })

  it('shares the limits between server processes on one database: two do not double the allowance', async () => {
    // A second app over the same database, as a second process behind the load balancer would be.
    const other = await buildApp(t.deps, { logger: false })
    await createUser(t.deps, { email: 'kim@shop.example', displayName: 'Kim', password: testPassword, role: 'associate' })
    const attempts = []
    for (let i = 0; i < 20; i++)
      attempts.push(
        await (i % 2 ? other : t.app).inject({
          method: 'POST',
          url: '/v1/auth/login',
          remoteAddress: `203.0.113.${100 + i}`,
          payload: { email: 'kim@shop.example', password: `guess ${i}` },
        }),
      )
    expect(attempts.map((a) => a.statusCode).indexOf(429)).toBe(10)
    const fromOther = await other.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: '192.0.2.9',
      payload: { email: 'kim@shop.example', password: testPassword },
    })
    expect(fromOther.statusCode).toBe(429)
    await other.close()
  })

  it('believes the configured load balancer and no one else, loopback included', async () => {
    // The same database, another app: only the configuration differs.
    const app = await buildApp(
      { ...t.deps, config: { ...t.deps.config, trustedProxies: ['10.0.0.0/8'] } },
      { logger: false, extraRoutes: (app) => app.get('/test-client-address', { schema: { hide: true } }, async (request) => ({ ip: request.ip })) },
    )
    const from = async (remoteAddress: string) =>
      (await app.inject({ method: 'GET', url: '/test-client-address', remoteAddress, headers: { 'x-forwarded-for': '198.51.100.7' } })).json().ip
    expect(await from('10.1.2.3')).toBe('198.51.100.7')
    expect(await from('127.0.0.1')).toBe('127.0.0.1')
    await app.close()
  })
})

describe('configured proxies', () => {
  it('reads REGULARS_TRUSTED_PROXIES as a list, loopback when unset', () => {
    expect(loadConfig({}).trustedProxies).toEqual(['loopback'])
    expect(loadConfig({ REGULARS_TRUSTED_PROXIES: '10.0.0.5, 192.168.0.0/16' }).trustedProxies).toEqual(['10.0.0.5', '192.168.0.0/16'])
    expect(loadConfig({ REGULARS_TRUSTED_PROXIES: '' }).trustedProxies).toEqual([])
  })
})
