import { sql } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import type { Principal } from '../../platform/auth/principal.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { upsertProducts } from '../activity/index.js'
import { refreshInsights } from '../insights/index.js'
import { enrolMembers } from '../members/index.js'
import { saveReward } from '../rewards/index.js'
import { mergeMembers, unmergeMembers } from './index.js'

const admin: Principal = { kind: 'staff', userId: newId(), displayName: 'Chains', role: 'admin', storeIds: [], via: 'session', sessionId: 'c', csrfSecret: '' }

/** Up to five members and merges between them in any order; a merge of someone merged away is refused and skipped. */
const chains = fc.record({
  size: fc.integer({ min: 2, max: 5 }),
  merges: fc.array(fc.record({ into: fc.nat(4), from: fc.nat(4) }), { minLength: 1, maxLength: 6 }),
  writer: fc.nat(4),
})

describe('after any chain of merges, every module reads and writes the live member', () => {
  let t: TestApp
  let associate: Caller
  let manager: Caller
  let till: Caller
  let pos: Caller
  let rewardId: string
  beforeAll(async () => {
    t = await testApp()
    associate = await loginAs(t, 'associate')
    manager = await loginAs(t, 'manager')
    till = await apiKeyCaller(t.deps, ['rewards:redeem', 'suggestions:read'])
    pos = await apiKeyCaller(t.deps, ['activity:write'])
    rewardId = (await saveReward(t.deps, { name: 'Free coffee', kind: 'free_product', cost: 10, active: 'yes' }, admin)).id
  })
  afterAll(() => t.close())

  const call = async (caller: Caller, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) => {
    const response = await t.app.inject({ method, url, payload, headers: { ...caller.headers, ...headers } })
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`)
    return response.statusCode === 204 ? undefined : response.json()
  }
  const liveOf = async (id: string) => (await queryRows<{ id: string }>(t.deps.db, sql`select live_member(${id}::uuid) as id`))[0].id

  it('lands notes, conversations, follow-ups, taste, feedback, points, redemptions, activity, sessions and insights on the survivor', async () => {
    await fc.assert(
      fc.asyncProperty(chains, async ({ size, merges, writer }) => {
        const run = newId().slice(-8)
        const ids = Array.from({ length: size }, () => newId())
        const card = (i: number) => `chain-${run}-${i}`
        await enrolMembers(
          t.deps.db,
          ids.map((id, i) => ({
            member: { id, givenName: `M${i}`, joinedAt: new Date('2026-01-01T00:00:00Z') },
            identifiers: [{ kind: 'card' as const, value: card(i) }],
          })),
          { defaultRegion: 'GB', at: t.deps.clock.now() },
        )
        await queryRows(
          t.deps.db,
          sql`insert into consent_events (member_id, id, purpose, granted, at, source)
              select m, gen_random_uuid(), 'profiling', true, now(), 'test' from unnest(${sql.param(ids)}::uuid[]) m`,
        )
        // Logged in before the merges, as a member's phone stays logged in through them.
        const who = ids[writer % size]
        const session = await loginAs(t, 'member', { memberId: who })
        const done: string[] = []
        for (const { into, from } of merges) {
          const [survivor, merged] = [ids[into % size], ids[from % size]]
          if (survivor === merged || (await liveOf(survivor)) !== survivor || (await liveOf(merged)) !== merged) continue
          done.push((await mergeMembers(t.deps, survivor, merged, admin)).id)
        }
        // Every redirect names a live member: nobody follows more than one hop.
        const hops = await queryRows<{ n: number }>(
          t.deps.db,
          sql`select count(*)::int as n from members m join members n on n.id = m.merged_into where m.id = any(${sql.param(ids)}::uuid[]) and n.merged_into is not null`,
        )
        expect(hops[0].n).toBe(0)
        const live = await liveOf(who)
        const m = `/v1/members/${who}`

        await call(associate, 'POST', `${m}/notes`, { body: `note ${run}`, shareable: true })
        await call(associate, 'POST', `${m}/conversations`, { reason: 'visit', summary: `talk ${run}`, outcome: 'talked' })
        await call(associate, 'POST', `${m}/follow-ups`, { title: `call ${run}`, dueOn: '2026-11-10' })
        // A taste names what the catalogue holds: this run's brand.
        await upsertProducts(t.deps.db, [{ sku: `sku-${run}`, name: `Thing ${run}`, category: [], brand: `brand ${run}`, priceMinor: 500, currency: 'GBP' }])
        await call(associate, 'POST', `${m}/taste/preferences`, { kind: 'like', subjectKind: 'brand', subject: `brand ${run}` })
        await call(till, 'POST', `${m}/suggestions/feedback`, { sku: `sku-${run}`, event: 'dismissed' })
        await call(manager, 'POST', `${m}/points/adjustments`, { points: 50, reason: 'welcome back' })
        await call(till, 'POST', `${m}/redemptions`, { rewardId }, { 'idempotency-key': `chain-${run}` })
        const purchase = {
          kind: 'purchase',
          member: { kind: 'card', value: card(writer % size) },
          channel: 'web',
          occurredAt: '2026-10-20T10:00:00Z',
          source: 'chains',
          idempotencyKey: `buy-${run}`,
          orderRef: `o-${run}`,
          lines: [{ sku: `sku-${run}`, quantity: 1, unitPrice: 1200 }],
        }
        expect((await call(pos, 'POST', '/v1/activities/batch', { items: [purchase] })).results[0]).toMatchObject({ status: 'recorded', memberId: live })
        await refreshInsights(t.deps)

        // Read back through the live member's id and through the id the writer used: the same member.
        for (const id of new Set([live, who])) {
          const at = `/v1/members/${id}`
          expect((await call(associate, 'GET', `${at}/notes`)).items.map((n: { body: string }) => n.body)).toContain(`note ${run}`)
          expect((await call(associate, 'GET', `${at}/conversations`)).items.map((c: { summary: string }) => c.summary)).toContain(`talk ${run}`)
          expect((await call(associate, 'GET', `${at}/follow-ups`)).items.map((f: { title: string }) => f.title)).toContain(`call ${run}`)
          const taste = await call(associate, 'GET', `${at}/taste`)
          expect(taste.preferences.map((p: { subject: string }) => p.subject)).toContain(`brand ${run}`)
          expect(await call(till, 'GET', `${at}/points`)).toMatchObject({ available: 40, reserved: 10 })
          expect(await call(associate, 'GET', `${at}/summary`)).toMatchObject({ memberId: live, purchases: 1 })
          expect(await call(associate, 'GET', `${at}/insights`)).toMatchObject({ orders12m: 1 })
        }
        const feedback = await queryRows<{ member_id: string }>(t.deps.db, sql`select member_id from suggestion_feedback where sku = ${`sku-${run}`}`)
        expect(feedback.map((f) => f.member_id)).toEqual([live])
        // The member logged in before the merges sees the survivor's home, points, redemptions and notes.
        expect((await call(session, 'GET', '/v1/me')).member.id).toBe(live)
        expect(await call(session, 'GET', '/v1/me/points')).toMatchObject({ available: 40 })
        expect((await call(session, 'GET', '/v1/me/redemptions')).items).toHaveLength(1)
        expect((await call(session, 'GET', '/v1/me/notes')).items.map((n: { body: string }) => n.body)).toContain(`note ${run}`)
        expect((await call(session, 'GET', '/v1/me/taste')).preferences.map((p: { subject: string }) => p.subject)).toContain(`brand ${run}`)

        // Undone newest first, every member stands alone again.
        for (const mergeId of done.reverse()) await unmergeMembers(t.deps, mergeId, admin)
        const left = await queryRows<{ n: number }>(
          t.deps.db,
          sql`select count(*)::int as n from members where id = any(${sql.param(ids)}::uuid[]) and merged_into is not null`,
        )
        expect(left[0].n).toBe(0)
      }),
      // A → B → C, written for A: the note must show on C.
      {
        numRuns: 6,
        examples: [
          [
            {
              size: 3,
              merges: [
                { into: 1, from: 0 },
                { into: 2, from: 1 },
              ],
              writer: 0,
            },
          ],
        ],
      },
    )
  })
})
