import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol, sendActivity } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { upsertProducts } from '../activity/index.js'

const day = 86_400_000

describe('the rule builder’s dry run: a draft beside the rule’s current version, over a chosen period', () => {
  let t: TestApp
  let as: Record<'admin' | 'manager' | 'associate' | 'key' | 'ada', Caller>
  const [adaId, benId] = [newId(), newId()]
  let coffee: { id: string; version: number }
  const ago = (days: number) => new Date(t.deps.clock.now().getTime() - days * day).toISOString()
  const dryRun = (payload: object, caller: Caller = as.manager) => t.app.inject({ method: 'POST', url: '/v1/rules/simulate', headers: caller.headers, payload })
  const coffeeRule = {
    name: 'Coffee bonus',
    when: { kinds: ['purchase'], categories: ['Coffee & Tea'] },
    award: { perCurrencyUnit: 1 },
    explanation: '+{points}',
  }

  beforeAll(async () => {
    t = await testApp('2026-11-20T10:00:00Z')
    await addStores(t, [
      { code: 'S01', name: 'Camden' },
      { code: 'S02', name: 'Leeds' },
    ])
    await upsertProducts(t.deps.db, [
      { sku: 'BEANS', name: 'House beans', category: ['Coffee & Tea', 'Coffee beans'], brand: 'Hillside', priceMinor: 1000 },
      { sku: 'SHIRT', name: 'Linen shirt', category: ['Clothing', 'Shirts'], brand: 'Weaver', priceMinor: 5000 },
    ])
    await enrol(t, [
      { id: adaId, givenName: 'Ada', card: '2001' },
      { id: benId, givenName: 'Ben', card: '2002' },
    ])
    as = await callersFor(t, { admin: 'admin', manager: 'manager', associate: 'associate', key: { scopes: ['activity:write'] }, ada: { member: adaId } })
    const purchases = await t.app.inject({
      method: 'POST',
      url: '/v1/rules',
      headers: as.admin.headers,
      payload: { document: { name: 'Purchases', when: { kinds: ['purchase'] }, award: { perCurrencyUnit: 1 }, explanation: '+{points}' } },
    })
    expect(purchases.statusCode).toBe(201)
    const saved = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: as.admin.headers, payload: { document: coffeeRule } })
    coffee = saved.json()
    const buy = (card: string, store: string, sku: string, quantity: number, daysAgo: number) =>
      sendActivity(t, as.key, {
        kind: 'purchase',
        store,
        member: { kind: 'card', value: card },
        occurredAt: ago(daysAgo),
        lines: [{ sku, quantity, unitPrice: sku === 'BEANS' ? 1000 : 5000 }],
      })
    for (const sale of [
      await buy('2001', 'S01', 'BEANS', 2, 3), // Ada: £20 of coffee at Camden
      await buy('2002', 'S02', 'BEANS', 1, 5), // Ben: £10 of coffee at Leeds
      await buy('2002', 'S02', 'SHIRT', 1, 5), // and a shirt
      await buy('2001', 'S01', 'BEANS', 5, 40), // Ada, before the period
    ])
      expect(sale.statusCode).toBe(201)
    // Three minutes: on a machine shared by eight agents the default minute runs out before the app starts.
  }, 180_000)
  afterAll(() => t?.close())

  it('compares a draft with the rule’s current version over the period: members, points and points in money, writing nothing', async () => {
    const [{ n: before }] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from ledger_entries`)
    // Twice the points, but only on £15 of coffee or more: Ada's £20 earns 40, Ben's £10 nothing.
    const draft = { ...coffeeRule, when: { ...coffeeRule.when, minSpend: 1500 }, award: { perCurrencyUnit: 2 } }
    const result = await dryRun({ document: draft, ruleId: coffee.id, from: ago(30), to: t.deps.clock.now().toISOString() })
    expect(result.statusCode).toBe(200)
    expect(result.json()).toMatchObject({
      days: 30,
      activitiesReplayed: 3,
      membersAffected: 1,
      points: 40,
      value: { minor: 40, currency: 'GBP' },
      topMembers: [{ memberId: adaId, points: 40 }],
      current: { version: coffee.version, status: 'active', membersAffected: 2, points: 30, value: { minor: 30, currency: 'GBP' } },
    })
    // The purchase 40 days ago is outside the period; a longer one takes it in.
    expect((await dryRun({ document: draft, ruleId: coffee.id, days: 60 })).json()).toMatchObject({ points: 140, current: { points: 80 } })
    const [{ n: after }] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from ledger_entries`)
    expect(after).toBe(before)
  })

  it('runs a draft beside the rules in force, so a multiplier shows what it multiplies', async () => {
    const doubled = { name: 'Double points in Camden', when: { kinds: ['purchase'], stores: ['S01'] }, award: { multiplier: 2 }, explanation: '+{points}' }
    // Ada's £20 at Camden earns 20 from Purchases and 20 from the coffee bonus: doubling adds 40.
    expect((await dryRun({ document: doubled, days: 30 })).json()).toMatchObject({ membersAffected: 1, points: 40, current: null })
  })

  it('refuses a period the wrong way round, too long, or a rule that does not exist, saying which', async () => {
    const backwards = await dryRun({ document: coffeeRule, from: ago(1), to: ago(10) })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json()).toMatchObject({ type: '/problems/invalid-rule', errors: [{ field: 'body/to', message: 'The period must end after it starts' }] })
    const long = await dryRun({ document: coffeeRule, from: ago(400), to: ago(0) })
    expect(long.json().errors).toEqual([{ field: 'body/from', message: 'A dry run covers at most 366 days' }])
    expect((await dryRun({ document: coffeeRule, ruleId: newId() })).statusCode).toBe(404)
  })

  it('says what is wrong with a draft by the names the builder gives its fields', async () => {
    const tooMuch = await dryRun({ document: { ...coffeeRule, award: { flat: 200_000 } } })
    expect(tooMuch.statusCode).toBe(400)
    expect(tooMuch.json().errors).toEqual([{ field: 'body/document/award/flat', message: 'Fixed points can be at most 100,000' }])
    const nothing = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: as.admin.headers, payload: { document: { ...coffeeRule, award: {} } } })
    expect(nothing.json().errors).toEqual([
      { field: 'body/document/award', message: 'Give the rule something to award: points per pound, fixed points or a multiplier' },
    ])
    expect(nothing.json().detail).toBe('Give the rule something to award: points per pound, fixed points or a multiplier.')
  })

  it('lists what the builder’s conditions can name', async () => {
    const choices = await t.app.inject({ method: 'GET', url: '/v1/rules/choices', headers: as.manager.headers })
    expect(choices.statusCode).toBe(200)
    expect(choices.json()).toMatchObject({
      kinds: expect.arrayContaining([{ code: 'purchase', name: 'Purchase' }]),
      stores: [
        { code: 'S01', name: 'Camden' },
        { code: 'S02', name: 'Leeds' },
      ],
      categories: expect.arrayContaining(['Coffee & Tea', 'Coffee beans', 'Clothing']),
      brands: ['Hillside', 'Weaver'],
      tiers: expect.any(Array),
      currency: 'GBP',
      pointValueMinor: 1,
    })
  })

  it('is for managers and admins only: associates, members, API keys and strangers are refused', async () => {
    for (const caller of [as.associate, as.ada, as.key]) {
      expect((await dryRun({ document: coffeeRule }, caller)).statusCode).toBe(403)
      expect((await t.app.inject({ method: 'GET', url: '/v1/rules/choices', headers: caller.headers })).statusCode).toBe(403)
    }
    expect((await t.app.inject({ method: 'POST', url: '/v1/rules/simulate', payload: { document: coffeeRule } })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/v1/rules/choices' })).statusCode).toBe(401)
    expect((await dryRun({ document: coffeeRule }, as.admin)).statusCode).toBe(200)
  })
})
