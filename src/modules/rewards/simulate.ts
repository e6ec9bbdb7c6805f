import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { InvalidRule } from './rule-store.js'
import { type EarningActivity, earnedCounter, evaluate, type RuleDocument, ruleErrors } from './rules.js'

/**
 * Replays the last `days` of activity against a draft rule, alone, and reports what it would have
 * given: members affected and points. Reads only; caps and first-time conditions count from zero.
 */
export async function simulateRule({ db, clock }: Pick<Deps, 'db' | 'clock'>, document: unknown, days: number) {
  const errors = ruleErrors(document)
  if (errors.length) throw new InvalidRule(errors)
  const since = new Date(clock.now().getTime() - days * 86_400_000)
  const rows = await queryRows<{
    id: string
    member_id: string
    kind: string
    channel: string
    store_code: string | null
    store_name: string | null
    occurred_at: Date
    details: Record<string, unknown>
    lines: EarningActivity['lines'] | null
    tier: string | null
  }>(
    db,
    sql`select a.id, a.member_id, a.kind, a.channel, s.code as store_code, s.name as store_name, a.occurred_at, a.details,
               (select t.tier from member_tiers t where t.member_id = a.member_id) as tier,
               (select json_agg(json_build_object('sku', l.sku, 'name', p.name, 'category', coalesce(p.category, '{}'), 'brand', p.brand,
                                                  'quantity', l.quantity, 'unitPriceMinor', l.unit_price_minor, 'discountMinor', l.discount_minor))
                  from activity_lines l left join products p on p.sku = l.sku
                 where l.member_id = a.member_id and l.activity_id = a.id) as lines
          from activities a left join stores s on s.id = a.store_id
         where a.occurred_at >= ${since} and a.kind <> 'return'
         order by a.occurred_at`,
  )
  const rule = { id: 'draft', version: 0, document: document as RuleDocument, startsAt: null, endsAt: null }
  const earned = earnedCounter()
  const perMember = new Map<string, number>()
  let awarded = 0
  for (const r of rows) {
    const activity: EarningActivity = {
      id: r.id,
      memberId: r.member_id,
      kind: r.kind,
      channel: r.channel,
      storeCode: r.store_code,
      storeName: r.store_name,
      occurredAt: new Date(r.occurred_at),
      tier: r.tier,
      details: r.details,
      lines: r.lines ?? [],
    }
    const points = evaluate([rule], activity, earned).reduce((sum, a) => sum + a.points, 0)
    if (points > 0) {
      awarded++
      perMember.set(r.member_id, (perMember.get(r.member_id) ?? 0) + points)
    }
  }
  const total = [...perMember.values()].reduce((a, b) => a + b, 0)
  return {
    days,
    activitiesReplayed: rows.length,
    activitiesAwarded: awarded,
    membersAffected: perMember.size,
    points: total,
    topMembers: [...perMember]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([memberId, points]) => ({ memberId, points })),
  }
}
