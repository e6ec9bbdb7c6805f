import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { upsertProducts, upsertStores } from '../../modules/activity/index.js'
import { enrolMembers } from '../../modules/members/index.js'
import { newId } from '../ids.js'
import { auditEntries } from './schema.js'

describe('the audit log records every change, whoever makes it', () => {
  let t: TestApp
  let admin: Caller
  const memberId = newId()

  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, caller: Caller, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...caller.headers, ...headers }, payload })
  const audit = async () =>
    (await t.app.inject({ method: 'GET', url: '/v1/audit?limit=200', headers: admin.headers })).json().items as {
      action: string
      actorKind: string
      actorName: string
      before: unknown
      after: unknown
    }[]

  beforeAll(async () => {
    t = await testApp()
    await upsertStores(t.deps.db, [{ id: newId(), code: 'S01', name: 'Camden', region: null, timezone: 'UTC' }])
    await enrolMembers(t.deps.db, [{ member: { id: memberId, givenName: 'Ada', joinedAt: t.deps.clock.now() }, identifiers: [] }], {
      defaultRegion: 'GB',
      at: t.deps.clock.now(),
    })
    admin = await loginAs(t, 'admin')
  })
  afterAll(() => t.close())

  it('audits a key’s profile edit and identifier exactly as an associate’s', async () => {
    const crm = await apiKeyCaller(t.deps, ['members:write'], 'Web shop')
    expect((await send('PATCH', `/v1/members/${memberId}`, crm, { city: 'Leeds' })).statusCode).toBe(200)
    expect((await send('POST', `/v1/members/${memberId}/identifiers`, crm, { kind: 'card', value: '4242' })).statusCode).toBe(201)
    const entries = await audit()
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'member.profile_updated',
        actorKind: 'apiKey',
        actorName: 'Web shop',
        before: { city: null },
        after: { city: 'Leeds' },
      }),
    )
    expect(entries).toContainEqual(expect.objectContaining({ action: 'member.identifier_added', actorKind: 'apiKey', actorName: 'Web shop' }))
  })

  it('audits a key’s catalogue and stock feed', async () => {
    const erp = await apiKeyCaller(t.deps, ['catalog:write'], 'ERP')
    expect((await send('PUT', '/v1/products', erp, { items: [{ sku: 'BEANS', name: 'House beans', category: ['Coffee'] }] })).statusCode).toBe(200)
    expect((await send('PUT', '/v1/products/stock', erp, { items: [{ sku: 'BEANS', inStock: false }] })).statusCode).toBe(200)
    const entries = await audit()
    expect(entries).toContainEqual(expect.objectContaining({ action: 'products.saved', actorName: 'ERP', after: { skus: ['BEANS'] } }))
    expect(entries).toContainEqual(expect.objectContaining({ action: 'products.stock_set', actorName: 'ERP' }))
  })

  it('audits a till key’s redemption and its confirmation', async () => {
    await send('POST', `/v1/members/${memberId}/points/adjustments`, admin, { points: 500, reason: 'welcome gift' })
    const reward = (await send('POST', '/v1/rewards', admin, { name: 'Free coffee', kind: 'free_product', cost: 100 })).json()
    const till = await apiKeyCaller(t.deps, ['rewards:redeem'], 'Till 3')
    const held = await send('POST', `/v1/members/${memberId}/redemptions`, till, { rewardId: reward.id, store: 'S01' }, { 'idempotency-key': 'till-3-000001' })
    expect(held.statusCode).toBe(201)
    expect((await send('POST', `/v1/members/${memberId}/redemptions/${held.json().id}/confirm`, till, {})).statusCode).toBe(200)
    const entries = await audit()
    expect(entries).toContainEqual(expect.objectContaining({ action: 'reward.redeemed_at_till', actorKind: 'apiKey', actorName: 'Till 3' }))
    expect(entries).toContainEqual(expect.objectContaining({ action: 'redemption.confirmed', actorKind: 'apiKey', actorName: 'Till 3' }))
  })

  it('audits a member’s own profile edit', async () => {
    const member = await loginAs(t, 'member', { memberId })
    expect((await send('PATCH', '/v1/me', member, { city: 'York' })).statusCode).toBe(200)
    expect(await audit()).toContainEqual(expect.objectContaining({ action: 'member.profile_updated', actorKind: 'member', after: { city: 'York' } }))
  })

  it('audits each note, follow-up, conversation, taste, feedback and referral once, and no retry again', async () => {
    const [invitee, referrer] = [newId(), newId()]
    // Tastes name what the catalogue holds: a coffee kettle by Acme.
    await upsertProducts(t.deps.db, [
      { sku: 'KETTLE', name: 'Pour-over kettle', category: ['Coffee'], brand: 'Acme', priceMinor: 3500, currency: 'GBP', inStock: true },
    ])
    await enrolMembers(
      t.deps.db,
      [invitee, referrer].map((id, i) => ({ member: { id, givenName: ['Grace', 'Alan'][i], joinedAt: t.deps.clock.now() }, identifiers: [] })),
      { defaultRegion: 'GB', at: t.deps.clock.now() },
    )
    const associate = await loginAs(t, 'associate')
    const member = await loginAs(t, 'member', { memberId: invitee })
    const friend = await loginAs(t, 'member', { memberId: referrer })
    const at = `/v1/members/${invitee}`
    const ok = async (response: Promise<{ statusCode: number; body: string }>, status: number) => {
      const answer = await response
      expect(answer.statusCode, answer.body).toBe(status)
      return JSON.parse(answer.body || 'null')
    }
    await ok(send('POST', `${at}/notes`, associate, { body: 'Likes oat milk', tags: ['coffee'] }), 201)
    const followUp = await ok(send('POST', `${at}/follow-ups`, associate, { title: 'Call when the grinder is in', dueOn: '2026-11-05' }), 201)
    await ok(send('POST', `${at}/follow-ups/${followUp.id}/done`, associate, { outcome: 'Called, coming Saturday' }), 200)
    await ok(send('POST', `${at}/follow-ups/${followUp.id}/done`, associate, { outcome: 'Called, coming Saturday' }), 200) // done already
    await ok(send('POST', `${at}/conversations`, associate, { reason: 'visit', summary: 'Asked about grinders', outcome: 'talked' }), 201)
    const liked = await ok(send('POST', `${at}/taste/preferences`, associate, { kind: 'like', subjectKind: 'category', subject: 'Coffee' }), 201)
    await ok(t.app.inject({ method: 'DELETE', url: `${at}/taste/preferences/${liked.id}`, headers: associate.headers }), 204)
    await ok(send('POST', '/v1/me/taste/preferences', member, { kind: 'dislike', subjectKind: 'brand', subject: 'Acme' }), 201)
    await ok(send('POST', '/v1/me/suggestions/feedback', member, { sku: 'BEANS', event: 'dismissed' }), 204)
    await ok(send('POST', `${at}/suggestions/feedback`, associate, { sku: 'BEANS', event: 'bought' }), 204)
    const { code } = await ok(t.app.inject({ method: 'GET', url: '/v1/me/referral', headers: friend.headers }), 200)
    await ok(send('POST', `${at}/referral`, associate, { code }), 201)

    await send('POST', `${at}/points/adjustments`, admin, { points: 500, reason: 'welcome gift' })
    const reward = (await send('POST', '/v1/rewards', admin, { name: 'Free tea', kind: 'free_product', cost: 100 })).json()
    const till = await apiKeyCaller(t.deps, ['rewards:redeem'], 'Till 4')
    const atTill = () => send('POST', `${at}/redemptions`, till, { rewardId: reward.id, store: 'S01' }, { 'idempotency-key': 'till-4-000001' })
    const held = await ok(atTill(), 201)
    expect((await ok(atTill(), 201)).id).toBe(held.id) // the till retries: the same redemption
    await ok(send('POST', `/v1/redemptions/${held.id}/confirm`, till, {}), 200)
    await ok(send('POST', `/v1/redemptions/${held.id}/confirm`, till, {}), 200) // confirmed already
    const online = () => send('POST', '/v1/me/redemptions', member, { rewardId: reward.id }, { 'idempotency-key': 'web-000000001' })
    expect((await ok(online(), 201)).id).toBe((await ok(online(), 201)).id)

    const rows = await t.deps.db.select().from(auditEntries).where(eq(auditEntries.memberId, invitee))
    const counts: Record<string, number> = {}
    for (const { action } of rows) counts[action] = (counts[action] ?? 0) + 1
    expect(counts).toEqual({
      'member.note_added': 1,
      'member.follow_up_added': 1,
      'member.follow_up_done': 1,
      'member.conversation_logged': 1,
      'member.taste_recorded': 2,
      'member.taste_removed': 1,
      'member.suggestion_feedback': 2,
      'member.referral_recorded': 1,
      'points.adjusted': 1,
      'reward.redeemed_at_till': 1,
      'redemption.confirmed': 1,
      'reward.redeemed_online': 1,
    })
    expect(rows.find((r) => r.action === 'member.taste_recorded' && r.actorKind === 'member')).toBeDefined()
  })
})

