import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRules, addStores, callersFor, enrol, sendActivity } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { runRewardJobs } from './jobs.js'

const day = 86_400_000

describe('tiers on the relationship score', () => {
  let t: TestApp
  let as: Record<'admin' | 'manager' | 'pos' | 'ada', Caller>
  const adaId = newId()
  const send = (kind: string, extra: object = {}) => sendActivity(t, as.pos, { kind, member: { kind: 'card', value: '2001' }, ...extra })
  const tier = async () => (await t.app.inject({ method: 'GET', url: '/v1/me/tier', headers: as.ada.headers })).json()

  beforeAll(async () => {
    t = await testApp('2026-03-02T10:00:00Z') // a Monday
    t.deps.config.sessionHours = 24 * 3650
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    await enrol(t, [{ id: adaId, givenName: 'Ada', card: '2001' }])
    as = await callersFor(t, { admin: 'admin', manager: 'manager', pos: { scopes: ['activity:write'] }, ada: { member: adaId } })
    const setup = {
      tiers: [
        { code: 'member', name: 'Member', threshold: 0, perks: [] },
        { code: 'regular', name: 'Regular', threshold: 100, perks: ['Early access'] },
        { code: 'devoted', name: 'Devoted', threshold: 500, perks: ['Half as many points again'] },
      ],
      policy: { spendWeight: 1, participationWeight: 2, windowMonths: 12, graceDays: 30 },
    }
    expect((await t.app.inject({ method: 'PUT', url: '/v1/tiers', headers: as.manager.headers, payload: setup })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'PUT', url: '/v1/tiers', headers: as.admin.headers, payload: setup })).statusCode).toBe(200)
    await addRules(t, as.admin, [
      { name: 'Purchases', when: { kinds: ['purchase'] }, award: { perCurrencyUnit: 1 }, explanation: '+{points} for your purchase' },
      { name: 'Visits', when: { kinds: ['store_visit'] }, award: { flat: 30 }, explanation: '+{points} for dropping in' },
      { name: 'Devoted bonus', when: { kinds: ['purchase'], tiers: ['devoted'] }, award: { multiplier: 1.5 }, explanation: '+{points} Devoted bonus' },
    ])
  })
  afterAll(() => t.close())

  it('refuses tiers that leave members without one', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: '/v1/tiers',
      headers: as.admin.headers,
      payload: {
        tiers: [{ code: 'gold', name: 'Gold', threshold: 10, perks: [] }],
        policy: { spendWeight: 1, participationWeight: 1, windowMonths: 12, graceDays: 0 },
      },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().type).toBe('/problems/invalid-tiers')
  })

  it('moves a member up the moment spend and participation qualify, and says what the next tier needs', async () => {
    expect(await tier()).toMatchObject({ tier: 'member', score: 0, highest: false, next: { tier: 'regular', needed: 100 } })
    await send('purchase', { orderRef: 'P1', lines: [{ sku: 'X', quantity: 1, unitPrice: 6000 }] }) // 60 spend
    expect(await tier()).toMatchObject({ tier: 'member', score: 60, highest: false, next: { tier: 'regular', needed: 40 } })
    await send('store_visit') // 30 points for taking part, weighted 2
    expect(await tier()).toMatchObject({ tier: 'regular', score: 120, perks: ['Early access'], next: { tier: 'devoted', needed: 380 } })
    expect((await tier()).history.map((h: { to: string }) => h.to)).toEqual(['regular', 'member'])
  })

  it('gives a tier’s benefit through the rules', async () => {
    await send('purchase', { orderRef: 'P2', lines: [{ sku: 'X', quantity: 1, unitPrice: 40000 }] }) // 400 spend: devoted
    expect(await tier()).toMatchObject({ tier: 'devoted', next: null, highest: true })
    const before = (await t.app.inject({ method: 'GET', url: '/v1/me/points', headers: as.ada.headers })).json().available
    await send('purchase', { orderRef: 'P3', lines: [{ sku: 'X', quantity: 1, unitPrice: 10000 }] })
    const after = (await t.app.inject({ method: 'GET', url: '/v1/me/points', headers: as.ada.headers })).json().available
    expect(after - before).toBe(150)
  })

  it('keeps a tier through the grace period after the score falls, then moves down at the nightly run', async () => {
    t.deps.clock.advance(400 * day) // everything falls out of the 12-month window
    await runRewardJobs(t.deps, { nightly: true })
    const graced = await tier()
    expect(graced).toMatchObject({ tier: 'devoted', score: 0 })
    expect(graced.downgradeAt).not.toBeNull()
    t.deps.clock.advance(31 * day)
    await runRewardJobs(t.deps, { nightly: true })
    expect(await tier()).toMatchObject({ tier: 'member', downgradeAt: null })
  })

  it('never calls a member of a one-tier programme “at the top”', async () => {
    const oneTier = {
      tiers: [{ code: 'member', name: 'Member', threshold: 0, perks: [] }],
      policy: { spendWeight: 1, participationWeight: 2, windowMonths: 12, graceDays: 30 },
    }
    expect((await t.app.inject({ method: 'PUT', url: '/v1/tiers', headers: as.admin.headers, payload: oneTier })).statusCode).toBe(200)
    expect(await tier()).toMatchObject({ tier: 'member', next: null, highest: false })
  })
})
