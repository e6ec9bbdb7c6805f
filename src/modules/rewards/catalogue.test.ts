import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRules, addStores, callersFor, enrol, sendActivity } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'

describe('the rewards catalogue: dates, tiers, pictures, and the redemption holding to them', () => {
  let t: TestApp
  let as: Record<'admin' | 'manager' | 'pos' | 'ada' | 'bea', Caller>
  const [adaId, beaId] = [newId(), newId()]
  const reward = (over: object = {}) => ({ name: 'Tote bag', kind: 'free_product', cost: 100, ...over })
  const add = async (over: object = {}) => (await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: as.admin.headers, payload: reward(over) })).json()
  const redeem = (member: Caller, rewardId: string) =>
    t.app.inject({ method: 'POST', url: '/v1/me/redemptions', headers: { ...member.headers, 'idempotency-key': newId() }, payload: { rewardId } })

  beforeAll(async () => {
    t = await testApp('2026-11-02T10:00:00Z')
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    await enrol(t, [
      { id: adaId, givenName: 'Ada', card: '3001' },
      { id: beaId, givenName: 'Bea', card: '3002' },
    ])
    as = await callersFor(t, { admin: 'admin', manager: 'manager', pos: { scopes: ['activity:write'] }, ada: { member: adaId }, bea: { member: beaId } })
    const setup = {
      tiers: [
        { code: 'member', name: 'Member', threshold: 0, perks: [] },
        { code: 'gold', name: 'Gold', threshold: 40, perks: [] },
      ],
      policy: { spendWeight: 1, participationWeight: 1, windowMonths: 12, graceDays: 30 },
    }
    expect((await t.app.inject({ method: 'PUT', url: '/v1/tiers', headers: as.admin.headers, payload: setup })).statusCode).toBe(200)
    await addRules(t, as.admin, [{ name: 'Purchases', when: { kinds: ['purchase'] }, award: { perCurrencyUnit: 10 }, explanation: '+{points}' }])
    // Both can afford everything; only Bea spent enough to be Gold.
    for (const [card, pounds] of [
      ['3001', 20],
      ['3002', 60],
    ] as const) {
      const sent = await sendActivity(t, as.pos, {
        kind: 'purchase',
        member: { kind: 'card', value: card },
        lines: [{ sku: 'MUG', quantity: 1, unitPrice: pounds * 100 }],
      })
      expect(sent.statusCode, sent.body).toBeLessThan(300)
    }
  })
  afterAll(() => t.close())

  it('keeps what an admin edits: dates, tiers and a picture; managers may not edit', async () => {
    const tote = await add()
    const change = reward({ validFrom: '2026-12-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z', tiers: ['gold'], imageUrl: 'https://shop.example/tote.jpg' })
    const put = await t.app.inject({ method: 'PUT', url: `/v1/rewards/${tote.id}`, headers: as.admin.headers, payload: change })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json()).toMatchObject({
      validFrom: '2026-12-01T00:00:00.000Z',
      validUntil: '2027-01-01T00:00:00.000Z',
      tiers: ['gold'],
      imageUrl: 'https://shop.example/tote.jpg',
    })
    expect((await t.app.inject({ method: 'PUT', url: `/v1/rewards/${tote.id}`, headers: as.manager.headers, payload: change })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'PUT', url: `/v1/rewards/${tote.id}`, headers: as.ada.headers, payload: change })).statusCode).toBe(403)
  })

  it('refuses, in words on the field, dates the wrong way round, a tier that does not exist and a picture that is not a web address', async () => {
    const backwards = await t.app.inject({
      method: 'POST',
      url: '/v1/rewards',
      headers: as.admin.headers,
      payload: reward({ validFrom: '2027-01-01T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' }),
    })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json()).toMatchObject({
      type: '/problems/invalid-reward',
      errors: [{ field: 'body/validUntil', message: expect.stringContaining('after the first') }],
    })
    const noSuchTier = await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: as.admin.headers, payload: reward({ tiers: ['platinum'] }) })
    expect(noSuchTier.json()).toMatchObject({ status: 400, detail: 'There is no tier platinum; the tiers are member, gold.' })
    const picture = await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: as.admin.headers, payload: reward({ imageUrl: 'javascript:alert(1)' }) })
    expect(picture.statusCode).toBe(400)
  })

  it('redeems a reward only between its dates, saying when, and shows members only what they can have now', async () => {
    const soon = await add({ name: 'Advent mug', validFrom: '2026-12-01T00:00:00Z' })
    const over = await add({ name: 'Summer tote', validUntil: '2026-09-01T00:00:00Z' })
    const now = await add({ name: 'Flat white', validFrom: '2026-11-01T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' })
    const early = await redeem(as.ada, soon.id)
    expect(early.json()).toMatchObject({ status: 409, type: '/problems/reward-unavailable', detail: 'Advent mug can be redeemed from 1 Dec 2026.' })
    const late = await redeem(as.ada, over.id)
    expect(late.json()).toMatchObject({ status: 409, detail: 'Summer tote could be redeemed until 1 Sept 2026; the offer has ended.' })
    expect((await redeem(as.ada, now.id)).statusCode).toBe(201)
    const offered = (await t.app.inject({ method: 'GET', url: '/v1/rewards', headers: as.ada.headers })).json().items.map((r: { name: string }) => r.name)
    expect(offered).toContain('Flat white')
    expect(offered).not.toContain('Advent mug')
    expect(offered).not.toContain('Summer tote')
    const staff = (await t.app.inject({ method: 'GET', url: '/v1/rewards', headers: as.manager.headers })).json().items.map((r: { name: string }) => r.name)
    expect(staff).toEqual(expect.arrayContaining(['Advent mug', 'Summer tote']))
  })

  it('lets only the tiers named redeem a tier-only reward, and tells the till why not', async () => {
    const lounge = await add({ name: 'Tasting evening', kind: 'experience', tiers: ['gold'] })
    expect((await redeem(as.ada, lounge.id)).json()).toMatchObject({ status: 409, detail: 'Tasting evening is for Gold members only.' })
    expect((await redeem(as.bea, lounge.id)).statusCode).toBe(201)
    const till = (await t.app.inject({ method: 'GET', url: `/v1/members/${adaId}/rewards`, headers: as.manager.headers })).json()
    expect(till.rewards.find((r: { name: string }) => r.name === 'Tasting evening')).toMatchObject({ redeemable: false, reason: 'Only for Gold members' })
  })

  it('stops a deactivated reward being redeemed, and brings it back', async () => {
    const scarf = await add({ name: 'Scarf' })
    const off = await t.app.inject({
      method: 'PUT',
      url: `/v1/rewards/${scarf.id}`,
      headers: as.admin.headers,
      payload: reward({ name: 'Scarf', active: false }),
    })
    expect(off.json().active).toBe(false)
    expect((await redeem(as.ada, scarf.id)).statusCode).toBe(404)
    await t.app.inject({ method: 'PUT', url: `/v1/rewards/${scarf.id}`, headers: as.admin.headers, payload: reward({ name: 'Scarf', active: true }) })
    expect((await redeem(as.ada, scarf.id)).statusCode).toBe(201)
  })
})