describe('the audit trail reads by name and filters by who, what and when', () => {
  let t: TestApp
  const [ada, bea] = [newId(), newId()]
  beforeAll(async () => {
    t = await testApp('2026-11-02T09:00:00Z')
    t.deps.config.sessionHours = 24 * 365 // the test moves two days on; nobody should have to log in again
    await enrolMembers(
      t.deps.db,
      [
        { member: { id: ada, givenName: 'Ada', familyName: 'Lovelace', joinedAt: t.deps.clock.now() }, identifiers: [] },
        { member: { id: bea, givenName: 'Ada', familyName: 'Lovelace-King', joinedAt: t.deps.clock.now() }, identifiers: [] },
      ],
      { defaultRegion: 'GB', at: t.deps.clock.now() },
    )
  })
  afterAll(() => t.close())

  const trail = async (caller: Caller, query = '') => t.app.inject({ method: 'GET', url: `/v1/audit?limit=200${query}`, headers: caller.headers })

  it('names the members a merge joined and the reward an admin saved, instead of their ids', async () => {
    const admin = await loginAs(t, 'admin')
    const merged = await t.app.inject({ method: 'POST', url: '/v1/members/merges', headers: admin.headers, payload: { survivorId: ada, mergedId: bea } })
    expect(merged.statusCode).toBe(201)
    const reward = (
      await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: admin.headers, payload: { name: 'Free flat white', kind: 'free_product', cost: 200 } })
    ).json()
    const items = (await trail(admin)).json().items
    const merge = items.find((e: { action: string }) => e.action === 'member.merged')
    expect(merge.names).toEqual({ [ada]: 'Ada Lovelace', [bea]: 'Ada Lovelace-King' })
    expect(merge.after.mergeId).toBe(merged.json().id)
    expect(items.find((e: { action: string }) => e.action === 'reward.saved').names).toEqual({ [reward.id]: 'Free flat white' })
  })

  it('filters by who did it, what they did and the days it happened', async () => {
    const [admin, other] = [await loginAs(t, 'admin'), await loginAs(t, 'admin')]
    await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: other.headers, payload: { name: 'Tote bag', kind: 'free_product', cost: 300 } })
    t.deps.clock.advance(2 * 86_400_000) // 4 November
    await t.app.inject({ method: 'POST', url: '/v1/rewards', headers: admin.headers, payload: { name: 'Mug', kind: 'free_product', cost: 400 } })
    const choices = (await t.app.inject({ method: 'GET', url: '/v1/audit/choices', headers: admin.headers })).json()
    expect(choices.actions).toEqual(expect.arrayContaining(['member.merged', 'reward.saved']))
    expect(choices.actors).toContainEqual({ actorId: other.userId, actorName: 'Test admin' })
    const byOmar = (await trail(admin, `&actorId=${other.userId}`)).json().items
    expect(byOmar.map((e: { names: Record<string, string> }) => Object.values(e.names))).toEqual([['Tote bag']])
    const saved = (await trail(admin, '&action=reward.saved&from=2026-11-03T00:00:00Z&to=2026-11-05T00:00:00Z')).json().items
    expect(saved.map((e: { after: { name: string } }) => e.after.name)).toEqual(['Mug'])
    expect((await trail(admin, '&action=member.merged&to=2026-11-03T00:00:00Z')).json().items).toHaveLength(1)
  })

  it('is for admins only', async () => {
    const manager = await loginAs(t, 'manager')
    expect((await trail(manager)).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/audit/choices', headers: manager.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/v1/audit/choices' })).statusCode).toBe(401)
  })
})
