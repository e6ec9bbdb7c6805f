import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import type { Caller, TestApp } from '../../../test/support/testing.js'
import { testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'

describe('the rewards a member can have at the till, and why not the others', () => {
  let t: TestApp
  let as: Record<'admin' | 'manager' | 'camden' | 'leeds' | 'ada' | 'reader' | 'writer', Caller>
  let ada: string
  const reward: Record<string, string> = {}
  const call = (method: 'GET' | 'POST', url: string, who: Caller | undefined, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...who?.headers, ...headers }, payload })
  const atTill = (who: Caller | undefined) => call('GET', `/v1/members/${ada}/rewards`, who)
  const hold = (who: Caller, rewardId: string) => call('POST', `/v1/members/${ada}/redemptions`, who, { rewardId }, { 'idempotency-key': `till-${newId()}` })

  beforeAll(async () => {
    t = await testApp()
    const stores = await addStores(t, [
      { code: 'S01', name: 'Camden' },
      { code: 'S02', name: 'Leeds' },
    ])
    ;[ada] = await enrol(t, [{ givenName: 'Ada', familyName: 'Lovelace', homeStoreId: stores.S01 }])
    as = await callersFor(t, {
      admin: 'admin',
      manager: 'manager',
      camden: { role: 'associate', storeIds: [stores.S01] },
      leeds: { role: 'associate', storeIds: [stores.S02] },
      ada: { member: ada },
      reader: { scopes: ['insights:read'] },
      writer: { scopes: ['rewards:redeem'] },
    })
    for (const [name, extra] of [
      ['Flat white', { cost: 100 }],
      ['Tote bag', { cost: 250 }],
      ['Web voucher', { cost: 50, channels: ['web'] }],
      ['Tasting', { cost: 50, stock: 0 }],
      ['Birthday cake', { cost: 20, perMemberLimit: 1 }],
    ] as const) {
      const saved = await call('POST', '/v1/rewards', as.admin, { name, kind: 'free_product', ...extra })
      expect(saved.statusCode, saved.body).toBe(201)
      reward[name] = saved.json().id
    }
    const adjusted = await call('POST', `/v1/members/${ada}/points/adjustments`, as.manager, { points: 200, reason: 'Welcome gift' })
    expect(adjusted.statusCode, adjusted.body).toBeLessThan(300)
  })
  afterAll(() => t.close())

  it('says which rewards the member can afford and, for the rest, why not in words', async () => {
    const response = await atTill(as.camden)
    expect(response.statusCode, response.body).toBe(200)
    const { available, rewards } = response.json()
    expect(available).toBe(200)
    const said = Object.fromEntries(rewards.map((r: { name: string; redeemable: boolean; reason: string | null }) => [r.name, [r.redeemable, r.reason]]))
    expect(said).toEqual({
      'Birthday cake': [true, null],
      'Flat white': [true, null],
      'Tote bag': [false, 'Needs 50 more points'],
      'Web voucher': [false, 'Only web, not at a till'],
      Tasting: [false, 'Out of stock'],
    })
  })

  it('shows a hold at the till until it is confirmed, and a reward used up once per member no longer offered', async () => {
    const held = await hold(as.camden, reward['Birthday cake'])
    expect(held.statusCode, held.body).toBe(201)
    const during = (await atTill(as.camden)).json()
    expect(during.holds).toEqual([expect.objectContaining({ id: held.json().id, rewardName: 'Birthday cake', points: 20, storeCode: 'S01' })])
    expect(during.available).toBe(180)
    expect(during.rewards.find((r: { name: string }) => r.name === 'Birthday cake')).toMatchObject({
      redeemable: false,
      reason: 'Already redeemed: once per member',
    })
    const confirmed = await call('POST', `/v1/members/${ada}/redemptions/${held.json().id}/confirm`, as.camden)
    expect(confirmed.json().status).toBe('confirmed')
    expect((await atTill(as.camden)).json().holds).toEqual([])
  })

  it('keeps one store’s holds to that store: Leeds neither sees nor settles a hold made in Camden', async () => {
    const held = await hold(as.camden, reward['Flat white'])
    expect((await atTill(as.leeds)).json().holds).toEqual([])
    expect((await call('POST', `/v1/members/${ada}/redemptions/${held.json().id}/cancel`, as.leeds)).statusCode).toBe(404)
    const cancelled = await call('POST', `/v1/members/${ada}/redemptions/${held.json().id}/cancel`, as.camden)
    expect(cancelled.json().status).toBe('cancelled')
    expect((await atTill(as.camden)).json().available).toBe(180)
  })

  it('is for staff and tills only', async () => {
    expect((await atTill(undefined)).statusCode).toBe(401)
    expect((await atTill(as.ada)).statusCode).toBe(403)
    expect((await atTill(as.reader)).statusCode).toBe(403)
    expect((await atTill(as.writer)).statusCode).toBe(200)
    expect((await call('GET', `/v1/members/${newId()}/rewards`, as.camden)).statusCode).toBe(404)
  })
})
