import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRules, addStores, callersFor, enrol, sendActivity } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { runRewardJobs } from './jobs.js'

const day = 86_400_000

describe('bringing friends', () => {
  let t: TestApp
  let as: Record<'admin' | 'pos' | 'ada' | 'ben' | 'cy', Caller>
  const [adaId, benId, cyId] = [newId(), newId(), newId()]
  const buy = (card: string, pence: number, ref: string) =>
    sendActivity(t, as.pos, { kind: 'purchase', member: { kind: 'card', value: card }, orderRef: ref, lines: [{ sku: 'X', quantity: 1, unitPrice: pence }] })
  const claim = (caller: Caller, code: string) => t.app.inject({ method: 'POST', url: '/v1/me/referral/claim', headers: caller.headers, payload: { code } })
  const available = async (caller: Caller) => (await t.app.inject({ method: 'GET', url: '/v1/me/points', headers: caller.headers })).json().available

  beforeAll(async () => {
    t = await testApp('2026-04-01T10:00:00Z')
    t.deps.config.sessionHours = 24 * 3650
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    await enrol(t, [
      { id: adaId, card: '3001', identifiers: [{ kind: 'phone', value: '07700 900001' }] },
      { id: benId, card: '3002' },
      { id: cyId, phone: '+447700900001', card: '3003' },
    ])
    as = await callersFor(t, { admin: 'admin', ada: { member: adaId }, ben: { member: benId }, cy: { member: cyId }, pos: { scopes: ['activity:write'] } })
    await addRules(t, as.admin, [
      { name: 'Bringing a friend', when: { kinds: ['referral_completed'] }, award: { flat: 200 }, explanation: '+{points} for bringing a friend' },
      { name: 'Welcome, friend', when: { kinds: ['referred_welcome'] }, award: { flat: 100 }, explanation: '+{points} welcome' },
    ])
  })
  afterAll(() => t.close())

  it('gives a member one invite code, also when the first two asks race', async () => {
    const ask = () => t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: as.ben.headers })
    const codes = (await Promise.all([ask(), ask(), ask()])).map((r) => r.json().code)
    expect(new Set(codes).size).toBe(1)
    expect((await ask()).json().code).toBe(codes[0])
  })

  it('refuses one’s own code and a code of a membership sharing a phone', async () => {
    const { code } = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: as.ada.headers })).json()
    expect(code).toMatch(/^[A-Z2-9]{8}$/)
    expect((await claim(as.ada, code)).json().detail).toMatch(/your own/)
    const shared = await claim(as.cy, code)
    expect(shared.statusCode).toBe(409)
    expect(shared.json().type).toBe('/problems/referral-refused')
  })

  it('rewards both once the friend’s first purchase is past its return window, and only once', async () => {
    const { code } = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: as.ada.headers })).json()
    expect((await claim(as.ben, code.toLowerCase())).statusCode).toBe(201)
    expect((await claim(as.ben, code)).json().detail).toMatch(/already/)
    await buy('3002', 2500, 'B-1')
    await runRewardJobs(t.deps)
    expect(await available(as.ada)).toBe(0) // not yet: the purchase could still come back
    t.deps.clock.advance(31 * day)
    await runRewardJobs(t.deps)
    await runRewardJobs(t.deps)
    expect(await available(as.ada)).toBe(200)
    expect(await available(as.ben)).toBe(100)
    const friends = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: as.ada.headers })).json().friends
    expect(friends).toEqual([expect.objectContaining({ status: 'rewarded' })])
    const tree = (await t.app.inject({ method: 'GET', url: '/v1/referrals', headers: as.admin.headers })).json().items
    expect(tree).toEqual([expect.objectContaining({ memberId: benId, referrerId: adaId })])
    expect((await t.app.inject({ method: 'GET', url: '/v1/referrals', headers: as.ben.headers })).statusCode).toBe(403)
  })

  it('is for new customers only', async () => {
    const { code } = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: as.cy.headers })).json()
    await buy('3002', 1000, 'B-2')
    expect((await claim(as.ben, code)).json().detail).toMatch(/already|shopped with us before/)
    await buy('3001', 1000, 'A-1')
    expect((await claim(as.ada, code)).json().detail).toMatch(/shopped with us before|shares details/)
  })
})
