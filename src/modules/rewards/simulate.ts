import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { NotFound } from '../../platform/http/problems.js'
import { activeRules, InvalidRule, listRules } from './rule-store.js'
import { type EarningActivity, earnedCounter, evaluate, type Rule, type RuleDocument, ruleErrors } from './rules.js'

const dayMs = 86_400_000
/** The longest period a dry run replays: a year, leap day included. */
export const longestDryRunDays = 366

export interface DryRunInput {
  document: unknown
  /** The period: `from` (inclusive) to `to` (exclusive); without them, the `days` before now. */
  from?: string
  to?: string
  days?: number
  /** The draft's own first and last moments, as it would be saved. */
  startsAt?: string | null
  endsAt?: string | null
  /** The rule the draft would replace: compared with its current version, and left out of the rules it runs beside. */
  ruleId?: string
}

/** What one version would have given over the period. */
export interface DryRunFigures {
  activitiesAwarded: number
  membersAffected: number
  points: number
  /** The points in money, at what a point costs the programme (REGULARS_POINT_VALUE_MINOR). */
  value: { minor: number; currency: string }
  topMembers: { memberId: string; points: number }[]
}

/**
 * Replays the period's activity against a draft rule, beside the rules in force (so a multiplier
 * multiplies what they give), and reports what the draft alone would have added: members, points,
 * points in money. With `ruleId`, the rule's current version is replayed over the same activity
 * the same way, for a side-by-side comparison. Reads only; caps and first-time conditions count from
 * the start of the period.
 */
export async function dryRunRule({ db, clock, config }: Pick<Deps, 'db' | 'clock' | 'config'>, input: DryRunInput) {
  const errors = ruleErrors(input.document)
  if (errors.length) throw new InvalidRule(errors)
  const to = input.to ? new Date(input.to) : clock.now()
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - (input.days ?? 30) * dayMs)
  if (from >= to) throw new InvalidRule([{ field: 'body/to', message: 'The period must end after it starts' }])
  if (to.getTime() - from.getTime() > longestDryRunDays * dayMs) {
    throw new InvalidRule([{ field: 'body/from', message: `A dry run covers at most ${longestDryRunDays} days` }])
  }
  const current = input.ruleId ? (await listRules(db)).find((r) => r.id === input.ruleId) : undefined
  if (input.ruleId && !current) throw new NotFound('Rule', input.ruleId)
  const beside = (await activeRules(db)).filter((r) => r.id !== input.ruleId)

  // Up to now means up to and including this instant: a till's sale a moment ago counts.
  const activities = await activitiesBetween(db, from, input.to ? to : new Date(to.getTime() + 1))
  const draft: Rule = {
    id: 'draft',
    version: 0,
    document: input.document as RuleDocument,
    startsAt: input.startsAt ? new Date(input.startsAt) : null,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
  }
  const figures = (rule: Rule): DryRunFigures => {
    const earned = earnedCounter()
    const perMember = new Map<string, number>()
    let awarded = 0
    for (const activity of activities) {
      const points = evaluate([...beside, rule], activity, earned)
        .filter((a) => a.rule.id === rule.id)
        .reduce((sum, a) => sum + a.points, 0)
      if (points > 0) {
        awarded++
        perMember.set(activity.memberId, (perMember.get(activity.memberId) ?? 0) + points)
      }
    }
    const points = [...perMember.values()].reduce((a, b) => a + b, 0)
    return {
      activitiesAwarded: awarded,
      membersAffected: perMember.size,
      points,
      value: { minor: Math.round(points * config.pointValueMinor), currency: config.currency },
      topMembers: [...perMember]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([memberId, points]) => ({ memberId, points })),
    }
  }
  return {
    days: Math.round(((to.getTime() - from.getTime()) / dayMs) * 10) / 10,
    from: from.toISOString(),
    to: to.toISOString(),
    activitiesReplayed: activities.length,
    ...figures(draft),
    current: current ? { version: current.version, status: current.status, ...figures(current) } : null,
  }
}

/** The period's activity as rules see it (returns take points back, they earn none). */
async function activitiesBetween(db: Deps['db'], from: Date, to: Date): Promise<EarningActivity[]> {
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
         where a.occurred_at >= ${from} and a.occurred_at < ${to} and a.kind <> 'return'
         order by a.occurred_at`,
  )
  return rows.map((r) => ({
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
  }))
}
