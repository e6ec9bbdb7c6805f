import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { sendProblem } from '../http/problems.js'
import { callerOf, memberIdIfAny, memberOf, myMemberId, rateKeyOf, staffOf, userOf } from './caller.js'
import type { Principal } from './principal.js'

const session = { via: 'session' as const, sessionId: 's', csrfSecret: 'c' }
const member: Principal = { kind: 'member', userId: 'u1', displayName: 'Ann', memberId: 'm1', ...session }
const associate: Principal = { kind: 'staff', userId: 'u2', displayName: 'Bo', role: 'associate', storeIds: [], ...session }
const till: Principal = { kind: 'apiKey', keyId: 'k1', name: 'Till 7', scopes: ['rewards:redeem'], via: 'apiKey' }

describe('reading who is calling in a handler', () => {
  it('gives the member themself, and refuses staff and keys with 403 rather than an empty member id', () => {
    expect(myMemberId({ principal: member })).toBe('m1')
    for (const principal of [associate, till]) {
      expect(() => memberOf({ principal })).toThrow(expect.objectContaining({ status: 403, type: '/problems/forbidden' }))
    }
  })

  it('gives staff to staff routes, a session user to login routes, and 401 to nobody', () => {
    expect(staffOf({ principal: associate }).role).toBe('associate')
    expect(() => staffOf({ principal: member })).toThrow(expect.objectContaining({ status: 403 }))
    expect(userOf({ principal: member }).userId).toBe('u1')
    expect(() => userOf({ principal: till })).toThrow(expect.objectContaining({ status: 401 }))
    expect(() => callerOf({})).toThrow(expect.objectContaining({ status: 401, type: '/problems/unauthenticated' }))
  })

  it('counts rate limits per key, per login, else per address; and names a member on a public page only when one is signed in', () => {
    expect(rateKeyOf({ principal: till, ip: '10.0.0.1' })).toBe('key:k1')
    expect(rateKeyOf({ principal: associate, ip: '10.0.0.1' })).toBe('u2')
    expect(rateKeyOf({ ip: '10.0.0.1' })).toBe('10.0.0.1')
    expect(memberIdIfAny({ principal: member })).toBe('m1')
    for (const principal of [associate, till, undefined]) expect(memberIdIfAny({ principal })).toBeNull()
  })

  it('answers a non-member on a member route with a 403 problem', async () => {
    const app = Fastify({ logger: false })
    app.setErrorHandler(sendProblem)
    app.decorateRequest('principal', undefined)
    app.addHook('onRequest', async (request) => {
      request.principal = request.headers['x-as'] === 'member' ? member : associate
    })
    app.get('/me/points', async (request) => ({ memberId: myMemberId(request) }))
    const asStaff = await app.inject({ method: 'GET', url: '/me/points' })
    expect(asStaff.statusCode).toBe(403)
    expect(asStaff.headers['content-type']).toContain('application/problem+json')
    expect(asStaff.json()).toMatchObject({ type: '/problems/forbidden', status: 403 })
    expect((await app.inject({ method: 'GET', url: '/me/points', headers: { 'x-as': 'member' } })).json()).toEqual({ memberId: 'm1' })
    await app.close()
  })
})
