import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRules, addStores, callersFor, enrol, sendActivity } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { upsertProducts } from '../activity/index.js'
import { ledgerProblems } from './invariants.js'
import { earnedCounter, evaluate, type Rule } from './rules.js'

const day = 86_400_000

describe('a points programme that rewards the relationship', () => {
  let t: TestApp
  let as: Record<'admin' | 'manager' | 'associate' | 'pos' | 'till' | 'ada' | 'ben', Caller>
  const [adaId, benId] = [newId(), newId()]
  const send = (kind: string, card: string, over: Record<string, unknown> = {}) =>
    sendActivity(t, as.pos, { kind, member: { kind: 'card', value: card }, ...over })
  const points = async (memberId: string) =>
    (await t.app.inject({ method: 'GET', url: `/v1/members/${memberId}/points`, headers: as.associate.headers })).json()
  const rule = (document: object) => t.app.inject({ method: 'POST', url: '/v1/rules', headers: as.admin.headers, payload: { document } })

  beforeAll(async () => {
    t = await testApp('2026-11-03T10:00:00Z') // a Tuesday
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    await upsertProducts(t.deps.db, [
      { sku: 'BEANS', name: 'House beans', category: ['Coffee & Tea', 'Coffee beans'], priceMinor: 1000 },
      { sku: 'SHIRT', name: 'Linen shirt', category: ['Clothing', 'Shirts'], priceMinor: 5000 },
    ])
    await enrol(t, [
      { id: adaId, givenName: 'Ada', card: '1001' },
      { id: benId, givenName: 'Ben', card: '1002' },
    ])
    t.deps.config.sessionHours = 24 * 365 // the test moves a month on; nobody should have to log in again
    as = await callersFor(t, {
      admin: 'admin',
      manager: 'manager',
      associate: 'associate',
      pos: { scopes: ['activity:write'] },
      till: { scopes: ['rewards:redeem'] },
      ada: { member: adaId },
      ben: { member: benId },
    })
    await t.app.inject({ method: 'POST', url: '/v1/activity-kinds', headers: as.admin.headers, payload: { code: 'review', name: 'Wrote a review' } })
    await addRules(t, as.admin, [
      {
        name: 'Purchases',
        when: { kinds: ['purchase'] },
        award: { perCurrencyUnit: 1 },
        pendingDays: 30,
        explanation: '+{points} for your purchase at {store}',
      },
      {
        name: 'Coffee Tuesdays',
        when: { kinds: ['purchase'], categories: ['Coffee & Tea'], weekdays: [2] },
        award: { perCurrencyUnit: 1 },
        explanation: '+{points} Coffee Tuesday bonus',
      },
      {
        name: 'Visits',
        when: { kinds: ['store_visit'] },
        award: { flat: 5 },
        caps: { perMemberPerDay: 5 },
        explanation: '+{points} for dropping in at {store}',
      },
      { name: 'Reviews', when: { kinds: ['review'] }, award: { flat: 40 }, explanation: '+{points} for your review of {product}' },
    ])
    // Three minutes: on a machine shared by eight agents the default minute runs out before the app starts.
  }, 180_000)
  afterAll(() => t?.close())

  it('refuses a rule that does not fit the schema, naming each problem', async () => {
    const response = await rule({ name: 'Broken', when: { kinds: [] }, award: { flat: -1 }, explanation: '' })
    expect(response.statusCode).toBe(400)
    expect(response.json().type).toBe('/problems/invalid-rule')
    expect(response.json().detail).toMatch(/Activity needs at least one entry/)
    expect(response.json().errors).toContainEqual(expect.objectContaining({ field: 'body/document/when/kinds' }))
    expect((await t.app.inject({ method: 'POST', url: '/v1/rules', headers: as.manager.headers, payload: { document: {} } })).statusCode).toBe(403)
  })

  it('awards purchases as pending until the return window closes, with bonuses and explanations', async () => {
    const sale = await send('purchase', '1001', {
      orderRef: 'A-1',
      lines: [
        { sku: 'BEANS', quantity: 2, unitPrice: 1000 },
        { sku: 'SHIRT', quantity: 1, unitPrice: 5000 },
      ],
    })
    expect(sale.statusCode).toBe(201)
    expect(await points(adaId)).toMatchObject({ available: 20, pending: 70 })
    const history = (await t.app.inject({ method: 'GET', url: '/v1/me/points/history', headers: as.ada.headers })).json().items
    expect(history.map((h: { explanation: string }) => h.explanation)).toEqual(
      expect.arrayContaining(['+70 for your purchase at Camden', '+20 Coffee Tuesday bonus']),
    )
    expect(history.every((h: { rule: unknown }) => h.rule)).toBe(true)
    // The order's 70 are pending, said on its own line with the day they become Ada's.
    expect(history.find((h: { explanation: string }) => h.explanation === '+70 for your purchase at Camden')).toMatchObject({
      points: 70,
      pendingUntil: new Date(t.deps.clock.now().getTime() + 30 * day).toISOString(),
    })
  })

  it('says where a purchase was made, and never “at us” when the till sent no store', () => {
    const rule: Rule = {
      id: newId(),
      version: 1,
      document: { name: 'Purchases', when: { kinds: ['purchase'] }, award: { flat: 10 }, explanation: '+{points} for your purchase at {store}' },
      startsAt: null,
      endsAt: null,
    }
    const at = (channel: string) =>
      evaluate(
        [rule],
        {
          id: newId(),
          memberId: adaId,
          kind: 'purchase',
          channel,
          storeCode: null,
          storeName: null,
          occurredAt: new Date(),
          tier: null,
          lines: [],
          details: {},
        },
        earnedCounter(),
      )[0].explanation
    expect([at('store'), at('web'), at('app')]).toEqual([
      '+10 for your purchase at one of our shops',
      '+10 for your purchase at the web shop',
      '+10 for your purchase at the app',
    ])
  })

  it('caps store visits per day and explains a review with the product', async () => {
    await send('store_visit', '1002')
    await send('store_visit', '1002')
    await send('review', '1002', { channel: 'web', store: undefined, details: { productName: 'Linen shirt' } })
    expect(await points(benId)).toMatchObject({ available: 45 })
    const history = (await t.app.inject({ method: 'GET', url: `/v1/members/${benId}/points/history`, headers: as.associate.headers })).json().items
    expect(history[0].explanation).toBe('+40 for your review of Linen shirt')
  })

  it('takes back the points of returned goods in proportion, from pending first', async () => {
    // The shirt is 50 of order A-1's 70 pounds: 5/7 of the 90 points the order earned come back, all from pending.
    const back = await send('return', '1001', { returnOf: 'A-1', lines: [{ sku: 'SHIRT', quantity: 1, unitPrice: 5000 }] })
    expect(back.statusCode).toBe(201)
    expect(await points(adaId)).toMatchObject({ available: 20, pending: 6 })
  })

  it('releases pending points when the window closes, and a later return may leave points owed, never a negative balance', async () => {
    t.deps.clock.advance(31 * day)
    const { runRewardJobs } = await import('./jobs.js')
    expect((await runRewardJobs(t.deps)).released).toBeGreaterThan(0)
    expect(await points(adaId)).toMatchObject({ available: 26, pending: 0 })
    // Ada spends 20, then returns the beans: the order's last 26 points come back, 6 off her balance and 20 owed.
    await t.app.inject({
      method: 'POST',
      url: `/v1/members/${adaId}/points/adjustments`,
      headers: as.manager.headers,
      payload: { points: -20, reason: 'spent at the café' },
    })
    await send('return', '1001', { returnOf: 'A-1', lines: [{ sku: 'BEANS', quantity: 2, unitPrice: 1000 }] })
    expect(await points(adaId)).toMatchObject({ available: 0, owed: -20 })
    // The next earnings pay off what is owed first.
    await send('store_visit', '1001')
    expect(await points(adaId)).toMatchObject({ available: 0, owed: -15 })
    expect(await ledgerProblems(t.deps.db)).toEqual([])

    // Her history: latest first by when things happened, every line a change, the released 70 said once (no "pending" left, no 0 line for the release).
    const history: { kind: string; occurredAt: string; points: number; pendingUntil: string | null }[] = (
      await t.app.inject({ method: 'GET', url: '/v1/me/points/history', headers: as.ada.headers })
    ).json().items
    expect(history.map((h) => h.occurredAt)).toEqual(
      history
        .map((h) => h.occurredAt)
        .sort()
        .reverse(),
    )
    expect(history.filter((h) => h.points === 0 || h.kind === 'release' || h.pendingUntil)).toEqual([])
    expect(history.filter((h) => h.kind === 'earn' && h.points === 70)).toHaveLength(1)
  })

  it('lets only managers adjust points, with a reason, audited', async () => {
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/members/${benId}/points/adjustments`,
          headers: as.associate.headers,
          payload: { points: 100, reason: 'goodwill' },
        })
      ).statusCode,
    ).toBe(403)
    const given = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${benId}/points/adjustments`,
      headers: as.manager.headers,
      payload: { points: 1000, reason: 'sorry about the late order' },
    })
    expect(given.statusCode).toBe(201)
    expect(given.json().available).toBe(1045)
    const audit = (await t.app.inject({ method: 'GET', url: '/v1/audit', headers: as.admin.headers })).json().items
    expect(audit.some((a: { action: string }) => a.action === 'points.adjusted')).toBe(true)
    const refused = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${adaId}/points/adjustments`,
      headers: as.manager.headers,
      payload: { points: -500, reason: 'too much' },
    })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().type).toBe('/problems/not-enough-points')
  })

  it('redeems at the till with reserve then confirm or cancel, and online with a code; retries change nothing', async () => {
    const reward = (
      await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: as.admin.headers, payload: { name: '£5 off', kind: 'discount_code', cost: 500 } })
    ).json()
    const reserve = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/members/${benId}/redemptions`,
        headers: { ...as.till.headers, 'idempotency-key': key },
        payload: { rewardId: reward.id },
      })
    const held = await reserve('till-hold-0001')
    expect(held.statusCode).toBe(201)
    expect((await reserve('till-hold-0001')).json().id).toBe(held.json().id)
    expect(await points(benId)).toMatchObject({ available: 545, reserved: 500 })
    const cancelled = await t.app.inject({ method: 'POST', url: `/v1/members/${benId}/redemptions/${held.json().id}/cancel`, headers: as.till.headers })
    expect(cancelled.json().status).toBe('cancelled')
    expect(await points(benId)).toMatchObject({ available: 1045, reserved: 0 })
    const second = await reserve('till-hold-0002')
    await t.app.inject({ method: 'POST', url: `/v1/members/${benId}/redemptions/${second.json().id}/confirm`, headers: as.till.headers })
    expect(await points(benId)).toMatchObject({ available: 545, reserved: 0 })
    expect(
      (await t.app.inject({ method: 'POST', url: `/v1/members/${benId}/redemptions/${second.json().id}/cancel`, headers: as.till.headers })).statusCode,
    ).toBe(409)

    const online = await t.app.inject({
      method: 'POST',
      url: '/v1/me/redemptions',
      headers: { ...as.ada.headers, 'idempotency-key': 'web-0001-abc' },
      payload: { rewardId: reward.id },
    })
    expect(online.statusCode).toBe(409) // Ada has no points left
    expect(await ledgerProblems(t.deps.db)).toEqual([])

    // Ben reads the held-then-confirmed £5 off once (−500), the cancelled hold as −500 and +500 back, and no "handed over" 0 line.
    const history: { kind: string; points: number }[] = (
      await t.app.inject({ method: 'GET', url: `/v1/members/${benId}/points/history`, headers: as.associate.headers })
    ).json().items
    expect(history.filter((h) => ['reserve', 'confirm', 'cancel'].includes(h.kind)).map((h) => [h.kind, h.points])).toEqual([
      ['reserve', -500],
      ['cancel', 500],
      ['reserve', -500],
    ])
  })

  it('lists a member’s own rewards with the reward, code and status, and nobody else’s', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/v1/me/redemptions', headers: as.ben.headers })
    expect(mine.statusCode).toBe(200)
    const items: { rewardName: string; status: string; code: string | null; points: number; expiresAt: string | null }[] = mine.json().items
    expect(items.map((r) => [r.rewardName, r.status, r.points])).toEqual([
      ['£5 off', 'confirmed', 500],
      ['£5 off', 'cancelled', 500],
    ])
    expect(items[0].code).toMatch(/^RG-[0-9A-F]{10}$/)
    expect(items[0].expiresAt).not.toBeNull() // the hold's lapse time, kept after the confirm
    // Ada sees none of Ben's; staff have no "my rewards".
    expect((await t.app.inject({ method: 'GET', url: '/v1/me/redemptions', headers: as.ada.headers })).json().items).toEqual([])
    expect((await t.app.inject({ method: 'GET', url: '/v1/me/redemptions', headers: as.associate.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/me/redemptions' })).statusCode).toBe(401)
  })

  it('settles a till’s redemption under its member only; the old route without the member still works and is marked deprecated', async () => {
    const reward = (
      await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: as.admin.headers, payload: { name: 'Tote bag', kind: 'free_product', cost: 100 } })
    ).json()
    const held = (
      await t.app.inject({
        method: 'POST',
        url: `/v1/members/${benId}/redemptions`,
        headers: { ...as.till.headers, 'idempotency-key': 'till-tote-0001' },
        payload: { rewardId: reward.id },
      })
    ).json()
    const settle = (url: string) => t.app.inject({ method: 'POST', url, headers: as.till.headers })
    for (const action of ['confirm', 'cancel']) {
      const elsewhere = await settle(`/v1/members/${adaId}/redemptions/${held.id}/${action}`)
      expect(elsewhere.statusCode).toBe(404) // Ada's path does not reach Ben's redemption
      expect(elsewhere.json().type).toBe('/problems/not-found')
    }
    expect(await points(benId)).toMatchObject({ reserved: 100 })
    expect((await settle(`/v1/redemptions/${held.id}/confirm`)).json()).toMatchObject({ status: 'confirmed', memberId: benId })
    const paths = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths
    expect(paths['/v1/redemptions/{id}/confirm'].post.deprecated).toBe(true)
    expect(paths['/v1/members/{id}/redemptions/{redemptionId}/confirm'].post.deprecated).toBeUndefined()
  })

  it('never overspends when fifty redemptions of one balance race', async () => {
    const reward = (
      await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: as.admin.headers, payload: { name: 'Sticker', kind: 'free_product', cost: 50 } })
    ).json()
    const before = (await points(benId)).available
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: `/v1/members/${benId}/redemptions`,
          headers: { ...as.till.headers, 'idempotency-key': `race-${i}-xxxxx` },
          payload: { rewardId: reward.id },
        }),
      ),
    )
    const won = attempts.filter((a) => a.statusCode === 201).length
    expect(won).toBe(Math.floor(before / 50))
    expect(attempts.filter((a) => a.statusCode !== 201).every((a) => a.json().type === '/problems/not-enough-points')).toBe(true)
    expect(await points(benId)).toMatchObject({ available: before - won * 50 })
    expect(await ledgerProblems(t.deps.db)).toEqual([])
  })

  it('gives a reward in short supply to as many racing members as there is stock, and a racing retry gets the first answer', async () => {
    const racers = await enrol(
      t,
      Array.from({ length: 6 }, (_, i) => ({ givenName: `Racer ${i}`, card: `300${i}` })),
    )
    for (const id of racers)
      await t.app.inject({
        method: 'POST',
        url: `/v1/members/${id}/points/adjustments`,
        headers: as.manager.headers,
        payload: { points: 100, reason: 'Launch gift' },
      })
    const reward = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/rewards',
        headers: as.admin.headers,
        payload: { name: 'Tasting seat', kind: 'experience', cost: 60, stock: 2 },
      })
    ).json()
    const reserve = (memberId: string, key: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/members/${memberId}/redemptions`,
        headers: { ...as.till.headers, 'idempotency-key': key },
        payload: { rewardId: reward.id },
      })

    const attempts = await Promise.all(racers.map((id, i) => reserve(id, `seat-race-${i}`)))
    expect(attempts.filter((a) => a.statusCode === 201)).toHaveLength(2)
    expect(attempts.filter((a) => a.statusCode !== 201).every((a) => a.json().type === '/problems/reward-unavailable')).toBe(true)
    const left = async () =>
      (await t.app.inject({ method: 'GET', url: '/v1/rewards', headers: as.admin.headers })).json().items.find((r: { id: string }) => r.id === reward.id).stock
    expect(await left()).toBe(0)
    // Claimed on the reward's own claims row: the shared catalogue row (a Citus reference table) is never written by a redemption.
    const [{ stock }] = await queryRows<{ stock: number }>(t.deps.db, sql`select stock from rewards where id = ${reward.id}`)
    expect(stock).toBe(2)

    // The till retries a reserve whose answer it lost, several times at once: one redemption, one hold.
    const loser = racers[attempts.findIndex((a) => a.statusCode !== 201)]
    const won = attempts.find((a) => a.statusCode === 201)?.json()
    await t.app.inject({ method: 'POST', url: `/v1/members/${won.memberId}/redemptions/${won.id}/cancel`, headers: as.till.headers })
    const retries = await Promise.all(Array.from({ length: 5 }, () => reserve(loser, 'seat-retry-1')))
    expect(retries.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201])
    expect(new Set(retries.map((r) => r.json().id)).size).toBe(1)
    expect(await points(loser)).toMatchObject({ available: 40, reserved: 60 })
    expect(await left()).toBe(0)
    // An admin restocking says how many are left from now on, whatever is held.
    await t.app.inject({
      method: 'PUT',
      url: `/v1/rewards/${reward.id}`,
      headers: as.admin.headers,
      payload: { name: 'Tasting seat', kind: 'experience', cost: 60, stock: 3 },
    })
    expect(await left()).toBe(3)
    expect(await ledgerProblems(t.deps.db)).toEqual([])
  })

  it('simulates a draft rule over past activity without writing anything', async () => {
    const [{ n: before }] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from ledger_entries`)
    const result = await t.app.inject({
      method: 'POST',
      url: '/v1/rules/simulate',
      headers: as.manager.headers,
      payload: { days: 60, document: { name: 'Triple visits', when: { kinds: ['store_visit'] }, award: { flat: 15 }, explanation: '+{points}' } },
    })
    expect(result.statusCode).toBe(200)
    expect(result.json()).toMatchObject({ membersAffected: 2, points: 45 })
    const [{ n: after }] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from ledger_entries`)
    expect(after).toBe(before)
  })

  it('reports the programme’s liability and points issued and redeemed by month', async () => {
    const report = (await t.app.inject({ method: 'GET', url: '/v1/rewards/report', headers: as.manager.headers })).json()
    const balances = await queryRows<{ available: number }>(t.deps.db, sql`select coalesce(sum(available), 0)::int as available from points_balances`)
    expect(report.liability.available).toBe(balances[0].available)
    expect(report.months.reduce((sum: number, m: { redeemed: number }) => sum + m.redeemed, 0)).toBeGreaterThan(0)
    expect((await t.app.inject({ method: 'GET', url: '/v1/rewards/report', headers: as.associate.headers })).statusCode).toBe(403)
  })
})
