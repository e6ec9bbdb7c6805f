import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { apiKeyCaller, type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { recordResolvedActivities, upsertProducts } from '../activity/index.js'
import { setConsents } from '../members/index.js'

describe('clienteling: notes, follow-ups, conversations and the outreach list', () => {
  let t: TestApp
  let as: Record<'sam' | 'kim' | 'manager' | 'ada' | 'bea', Caller>
  const camden = newId()
  const leeds = newId()
  const ids = { ada: newId(), bea: newId(), cal: newId(), dot: newId(), eve: newId() }
  const call = (method: 'GET' | 'POST', url: string, who: Caller, payload?: object) => t.app.inject({ method, url, headers: who.headers, payload })

  beforeAll(async () => {
    t = await testApp('2026-11-24T10:00:00Z')
    const at = t.deps.clock.now()
    await addStores(t, [
      { id: camden, code: 'CAM', name: 'Camden' },
      { id: leeds, code: 'LDS', name: 'Leeds' },
    ])
    const member = (id: string, givenName: string, birthDate: string | null, homeStoreId: string) => ({
      id,
      givenName,
      familyName: 'Shopper',
      birthDate,
      homeStoreId,
      joinedAt: new Date('2025-01-01T00:00:00Z'),
    })
    await enrol(t, [
      member(ids.ada, 'Ada', '1990-11-27', camden), // birthday in three days
      member(ids.bea, 'Bea', '1985-03-01', camden),
      member(ids.cal, 'Cal', '1979-11-25', leeds), // birthday tomorrow, but a Leeds member
      member(ids.dot, 'Dot', null, camden),
      member(ids.eve, 'Eve', null, camden),
    ])
    // Dot is valuable but drifting, as the insights refresh would have it.
    await t.deps.db.execute(
      sql`insert into member_insights (member_id, as_of, score, parts, joined_month, channels, orders, spend_minor, repeat_purchases, p_alive, clv_minor, last_purchase_at)
          values (${ids.dot}, ${at}, 40, '{}'::jsonb, '2025-01-01', 1, 4, 40000, 3, 0.3, 25000, '2026-06-01')`,
    )
    // Eve buys two coffees; a new one arrived two days ago.
    const coffee = (sku: string, name: string, addedAt: string) => ({
      sku,
      name,
      category: ['Coffee', 'Beans'],
      brand: null,
      priceMinor: 850,
      currency: 'GBP',
      attributes: {},
      addedAt: new Date(addedAt),
    })
    await upsertProducts(t.deps.db, [
      coffee('BEANS', 'House beans', '2025-01-01'),
      coffee('DECAF', 'Decaf beans', '2025-01-01'),
      coffee('GEISHA', 'Panama Geisha', '2026-11-22'),
    ])
    const order = newId()
    await recordResolvedActivities(
      t.deps.db,
      [
        {
          id: order,
          memberId: ids.eve,
          kind: 'purchase',
          channel: 'store',
          storeId: camden,
          occurredAt: new Date('2026-10-01T10:00:00Z'),
          recordedAt: at,
          source: 'test',
          idempotencyKey: order,
          orderRef: order,
          totalMinor: 850,
          currency: 'GBP',
          details: {},
        },
      ],
      [
        { memberId: ids.eve, activityId: order, lineNo: 1, sku: 'BEANS', quantity: 1, unitPriceMinor: 850, discountMinor: 0 },
        { memberId: ids.eve, activityId: order, lineNo: 2, sku: 'DECAF', quantity: 1, unitPriceMinor: 850, discountMinor: 0 },
      ],
    )
    await setConsents(t.deps.db, ids.eve, { profiling: true }, at)
    as = await callersFor(t, {
      sam: { role: 'associate', storeIds: [camden] },
      kim: { role: 'associate', storeIds: [camden] },
      manager: { role: 'manager', storeIds: [camden] },
      ada: { member: ids.ada },
      bea: { member: ids.bea },
    })
  })
  afterAll(() => t.close())

  it('keeps notes for the team, and shows a member only the ones marked shareable', async () => {
    const secret = await call('POST', `/v1/members/${ids.ada}/notes`, as.sam, { body: 'Asked about discounts twice', tags: ['Price'] })
    expect(secret.statusCode, secret.body).toBe(201)
    expect(secret.json()).toMatchObject({ tags: ['price'], shareable: false })
    await call('POST', `/v1/members/${ids.ada}/notes`, as.sam, { body: 'Prefers slim fits, size M', tags: ['fit', 'size'], shareable: true })
    const team = (await call('GET', `/v1/members/${ids.ada}/notes`, as.kim)).json().items
    expect(team.map((n: { body: string }) => n.body)).toEqual(['Prefers slim fits, size M', 'Asked about discounts twice'])
    const mine = (await call('GET', '/v1/me/notes', as.ada)).json().items
    expect(mine.map((n: { body: string }) => n.body)).toEqual(['Prefers slim fits, size M'])
    expect((await call('GET', '/v1/me/notes', as.bea)).json().items).toEqual([])
    expect((await call('GET', `/v1/members/${ids.ada}/notes`, as.ada)).statusCode).toBe(403)
    const empty = await call('POST', `/v1/members/${ids.ada}/notes`, as.sam, { body: '' })
    expect(empty.statusCode).toBe(400)
    expect((await call('POST', `/v1/members/${newId()}/notes`, as.sam, { body: 'Who?' })).statusCode).toBe(404)
  })

  it('puts follow-ups due on the assignee’s outreach list first, and lets only them or a manager close them', async () => {
    const due = await call('POST', `/v1/members/${ids.bea}/follow-ups`, as.sam, { title: 'Call when the linen shirts arrive', dueOn: '2026-11-23' })
    expect(due.statusCode, due.body).toBe(201)
    expect((await call('POST', `/v1/members/${ids.bea}/follow-ups`, as.sam, { title: 'x', dueOn: '2026-12-01', assigneeId: as.kim.userId })).statusCode).toBe(
      403,
    )
    const list = (await call('GET', '/v1/outreach', as.sam)).json().items
    expect(list[0]).toMatchObject({ memberId: ids.bea, reason: 'follow_up', why: 'Call when the linen shirts arrive (overdue since 23 Nov)' })
    expect(list.map((i: { reason: string; memberId: string }) => `${i.reason}:${i.memberId}`)).toEqual([
      `follow_up:${ids.bea}`,
      `birthday:${ids.ada}`,
      `new_arrival:${ids.eve}`,
      `drifting:${ids.dot}`,
    ])
    expect(list.find((i: { reason: string }) => i.reason === 'new_arrival').why).toBe(
      'New in Coffee > Beans: Panama Geisha (they bought 2 things there this year)',
    )
    expect(list.find((i: { reason: string }) => i.reason === 'drifting').why).toBe('Worth £250 a year to us, but only 30% likely still shopping')
    // Kim works in Camden too but owes Bea nothing: Leeds' Cal is on nobody's Camden list.
    expect((await call('GET', '/v1/outreach', as.kim)).json().items.map((i: { memberId: string }) => i.memberId)).toEqual([ids.ada, ids.eve, ids.dot])
    const id = due.json().id
    expect((await call('POST', `/v1/members/${ids.bea}/follow-ups/${id}/done`, as.kim, { outcome: 'Told her' })).statusCode).toBe(403)
    const done = await call('POST', `/v1/members/${ids.bea}/follow-ups/${id}/done`, as.manager, { outcome: 'Left a message' })
    expect(done.json()).toMatchObject({ outcome: 'Left a message' })
    expect((await call('GET', '/v1/outreach', as.sam)).json().items[0].reason).toBe('birthday')
  })

  it('logs conversations, takes the member off the list for two weeks, and counts them on the associate scorecard', async () => {
    const logged = await call('POST', `/v1/members/${ids.ada}/conversations`, as.sam, {
      reason: 'birthday',
      summary: 'Wished her happy birthday; she took the suggested scarf',
      outcome: 'suggestion_accepted',
    })
    expect(logged.statusCode, logged.body).toBe(201)
    expect((await call('POST', `/v1/members/${ids.ada}/conversations`, as.sam, { reason: 'visit', summary: 'Hi', outcome: 'maybe' })).statusCode).toBe(400)
    expect((await call('GET', '/v1/outreach', as.sam)).json().items.map((i: { memberId: string }) => i.memberId)).not.toContain(ids.ada)
    const talks = await call('GET', `/v1/members/${ids.ada}/conversations`, as.kim)
    expect(talks.json().items).toEqual([expect.objectContaining({ associateName: 'Test associate', outcome: 'suggestion_accepted' })])
    const card = (await call('GET', '/v1/insights/scorecards/associates', as.manager)).json()
    const row = card.rows.find((r: { current: { conversations: number } }) => r.current.conversations > 0)
    expect(row.current).toMatchObject({ conversations: 1, suggestionsAccepted: 1, notes: 2 })
  })

  it('names the associate on conversations and notes, and never sends their email', async () => {
    const emails = (await queryRows<{ email: string }>(t.deps.db, sql`select email from users where role <> 'member'`)).map((r) => r.email)
    expect(emails.length).toBeGreaterThan(1)
    await call('POST', `/v1/members/${ids.eve}/notes`, as.sam, { body: 'Likes a washed roast' })
    await call('POST', `/v1/members/${ids.eve}/conversations`, as.sam, { reason: 'visit', summary: 'Talked beans', outcome: 'talked' })
    const answers = [
      await call('GET', `/v1/members/${ids.eve}/notes`, as.kim),
      await call('GET', `/v1/members/${ids.eve}/conversations`, as.kim),
      await call('POST', `/v1/members/${ids.eve}/conversations`, as.sam, { reason: 'call', summary: 'Rang back', outcome: 'no_answer' }),
      await call('GET', '/v1/outreach', as.sam),
    ]
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBeLessThan(300)
      for (const email of emails) expect(answer.body.toLowerCase()).not.toContain(email.toLowerCase())
      expect(answer.body).not.toMatch(/@example\.test/)
    }
    expect(answers[1].json().items[0]).toMatchObject({ associateName: 'Test associate', summary: 'Talked beans' })
    expect(answers[0].json().items[0]).toMatchObject({ authorName: 'Test associate' })
  })

  it('moves notes, follow-ups and conversations to the survivor of a merge, and back on unmerge', async () => {
    const merged = await call('POST', '/v1/members/merges', as.manager, { survivorId: ids.bea, mergedId: ids.ada })
    expect(merged.statusCode, merged.body).toBe(201)
    expect((await call('GET', `/v1/members/${ids.bea}/notes`, as.sam)).json().items).toHaveLength(2)
    expect((await call('GET', `/v1/members/${ids.bea}/conversations`, as.sam)).json().items).toHaveLength(1)
    await call('POST', `/v1/members/merges/${merged.json().id}/unmerge`, as.manager, {})
    expect((await call('GET', `/v1/members/${ids.ada}/notes`, as.sam)).json().items).toHaveLength(2)
    expect((await call('GET', `/v1/members/${ids.bea}/notes`, as.sam)).json().items).toHaveLength(0)
  })

  it('tells the store team when a wished-for product is back in stock, fed by the stock system', async () => {
    const at = t.deps.clock.now()
    const [fay, gus] = await enrol(t, [
      { givenName: 'Fay', homeStoreId: camden },
      { givenName: 'Gus', homeStoreId: camden },
    ])
    await upsertProducts(t.deps.db, [{ sku: 'LINEN', name: 'Linen shirt', category: ['Clothing', 'Shirts'], inStock: false }], at)
    const activity = (memberId: string, kind: string, occurredAt: string, details = {}) => ({
      id: newId(),
      memberId,
      kind,
      channel: 'web',
      storeId: null,
      occurredAt: new Date(occurredAt),
      recordedAt: at,
      source: 'test',
      idempotencyKey: newId(),
      details,
    })
    const gusBought = { ...activity(gus, 'purchase', '2026-11-01T10:00:00Z'), totalMinor: 4000, currency: 'GBP' }
    await recordResolvedActivities(
      t.deps.db,
      [
        activity(fay, 'wishlist_add', '2026-10-10T10:00:00Z', { sku: 'LINEN' }),
        activity(gus, 'wishlist_add', '2026-10-12T10:00:00Z', { sku: 'LINEN' }),
        gusBought,
      ],
      [{ memberId: gus, activityId: gusBought.id, lineNo: 1, sku: 'LINEN', quantity: 1, unitPriceMinor: 4000, discountMinor: 0 }],
    )
    const reasons = async () =>
      (await call('GET', '/v1/outreach', as.sam)).json().items.map((i: { reason: string; memberId: string }) => `${i.reason}:${i.memberId}`)
    expect(await reasons()).not.toContain(`back_in_stock:${fay}`)

    const stockSystem = await apiKeyCaller(t.deps, ['catalog:write'])
    const feed = {
      items: [
        { sku: 'LINEN', inStock: true },
        { sku: 'NOPE', inStock: false },
      ],
    }
    const fed = await t.app.inject({ method: 'PUT', url: '/v1/products/stock', headers: stockSystem.headers, payload: feed })
    expect(fed.json()).toEqual({ changed: 1, backInStock: ['LINEN'], unknown: ['NOPE'] })
    // The feed again changes nothing; associates and read-only keys may not send it.
    expect((await t.app.inject({ method: 'PUT', url: '/v1/products/stock', headers: stockSystem.headers, payload: feed })).json().changed).toBe(0)
    expect((await t.app.inject({ method: 'PUT', url: '/v1/products/stock', headers: as.sam.headers, payload: feed })).statusCode).toBe(403)
    const reader = await apiKeyCaller(t.deps, ['members:read'])
    expect((await t.app.inject({ method: 'PUT', url: '/v1/products/stock', headers: reader.headers, payload: feed })).statusCode).toBe(403)
    const bad = await t.app.inject({ method: 'PUT', url: '/v1/products/stock', headers: stockSystem.headers, payload: { items: [{ sku: 'LINEN' }] } })
    expect(bad.statusCode).toBe(400)

    const list = (await call('GET', '/v1/outreach', as.sam)).json().items
    expect(list.find((i: { memberId: string }) => i.memberId === fay)).toMatchObject({
      reason: 'back_in_stock',
      why: 'Back in stock: Linen shirt, on their wishlist since 10 Oct 2026',
    })
    expect(list.map((i: { memberId: string }) => i.memberId)).not.toContain(gus) // he bought it since
    // A catalogue update that says nothing of stock leaves it as the stock system said.
    await upsertProducts(t.deps.db, [{ sku: 'LINEN', name: 'Linen shirt, white', category: ['Clothing', 'Shirts'] }], at)
    const products = (await t.app.inject({ method: 'GET', url: '/v1/products?q=LINEN', headers: as.sam.headers })).json().items
    expect(products[0]).toMatchObject({ name: 'Linen shirt, white', inStock: true, backInStockAt: at.toISOString() })
  })
})
