import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { apiKeyCaller, type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { type ActivityRow, recordResolvedActivities } from '../activity/index.js'
import { setConsents, setMarketingChannels } from '../members/index.js'
import { refreshInsights } from './refresh.js'

/** An associate's day at Covent Garden on 30 October 2026: who came in, who bought, who they talked to. */
describe('associate scorecards', () => {
  let t: TestApp
  let as: Record<'sam' | 'manager' | 'otherManager' | 'associate', Caller>
  let stores: Record<string, string>
  let sam: string
  let ids: string[]
  const row = (memberId: string, kind: string, at: string, details: Record<string, unknown> = {}): ActivityRow => {
    const id = newId()
    return {
      id,
      memberId,
      kind,
      channel: 'store',
      storeId: stores.S01,
      occurredAt: new Date(`2026-10-30T${at}:00Z`),
      recordedAt: new Date('2026-10-30T18:00:00Z'),
      source: 'till',
      idempotencyKey: id,
      ...(kind === 'purchase' ? { orderRef: id, totalMinor: 4500, currency: 'GBP' } : {}),
      details,
    }
  }
  const scorecard = async (who: Caller = as.manager, query = 'from=2026-10-01&to=2026-11-01') => {
    const response = await t.app.inject({ method: 'GET', url: `/v1/insights/scorecards/associates?${query}`, headers: who.headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  beforeAll(async () => {
    t = await testApp('2026-11-01T12:00:00Z')
    stores = await addStores(t, [
      { code: 'S01', name: 'Covent Garden' },
      { code: 'S02', name: 'Leeds' },
    ])
    ids = await enrol(
      t,
      ['Ann', 'Bo', 'Cy'].map((givenName, i) => ({
        givenName,
        familyName: 'Shopper',
        homeStoreId: stores.S01,
        joinedAt: new Date('2026-09-01T09:00:00Z'),
        email: `${givenName.toLowerCase()}@example.test`,
        phone: `+44770090012${i}`,
      })),
    )
    // Ann allows offers by email only; Bo on every channel but text messages; Cy by text message only.
    const at = t.deps.clock.now()
    await setMarketingChannels(t.deps.db, ids[0], { email: true }, at, { source: 'test' })
    await setConsents(t.deps.db, ids[1], { marketing: true }, at, { source: 'test' })
    await setMarketingChannels(t.deps.db, ids[1], { sms: false }, at, { source: 'test' })
    await setMarketingChannels(t.deps.db, ids[2], { sms: true }, at, { source: 'test' })
    as = await callersFor(t, {
      sam: { role: 'associate', storeIds: [stores.S01] },
      associate: { role: 'associate', storeIds: [stores.S01] },
      manager: { role: 'manager', storeIds: [stores.S01] },
      otherManager: { role: 'manager', storeIds: [stores.S02] },
    })
    ;[{ email: sam }] = await queryRows<{ email: string }>(t.deps.db, sql`select email from users where id = ${as.sam.userId}`)
    await recordResolvedActivities(
      t.deps.db,
      [
        // Ann comes in and Sam sells her something: her visit is Sam's.
        row(ids[0], 'store_visit', '10:00'),
        row(ids[0], 'purchase', '10:30', { associate: sam }),
        // Bo comes in and buys nothing, but Sam logs their talk: his visit is Sam's too.
        row(ids[1], 'store_visit', '11:00'),
        // Cy comes in and nobody serves her: her visit is nobody's.
        row(ids[2], 'store_visit', '12:00'),
      ],
      [],
    )
    const talk = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${ids[1]}/conversations`,
      headers: as.sam.headers,
      payload: { reason: 'visit', summary: 'Asked about grinders', outcome: 'talked', at: '2026-10-30T11:10:00Z' },
    })
    expect(talk.statusCode, talk.body).toBe(201)
  })
  afterAll(() => t.close())

  it('counts the store visits of the members an associate served that day, with their conversations', async () => {
    const card = await scorecard()
    const row = card.rows.find((r: { key: string }) => r.key === sam)
    expect(row.name).toBe('Test associate')
    expect(row.current).toMatchObject({ storeVisits: 2, orders: 1, conversations: 1, membersServed: 1 })
    // Nobody served Cy: no associate gets her visit.
    const total = card.rows.reduce((n: number, r: { current: { storeVisits: number } }) => n + r.current.storeVisits, 0)
    expect(total).toBe(2)
  })

  it('exports the scorecard in the CSV convention: snake_case, money in pounds with the currency, ISO days', async () => {
    const csv = await t.app.inject({
      method: 'GET',
      url: '/v1/insights/scorecards/associates?from=2026-10-01&to=2026-11-01&format=csv',
      headers: as.manager.headers,
    })
    const [header, ...rows] = csv.body.trim().split('\n')
    const columns = header.split(',')
    expect(columns.slice(0, 6)).toEqual(['associate', 'detail', 'period_from', 'period_to', 'members_served', 'members_served_before'])
    expect(columns).toEqual(expect.arrayContaining(['sales', 'sales_before', 'store_visits', 'suggestions_accepted', 'currency']))
    const cells = Object.fromEntries(columns.map((c, i) => [c, rows.find((r) => r.startsWith('Test associate,S01'))?.split(',')[i]]))
    expect(cells).toMatchObject({ period_from: '2026-10-01', period_to: '2026-10-31', sales: '45', store_visits: '2', currency: 'GBP' })
  })

  it('puts in the outreach export only the contact details each member allows marketing by', async () => {
    await refreshInsights(t.deps)
    const csv = await t.app.inject({ method: 'GET', url: '/v1/insights/members?format=csv', headers: as.manager.headers })
    const [header, ...rows] = csv.body.trim().split('\n')
    const columns = header.split(',')
    const contact = (name: string) => {
      const cells = rows.find((r) => r.includes(name))?.split(',') ?? []
      return { email: cells[columns.indexOf('email')], phone: cells[columns.indexOf('phone')] }
    }
    expect(contact('Ann Shopper')).toEqual({ email: 'ann@example.test', phone: '' })
    expect(contact('Bo Shopper')).toEqual({ email: 'bo@example.test', phone: '' })
    expect(contact('Cy Shopper')).toEqual({ email: '', phone: '+447700900122' })
    expect(columns).toEqual(expect.arrayContaining(['last_purchase_on', 'one_time_buyer', 'currency']))
  })

  it('lets a manager set monthly targets for their store and associates, audited, and shows them with the scorecard', async () => {
    const put = (who: Caller, payload: object) => t.app.inject({ method: 'PUT', url: '/v1/insights/targets', headers: who.headers, payload })
    const set = await put(as.manager, { dimension: 'associate', who: sam.toUpperCase(), figure: 'storeVisits', monthly: 10 })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json().items).toEqual([
      expect.objectContaining({ dimension: 'associate', key: sam, name: 'Test associate', store: 'S01', figure: 'storeVisits', monthly: 10 }),
    ])
    expect((await put(as.manager, { dimension: 'store', who: 'S01', figure: 'salesMinor', monthly: 500_000 })).statusCode).toBe(200)
    const card = await scorecard()
    expect(card.rows.find((r: { key: string }) => r.key === sam).targets).toEqual({ storeVisits: 10 })
    const stores = (await t.app.inject({ method: 'GET', url: '/v1/insights/scorecards/stores', headers: as.manager.headers })).json()
    expect(stores.rows[0].targets).toEqual({ salesMinor: 500_000 })
    const [audit] = await queryRows<{ after: { monthly: number } }>(
      t.deps.db,
      sql`select after from audit_entries where action = 'insights.target_set' and actor_id = ${as.manager.userId} order by at limit 1`,
    )
    expect(audit.after).toMatchObject({ dimension: 'associate', figure: 'storeVisits', monthly: 10 })
    // Taken away again: gone from the scorecard, and the removal is audited too.
    expect((await put(as.manager, { dimension: 'associate', who: sam, figure: 'storeVisits', monthly: null })).statusCode).toBe(200)
    expect((await scorecard()).rows.find((r: { key: string }) => r.key === sam).targets).toEqual({})
    const removed = await queryRows(t.deps.db, sql`select 1 from audit_entries where action = 'insights.target_removed'`)
    expect(removed).toHaveLength(1)
  })

  it('refuses targets to anyone but the store’s managers, and for people who are not staff', async () => {
    const put = (who: Caller | undefined, payload: object) => t.app.inject({ method: 'PUT', url: '/v1/insights/targets', headers: who?.headers ?? {}, payload })
    const target = { dimension: 'store', who: 'S01', figure: 'orders', monthly: 100 }
    expect((await put(as.otherManager, target)).statusCode).toBe(403) // Leeds' manager, Covent Garden's target
    expect((await put(as.otherManager, { ...target, dimension: 'associate', who: sam, store: 'S01' })).statusCode).toBe(403)
    expect((await put(as.associate, target)).statusCode).toBe(403)
    expect((await put(undefined, target)).statusCode).toBe(401)
    const reporting = await apiKeyCaller(t.deps, ['insights:read'])
    expect((await put(reporting, target)).statusCode).toBe(403)
    // A reporting key reads targets, as it reads the scorecards, but never sets them.
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/targets', headers: reporting.headers })).statusCode).toBe(200)
    const nobody = await put(as.manager, { ...target, dimension: 'associate', who: 'nobody@shop.test' })
    expect(nobody.statusCode).toBe(404)
    expect(nobody.json().type).toBe('/problems/unknown-associate')
    const zero = await put(as.manager, { ...target, monthly: 0 })
    expect(zero.statusCode).toBe(400)
    // Leeds' manager sees none of Covent Garden's targets.
    expect((await t.app.inject({ method: 'GET', url: '/v1/insights/targets', headers: as.otherManager.headers })).json().items).toEqual([])
  })
})
