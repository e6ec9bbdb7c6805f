import { sql } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApp, testApp } from '../../../test/support/testing.js'
import type { Principal } from '../../platform/auth/principal.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { recordActivities, upsertStores } from '../activity/index.js'
import { mergeMembers } from '../identity/index.js'
import { enrolMembers } from '../members/index.js'
import { ledgerProblems } from './invariants.js'
import { runRewardJobs } from './jobs.js'
import { adjustPoints } from './points.js'
import { cancelRedemption, confirmRedemption, redeem, saveReward } from './redeem.js'
import { saveRule } from './rule-store.js'

const day = 86_400_000
const actor: Principal = {
  kind: 'staff',
  userId: newId(),
  displayName: 'Property',
  role: 'admin',
  storeIds: [],
  via: 'session',
  sessionId: 'p',
  csrfSecret: '',
}

type Step =
  | { do: 'buy'; who: number; pounds: number }
  | { do: 'return'; who: number; share: number }
  | { do: 'visit'; who: number }
  | { do: 'redeem'; who: number; after: 'confirm' | 'cancel' | 'leave' | 'online' }
  | { do: 'adjust'; who: number; points: number }
  | { do: 'wait'; days: number }
  | { do: 'merge'; into: number; from: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ do: fc.constant('buy' as const), who: fc.nat(2), pounds: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ do: fc.constant('return' as const), who: fc.nat(2), share: fc.double({ min: 0.1, max: 1, noNaN: true }) }),
  fc.record({ do: fc.constant('visit' as const), who: fc.nat(2) }),
  fc.record({
    do: fc.constant('redeem' as const),
    who: fc.nat(2),
    after: fc.constantFrom('confirm' as const, 'cancel' as const, 'leave' as const, 'online' as const),
  }),
  fc.record({ do: fc.constant('adjust' as const), who: fc.nat(2), points: fc.integer({ min: -200, max: 200 }).filter((n) => n !== 0) }),
  fc.record({ do: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ do: fc.constant('merge' as const), into: fc.nat(2), from: fc.nat(2) }),
)

describe('the points ledger under any sequence of earning, returns, redemptions, expiry and merges', () => {
  let t: TestApp
  let rewardId: string
  beforeAll(async () => {
    t = await testApp('2026-01-05T10:00:00Z')
    await upsertStores(t.deps.db, [{ id: newId(), code: 'S01', name: 'Camden', region: null, timezone: 'Europe/London' }])
    await saveRule(
      t.deps,
      { document: { name: 'Purchases', when: { kinds: ['purchase'] }, award: { perCurrencyUnit: 1 }, pendingDays: 14, explanation: '+{points}' } },
      actor,
    )
    await saveRule(t.deps, { document: { name: 'Visits', when: { kinds: ['store_visit'] }, award: { flat: 5 }, explanation: '+{points}' } }, actor)
    rewardId = (await saveReward(t.deps, { name: 'Treat', kind: 'free_product', cost: 40 }, actor)).id
  })
  afterAll(() => t.close())

  it('keeps every entry balanced, every balance equal to its postings and never negative, and lots equal to what is available', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        const ids = [newId(), newId(), newId()]
        const cards = ids.map(() => `9${Math.floor(Math.random() * 1e11)}`)
        const at = t.deps.clock.now()
        await enrolMembers(
          t.deps.db,
          ids.map((id, i) => ({ member: { id, joinedAt: at }, identifiers: [{ kind: 'card' as const, value: cards[i] }] })),
          { defaultRegion: 'GB', at },
        )
        const orders: { who: number; ref: string; pence: number }[] = []
        const merged = new Set<number>()
        for (const s of steps) {
          const now = t.deps.clock.now().toISOString()
          const activity = (who: number, extra: object) => ({
            member: { kind: 'card', value: cards[who] },
            channel: 'store',
            store: 'S01',
            occurredAt: now,
            source: 'prop',
            idempotencyKey: newId(),
            ...extra,
          })
          if (s.do === 'buy') {
            const ref = newId()
            orders.push({ who: s.who, ref, pence: s.pounds * 100 })
            await recordActivities(t.deps, [
              activity(s.who, { kind: 'purchase', orderRef: ref, lines: [{ sku: 'X', quantity: 1, unitPrice: s.pounds * 100 }] }),
            ])
          } else if (s.do === 'return' && orders.length) {
            const order = orders[Math.floor(s.share * (orders.length - 1))]
            const pence = Math.max(1, Math.floor(order.pence * s.share))
            await recordActivities(t.deps, [activity(order.who, { kind: 'return', returnOf: order.ref, lines: [{ sku: 'X', quantity: 1, unitPrice: pence }] })])
          } else if (s.do === 'visit') {
            await recordActivities(t.deps, [activity(s.who, { kind: 'store_visit' })])
          } else if (s.do === 'redeem' && !merged.has(s.who)) {
            const attempt = await redeem(t.deps, {
              memberId: ids[s.who],
              rewardId,
              idempotencyKey: newId(),
              sentBy: 'property-till',
              channel: 'store',
              reserve: s.after !== 'online',
            }).catch((e) => e)
            if (!(attempt instanceof Error) && s.after === 'confirm') await confirmRedemption(t.deps, attempt.id)
            if (!(attempt instanceof Error) && s.after === 'cancel') await cancelRedemption(t.deps, attempt.id)
          } else if (s.do === 'adjust' && !merged.has(s.who)) {
            await adjustPoints(t.deps, ids[s.who], s.points, 'property', actor).catch(() => undefined)
          } else if (s.do === 'wait') {
            t.deps.clock.advance(s.days * day)
            await runRewardJobs(t.deps)
          } else if (s.do === 'merge' && s.into !== s.from && !merged.has(s.into) && !merged.has(s.from)) {
            await mergeMembers(t.deps, ids[s.into], ids[s.from], actor)
            merged.add(s.from)
          }
        }
        expect(await ledgerProblems(t.deps.db)).toEqual([])
      }),
      { numRuns: 12 },
    )
    // Not vacuous: the runs earned, spent, expired and moved points.
    const kinds = await queryRows<{ kind: string }>(t.deps.db, sql`select distinct kind from ledger_entries`)
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['earn', 'release', 'reverse', 'expire', 'transfer']))
  }, 240_000)
})
