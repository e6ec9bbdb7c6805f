import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { type ActivityRow, recordResolvedActivities } from '../activity/index.js'

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
      ['Ann', 'Bo', 'Cy'].map((givenName) => ({ givenName, familyName: 'Shopper', homeStoreId: stores.S01 })),
    )
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
})
