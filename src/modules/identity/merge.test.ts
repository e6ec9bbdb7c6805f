import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'

describe('merging two members who are one person, and undoing it', () => {
  let t: TestApp
  let as: Record<'manager' | 'pos' | 'reader', Caller>
  const ada = newId()
  const adaAgain = newId()
  beforeAll(async () => {
    t = await testApp()
    await enrol(t, [
      { id: ada, givenName: 'Ada', familyName: 'Lovelace', birthDate: '1985-12-10', card: '1111' },
      {
        id: adaAgain,
        givenName: 'Ada',
        familyName: 'Lovelace',
        email: 'ada@example.test',
        postcode: 'NW1 6XE',
        identifiers: [{ kind: 'email', value: 'ada@example.test' }],
      },
    ])
    as = await callersFor(t, { manager: 'manager', pos: { scopes: ['activity:write'] }, reader: { scopes: ['members:read'] } })
    const visit = (identifier: object, key: string) => ({
      kind: 'store_visit',
      member: identifier,
      channel: 'store',
      occurredAt: '2026-10-01T10:00:00Z',
      source: 'test',
      idempotencyKey: key,
    })
    await t.app.inject({
      method: 'POST',
      url: '/v1/activities/batch',
      headers: as.pos.headers,
      payload: {
        items: [
          visit({ kind: 'card', value: '1111' }, 'v1'),
          visit({ kind: 'email', value: 'ada@example.test' }, 'v2'),
          visit({ kind: 'email', value: 'ada@example.test' }, 'v3'),
        ],
      },
    })
  })
  afterAll(() => t.close())

  const summary = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/members/${id}/summary`, headers: as.reader.headers })).json()
  const merge = (survivorId: string, mergedId: string, caller = as.manager) =>
    t.app.inject({ method: 'POST', url: '/v1/members/merges', headers: caller.headers, payload: { survivorId, mergedId } })

  it('moves identifiers and history to the survivor and leaves a redirect', async () => {
    const associate = await loginAs(t, 'associate')
    expect((await merge(ada, adaAgain, associate)).statusCode).toBe(403)
    const response = await merge(ada, adaAgain)
    expect(response.statusCode).toBe(201)
    expect((await summary(ada)).visits).toBe(3)
    // The old id still finds the person, and so does the old email.
    expect((await summary(adaAgain)).memberId).toBe(ada)
    const byEmail = await t.app.inject({ method: 'GET', url: '/v1/members/lookup?kind=email&value=ada@example.test', headers: as.reader.headers })
    expect(byEmail.json().id).toBe(ada)
    const card = (await t.app.inject({ method: 'GET', url: `/v1/members/${ada}`, headers: as.reader.headers })).json()
    expect(card.member).toMatchObject({ email: 'ada@example.test', postcode: 'NW1 6XE', birthDate: '1985-12-10' })
    const events = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from outbox_events where topic = 'member.merged'`)
    expect(events[0].n).toBe(1)
  })

  it('refuses to merge a member into themself or into someone already merged', async () => {
    expect((await merge(ada, ada)).json().type).toBe('/problems/cannot-merge')
    expect((await merge(adaAgain, ada)).statusCode).toBe(409)
  })

  it('sends new activity for an old identifier to the survivor', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: as.pos.headers,
      payload: {
        kind: 'store_visit',
        member: { kind: 'email', value: 'ada@example.test' },
        channel: 'store',
        occurredAt: '2026-10-05T10:00:00Z',
        source: 'test',
        idempotencyKey: 'v4',
      },
    })
    expect((await summary(ada)).visits).toBe(4)
  })

  it('unmerges exactly what moved, audited both ways', async () => {
    const [merge] = (await t.app.inject({ method: 'GET', url: `/v1/members/${ada}/merges`, headers: as.manager.headers })).json().items
    const undone = await t.app.inject({ method: 'POST', url: `/v1/members/merges/${merge.id}/unmerge`, headers: as.manager.headers })
    expect(undone.json().unmergedAt).not.toBeNull()
    expect((await summary(adaAgain)).memberId).toBe(adaAgain)
    expect((await summary(adaAgain)).visits).toBe(2)
    expect((await summary(ada)).visits).toBe(2) // v1, and v4 which arrived while merged
    const card = (await t.app.inject({ method: 'GET', url: `/v1/members/${ada}`, headers: as.reader.headers })).json()
    expect(card.member.email).toBeNull()
    expect(card.identifiers.map((i: { kind: string }) => i.kind)).toEqual(['card'])
    const again = await t.app.inject({ method: 'POST', url: `/v1/members/merges/${merge.id}/unmerge`, headers: as.manager.headers })
    expect(again.statusCode).toBe(404)
    const admin = await loginAs(t, 'admin')
    const actions = (await t.app.inject({ method: 'GET', url: '/v1/audit', headers: admin.headers })).json().items.map((e: { action: string }) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['member.merged', 'member.unmerged']))
  })
})
