import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { upsertStores } from '../activity/index.js'
import { enrolMembers } from '../members/index.js'
import { runRewardJobs } from './jobs.js'

const day = 86_400_000

describe('bringing friends', () => {
  let t: TestApp
  let admin: Caller
  let pos: Caller
  let ada: Caller
  let ben: Caller
  let cy: Caller
  const [adaId, benId, cyId] = [newId(), newId(), newId()]
  let sequence = 0
  const buy = (card: string, pence: number, ref: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: pos.headers,
      payload: {
        kind: 'purchase',
        member: { kind: 'card', value: card },
        channel: 'store',
        store: 'S01',
        occurredAt: t.deps.clock.now().toISOString(),
        source: 'till',
        idempotencyKey: `r${++sequence}`,
        orderRef: ref,
        lines: [{ sku: 'X', quantity: 1, unitPrice: pence }],
      },
    })
  const claim = (caller: Caller, code: string) => t.app.inject({ method: 'POST', url: '/v1/me/referral/claim', headers: caller.headers, payload: { code } })
  const available = async (caller: Caller) => (await t.app.inject({ method: 'GET', url: '/v1/me/points', headers: caller.headers })).json().available

  beforeAll(async () => {
    t = await testApp('2026-04-01T10:00:00Z')
    t.deps.config.sessionHours = 24 * 3650
    const at = t.deps.clock.now()
    await upsertStores(t.deps.db, [{ id: newId(), code: 'S01', name: 'Camden', region: null, timezone: 'Europe/London' }])
    await enrolMembers(
      t.deps.db,
      [
        {
          member: { id: adaId, joinedAt: at },
          identifiers: [
            { kind: 'card', value: '3001' },
            { kind: 'phone', value: '07700 900001' },
          ],
        },
        { member: { id: benId, joinedAt: at }, identifiers: [{ kind: 'card', value: '3002' }] },
        { member: { id: cyId, phone: '+447700900001', joinedAt: at }, identifiers: [{ kind: 'card', value: '3003' }] },
      ],
      { defaultRegion: 'GB', at },
    )
    admin = await loginAs(t, 'admin')
    ;[ada, ben, cy] = [
      await loginAs(t, 'member', { memberId: adaId }),
      await loginAs(t, 'member', { memberId: benId }),
      await loginAs(t, 'member', { memberId: cyId }),
    ]
    pos = await apiKeyCaller(t.deps, ['activity:write'])
    for (const document of [
      { name: 'Bringing a friend', when: { kinds: ['referral_completed'] }, award: { flat: 200 }, explanation: '+{points} for bringing a friend' },
      { name: 'Welcome, friend', when: { kinds: ['referred_welcome'] }, award: { flat: 100 }, explanation: '+{points} welcome' },
    ])
      await t.app.inject({ method: 'POST', url: '/v1/rules', headers: admin.headers, payload: { document } })
  })
  afterAll(() => t.close())

  it('refuses one’s own code and a code of a membership sharing a phone', async () => {
    const { code } = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: ada.headers })).json()
    expect(code).toMatch(/^[A-Z2-9]{8}$/)
    expect((await claim(ada, code)).json().detail).toMatch(/your own/)
    const shared = await claim(cy, code)
    expect(shared.statusCode).toBe(409)
    expect(shared.json().type).toBe('/problems/referral-refused')
  })

  it('rewards both once the friend’s first purchase is past its return window, and only once', async () => {
    const { code } = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: ada.headers })).json()
    expect((await claim(ben, code.toLowerCase())).statusCode).toBe(201)
    expect((await claim(ben, code)).json().detail).toMatch(/already/)
    await buy('3002', 2500, 'B-1')
    await runRewardJobs(t.deps)
    expect(await available(ada)).toBe(0) // not yet: the purchase could still come back
    t.deps.clock.advance(31 * day)
    await runRewardJobs(t.deps)
    await runRewardJobs(t.deps)
    expect(await available(ada)).toBe(200)
    expect(await available(ben)).toBe(100)
    const friends = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: ada.headers })).json().friends
    expect(friends).toEqual([expect.objectContaining({ status: 'rewarded' })])
    const tree = (await t.app.inject({ method: 'GET', url: '/v1/referrals', headers: admin.headers })).json().items
    expect(tree).toEqual([expect.objectContaining({ memberId: benId, referrerId: adaId })])
    expect((await t.app.inject({ method: 'GET', url: '/v1/referrals', headers: ben.headers })).statusCode).toBe(403)
  })

  it('is for new customers only', async () => {
    const { code } = (await t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: cy.headers })).json()
    await buy('3002', 1000, 'B-2')
    expect((await claim(ben, code)).json().detail).toMatch(/already|shopped with us before/)
    await buy('3001', 1000, 'A-1')
    expect((await claim(ada, code)).json().detail).toMatch(/shopped with us before|shares details/)
  })
})
