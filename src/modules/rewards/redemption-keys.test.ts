import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'

describe('a redemption’s idempotency key', () => {
  let t: TestApp
  let till: Caller
  const memberId = newId()
  const rewardIds: string[] = []

  const redeem = (rewardId: string, key: string) =>
    t.app.inject({ method: 'POST', url: `/v1/members/${memberId}/redemptions`, headers: { ...till.headers, 'idempotency-key': key }, payload: { rewardId } })

  beforeAll(async () => {
    t = await testApp()
    await enrolMembers(t.deps.db, [{ member: { id: memberId, givenName: 'Ada', joinedAt: t.deps.clock.now() }, identifiers: [] }], {
      defaultRegion: 'GB',
      at: t.deps.clock.now(),
    })
    const admin = await loginAs(t, 'admin')
    const send = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: admin.headers, payload })
    await send(`/v1/members/${memberId}/points/adjustments`, { points: 1000, reason: 'welcome gift' })
    for (const name of ['Free coffee', 'Tote bag']) rewardIds.push((await send('/v1/rewards', { name, kind: 'free_product', cost: 100 })).json().id)
    till = await apiKeyCaller(t.deps, ['rewards:redeem'])
  })
  afterAll(() => t.close())

  it('answers a retry with the first redemption, and refuses the key for another reward', async () => {
    const first = await redeem(rewardIds[0], 'till-1-000042')
    expect(first.statusCode).toBe(201)
    expect((await redeem(rewardIds[0], 'till-1-000042')).json().id).toBe(first.json().id)
    const other = await redeem(rewardIds[1], 'till-1-000042')
    expect(other.statusCode).toBe(409)
    expect(other.json()).toMatchObject({ type: '/problems/idempotency-key-reused', field: 'headers/idempotency-key' })
    const points = (await t.app.inject({ method: 'GET', url: `/v1/members/${memberId}/points`, headers: till.headers })).json()
    expect(points.reserved).toBe(100)
  })
})
