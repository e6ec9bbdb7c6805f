import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'

describe('a redemption’s idempotency key', () => {
  let t: TestApp
  let till: Caller
  const memberId = newId()
  const rewardIds: string[] = []

  let otherTill: Caller
  const redeem = (rewardId: string, key: string, by = till) =>
    t.app.inject({ method: 'POST', url: `/v1/members/${memberId}/redemptions`, headers: { ...by.headers, 'idempotency-key': key }, payload: { rewardId } })
  const reserved = async () => (await t.app.inject({ method: 'GET', url: `/v1/members/${memberId}/points`, headers: till.headers })).json().reserved

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
    till = await apiKeyCaller(t.deps, ['rewards:redeem'], 'till 1')
    otherTill = await apiKeyCaller(t.deps, ['rewards:redeem'], 'till 2')
  })
  afterAll(() => t.close())

  it('answers a retry with the first redemption, and refuses the key for another reward', async () => {
    const first = await redeem(rewardIds[0], 'till-1-000042')
    expect(first.statusCode).toBe(201)
    expect((await redeem(rewardIds[0], 'till-1-000042')).json().id).toBe(first.json().id)
    const other = await redeem(rewardIds[1], 'till-1-000042')
    expect(other.statusCode).toBe(409)
    expect(other.json()).toMatchObject({ type: '/problems/idempotency-key-reused', field: 'headers/idempotency-key' })
    expect(other.json().detail).toContain('"till-1-000042"')
    expect(await reserved()).toBe(100)
  })

  it('belongs to the till that sent it: another till’s same key for the same member is its own redemption', async () => {
    const first = await redeem(rewardIds[0], 'shared-key-0001')
    const elsewhere = await redeem(rewardIds[0], 'shared-key-0001', otherTill)
    expect(elsewhere.statusCode).toBe(201)
    expect(elsewhere.json().id).not.toBe(first.json().id)
    // Each till's retry still answers its own first redemption.
    expect((await redeem(rewardIds[0], 'shared-key-0001', otherTill)).json().id).toBe(elsewhere.json().id)
    expect((await redeem(rewardIds[0], 'shared-key-0001')).json().id).toBe(first.json().id)
    expect(await reserved()).toBe(300)
  })

  it('answers a key from before keys were scoped to any till that retries it', async () => {
    const first = await redeem(rewardIds[1], 'old-key-00001')
    await t.deps.db.execute(sql`update redemptions set sent_by = 'server' where member_id = ${memberId} and id = ${first.json().id}`)
    const retry = await redeem(rewardIds[1], 'old-key-00001', otherTill)
    expect(retry.statusCode).toBe(201)
    expect(retry.json().id).toBe(first.json().id)
    expect(await reserved()).toBe(400)
  })
})
