import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRoom } from '../../../test/support/rooms.js'
import { type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { type ActivityLineRow, type ActivityRow, recordResolvedActivities, upsertProducts } from '../activity/index.js'
import { enrolMembers, setConsents } from '../members/index.js'

describe('taste profiles', () => {
  let t: TestApp
  let ada: Caller
  let bea: Caller
  let associate: Caller
  const ids = { ada: newId(), bea: newId() }
  const activities: ActivityRow[] = []
  const lines: ActivityLineRow[] = []
  const buy = (memberId: string, day: string, sku: string, kind: 'purchase' | 'return' = 'purchase') => {
    const id = newId()
    activities.push({
      id,
      memberId,
      kind,
      channel: 'web',
      storeId: null,
      occurredAt: new Date(`${day}T12:00:00Z`),
      recordedAt: new Date(`${day}T12:00:00Z`),
      source: 'test',
      idempotencyKey: id,
      orderRef: id,
      totalMinor: 1000,
      currency: 'GBP',
      details: {},
    })
    lines.push({ memberId, activityId: id, lineNo: 1, sku, quantity: 1, unitPriceMinor: 1000, discountMinor: 0 })
  }

  beforeAll(async () => {
    t = await testApp('2026-11-24T10:00:00Z')
    const at = t.deps.clock.now()
    await upsertProducts(t.deps.db, [
      { sku: 'BEANS', name: 'House beans', category: ['Coffee', 'Beans'], brand: 'Roastery', priceMinor: 850, currency: 'GBP', attributes: {} },
      { sku: 'GRINDER', name: 'Hand grinder', category: ['Coffee', 'Kit'], brand: 'Porlex', priceMinor: 4500, currency: 'GBP', attributes: {} },
      { sku: 'TEA', name: 'Earl Grey', category: ['Tea'], brand: 'Roastery', priceMinor: 600, currency: 'GBP', attributes: {} },
    ])
    await enrolMembers(
      t.deps.db,
      [ids.ada, ids.bea].map((id) => ({ member: { id, givenName: 'Test', joinedAt: at }, identifiers: [] })),
      { defaultRegion: 'GB', at },
    )
    buy(ids.ada, '2026-11-01', 'BEANS')
    buy(ids.ada, '2026-10-01', 'BEANS')
    buy(ids.ada, '2026-09-01', 'BEANS')
    buy(ids.ada, '2026-06-01', 'GRINDER')
    buy(ids.ada, '2026-06-10', 'GRINDER', 'return')
    buy(ids.ada, '2026-01-05', 'TEA')
    await recordResolvedActivities(t.deps.db, activities, lines)
    await setConsents(t.deps.db, ids.ada, { profiling: true }, at)
    ada = await loginAs(t, 'member', { memberId: ids.ada })
    bea = await loginAs(t, 'member', { memberId: ids.bea })
    associate = await loginAs(t, 'associate')
  })
  afterAll(() => t.close())

  it('learns affinities from purchases and returns, with the evidence for each', async () => {
    const taste = (await t.app.inject({ method: 'GET', url: '/v1/me/taste', headers: ada.headers })).json()
    expect(taste.profiling).toBe(true)
    const categories = taste.learned.filter((a: { kind: string }) => a.kind === 'category')
    // Beans thrice and lately; tea once, long ago; the grinder went back, so Kit nets to nothing.
    expect(categories.map((a: { subject: string }) => a.subject)).toEqual(['Coffee > Beans', 'Tea'])
    expect(categories[0]).toMatchObject({ strength: 1, why: 'Bought 3 times; most recently 1 Nov 2026' })
    expect(categories[1].strength).toBeLessThan(0.3)
    expect(taste.learned.find((a: { kind: string }) => a.kind === 'brand').subject).toBe('Roastery')
  })

  it('learns from what the member put in a cart shared with friends in a live room', async () => {
    const cy = newId()
    await enrolMembers(t.deps.db, [{ member: { id: cy, givenName: 'Cy', joinedAt: t.deps.clock.now() }, identifiers: [] }], {
      defaultRegion: 'GB',
      at: t.deps.clock.now(),
    })
    await setConsents(t.deps.db, cy, { profiling: true }, t.deps.clock.now())
    const login = await loginAs(t, 'member', { memberId: cy })
    const room = (await t.app.inject({ method: 'POST', url: '/v1/rooms', headers: login.headers, payload: { title: 'Tea for two' } })).json()
    const live = await connectRoom(t.app, room.id, login)
    live.send({ type: 'cart.add', ref: 'tea', sku: 'TEA', quantity: 1 })
    expect((await live.waitFor((f) => f.ref === 'tea' && (f.type === 'ack' || f.type === 'error'), 'the ack')).type).toBe('ack')
    live.close()
    const taste = (await t.app.inject({ method: 'GET', url: '/v1/me/taste', headers: login.headers })).json()
    expect(taste.learned.find((a: { kind: string }) => a.kind === 'category')).toMatchObject({
      subject: 'Tea',
      why: 'Put in a cart shared with friends once; most recently 24 Nov 2026',
    })
  })

  it('drops a learnt affinity the member says is wrong, and keeps what they said', async () => {
    const said = await t.app.inject({
      method: 'POST',
      url: '/v1/me/taste/preferences',
      headers: ada.headers,
      payload: { kind: 'dislike', subjectKind: 'category', subject: 'tea' },
    })
    expect(said.statusCode, said.body).toBe(201)
    const taste = (await t.app.inject({ method: 'GET', url: '/v1/me/taste', headers: ada.headers })).json()
    expect(taste.learned.map((a: { subject: string }) => a.subject)).not.toContain('Tea')
    expect(taste.preferences).toMatchObject([{ kind: 'dislike', subject: 'Tea', recordedBy: 'member' }])
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/me/taste/preferences',
      headers: ada.headers,
      payload: { kind: 'love', subjectKind: 'category', subject: 'x' },
    })
    expect(bad.statusCode).toBe(400)
  })

  it('dates the evidence by the purchases, not by a thumbs-down given today', async () => {
    const down = await t.app.inject({
      method: 'POST',
      url: '/v1/me/suggestions/feedback',
      headers: ada.headers,
      payload: { sku: 'BEANS', event: 'not_for_me' },
    })
    expect(down.statusCode, down.body).toBeLessThan(300)
    const taste = (await t.app.inject({ method: 'GET', url: '/v1/me/taste', headers: ada.headers })).json()
    const beans = taste.learned.find((a: { subject: string }) => a.subject === 'Coffee > Beans')
    // Before the fix the thumbs-down's own date (24 Nov, today) showed as the latest purchase.
    expect(beans.why).toBe('Bought 3 times; most recently 1 Nov 2026')
  })

  it('takes a category as the member writes it, in the catalogue’s spelling, and refuses twins and unknowns in words', async () => {
    const say = (subjectKind: string, subject: string, kind = 'like') =>
      t.app.inject({ method: 'POST', url: '/v1/me/taste/preferences', headers: bea.headers, payload: { kind, subjectKind, subject } })
    const liked = await say('category', 'coffee › kit')
    expect(liked.statusCode, liked.body).toBe(201)
    expect(liked.json().subject).toBe('Coffee > Kit')
    expect((await say('category', 'Coffee')).json().subject).toBe('Coffee')

    const twice = await say('category', 'Coffee > Kit')
    expect(twice.statusCode).toBe(409)
    expect(twice.headers['content-type']).toContain('application/problem+json')
    expect(twice.json()).toMatchObject({ type: '/problems/preference-already-said', detail: 'Already said: “I like: Coffee › Kit”.', field: 'subject' })

    const unknown = await say('category', 'Home › Candles', 'dislike')
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json()).toMatchObject({
      type: '/problems/unknown-taste-subject',
      detail: 'We have no category “Home › Candles”. Try “Coffee”, “Tea”.',
    })
    expect((await say('category', 'Coffee › Cups')).json().detail).toBe('We have no category “Coffee › Cups”. Try “Coffee › Beans”, “Coffee › Kit”.')
    expect((await say('brand', 'Nobody', 'dislike')).json().detail).toBe('We have no brand “Nobody”.')
    expect((await say('sku', 'beans', 'never_suggest')).json().subject).toBe('BEANS')
    // A size is the member's own words.
    expect((await say('size', ' UK 9 ', 'size')).json().subject).toBe('UK 9')
    const mine = (await t.app.inject({ method: 'GET', url: '/v1/me/taste', headers: bea.headers })).json().preferences
    for (const p of mine) await t.app.inject({ method: 'DELETE', url: `/v1/me/taste/preferences/${p.id}`, headers: bea.headers })
  })

  it('uses only what was said once profiling consent is withdrawn', async () => {
    const staffSays = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${ids.ada}/taste/preferences`,
      headers: associate.headers,
      payload: { kind: 'size', subjectKind: 'size', subject: 'M' },
    })
    expect(staffSays.json()).toMatchObject({ recordedBy: 'Test associate' })
    await setConsents(t.deps.db, ids.ada, { profiling: false }, t.deps.clock.now())
    const taste = (await t.app.inject({ method: 'GET', url: `/v1/members/${ids.ada}/taste`, headers: associate.headers })).json()
    expect(taste).toMatchObject({ profiling: false, learned: [] })
    expect(taste.preferences.map((p: { subject: string }) => p.subject)).toEqual(['M', 'Tea'])
    await setConsents(t.deps.db, ids.ada, { profiling: true }, t.deps.clock.now())
  })

  it('keeps one member’s taste from another', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/me/taste', headers: bea.headers })).json()).toMatchObject({
      profiling: false,
      learned: [],
      preferences: [],
    })
    expect((await t.app.inject({ method: 'GET', url: `/v1/members/${ids.ada}/taste`, headers: bea.headers })).statusCode).toBe(403)
    const mine = (await t.app.inject({ method: 'GET', url: '/v1/me/taste', headers: ada.headers })).json().preferences[0].id
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/me/taste/preferences/${mine}`, headers: bea.headers })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/me/taste/preferences/${mine}`, headers: ada.headers })).statusCode).toBe(204)
  })
})
