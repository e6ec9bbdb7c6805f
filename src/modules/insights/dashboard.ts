import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import { type SegmentName, segmentNames } from './api-schemas.js'
import { quarterOf } from './refresh.js'
import { getInsightsSettings } from './settings.js'

/** Which members a figure covers: home stores (ids; undefined = all) and main channel. */
export interface MemberFilter {
  stores?: string[]
  channel?: string
}

/**
 * "Valuable, drifting", a condition on the `member_insights` row the caller names (`alias`, as its
 * query calls it): repeat buyers in the top quarter of lifetime value (chain-wide) with probability
 * alive under 0.5; one-time buyers, whom BG/NBD always calls alive, whose one basket was in the top
 * quarter of order values and who have stayed away twice their store's usual gap (`drifting_after`).
 */
export function atRisk(alias: string): SQL {
  const mi = sql.identifier(alias)
  return sql`((${mi}.repeat_purchases > 0 and ${mi}.p_alive < 0.5
               and ${mi}.clv_minor >= (select percentile_cont(0.75) within group (order by clv_minor) from member_insights where clv_minor is not null))
           or (${mi}.repeat_purchases = 0 and ${mi}.drifting_after <= ${mi}.as_of and ${mi}.orders > 0
               and ${mi}.spend_minor::float8 / ${mi}.orders >= (select percentile_cont(0.75) within group (order by spend_minor::float8 / orders)
                                                                   from member_insights where orders > 0)))`
}

/** A condition on the `member_insights` row aliased `alias` for a filter. */
export function whereMembers(filter: MemberFilter, alias = 'mi'): SQL {
  const mi = sql.identifier(alias)
  const parts: SQL[] = [sql`true`]
  if (filter.stores) parts.push(sql`${mi}.home_store_id = any(${sql.param(filter.stores)}::uuid[])`)
  if (filter.channel) parts.push(sql`${mi}.main_channel = ${filter.channel}`)
  return sql.join(parts, sql` and `)
}

/** When the figures were made; null before the first refresh. */
export async function lastRefresh(db: Db) {
  const [run] = await queryRows<{ as_of: Date; kind: string; seconds: number; members: number; models: Record<string, unknown> }>(
    db,
    sql`select as_of, kind, seconds, members, models from insights_runs order by as_of desc, started_at desc limit 1`,
  )
  return run ? { asOf: new Date(run.as_of).toISOString(), kind: run.kind, seconds: run.seconds, members: run.members, models: run.models } : null
}

export const quarterLabel = (date: string) => `${date.slice(0, 4)}-Q${Math.floor(Number(date.slice(5, 7)) / 3) + 1}`
export const quarterStart = (label: string) => `${label.slice(0, 4)}-${String((Number(label.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`

/**
 * Segment mix of a quarter, its movement over the last quarters, and the transition matrix from
 * the quarter before: how many members moved from each segment to each other.
 */
export async function segmentMix(db: Db, filter: MemberFilter, quarter?: string) {
  const settings = await getInsightsSettings(db)
  const run = await lastRefresh(db)
  const latest = run ? quarterOf(new Date(run.asOf)) : undefined
  const current = quarter ? quarterStart(quarter) : latest
  const where = sql.join(
    [
      sql`true`,
      ...(filter.stores ? [sql`home_store_id = any(${sql.param(filter.stores)}::uuid[])`] : []),
      ...(filter.channel ? [sql`main_channel = ${filter.channel}`] : []),
    ],
    sql` and `,
  )
  // Summed from the refresh's small count tables, not from each member's segments.
  const [byQuarter, transitions] = current
    ? await Promise.all([
        queryRows<{ quarter: string; segment: string; members: number }>(
          db,
          sql`select to_char(quarter, 'YYYY-MM-DD') as quarter, segment, sum(members)::int as members
                from segment_counts
               where ${where} and quarter <= ${current}::date and quarter > ${current}::date - interval '2 years'
               group by 1, 2 order by 1`,
        ),
        queryRows<{ from: SegmentName | 'none'; to: SegmentName; members: number }>(
          db,
          sql`select from_segment as from, to_segment as to, sum(members)::int as members
                from segment_moves where ${where} and quarter = ${current}::date group by 1, 2`,
        ),
      ])
    : [[], []]
  const quarters = [...new Set(byQuarter.map((r) => r.quarter))]
  return {
    quarter: current ? quarterLabel(current) : null,
    refreshedAt: run?.asOf ?? null,
    segments: [...segmentNames],
    mix: segmentNames.map((segment) => ({
      segment,
      members: byQuarter.find((r) => r.quarter === current && r.segment === segment)?.members ?? 0,
    })),
    byQuarter: quarters.map((q) => ({
      quarter: quarterLabel(q),
      ...Object.fromEntries(segmentNames.map((segment) => [segment, byQuarter.find((r) => r.quarter === q && r.segment === segment)?.members ?? 0])),
    })) as ({ quarter: string } & Record<SegmentName, number>)[],
    transitions,
    thresholds: settings.segments,
  }
}

const clvEdges = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000]

/** Lifetime value and probability alive across buying members: distributions and the at-risk count. */
export async function valueSummary(db: Db, filter: MemberFilter) {
  const where = whereMembers(filter)
  const [[totals], clv, alive, run] = await Promise.all([
    queryRows<{
      buyers: number
      one_time: number
      one_time_drifting: number
      total_clv: number
      avg_clv: number
      avg_alive: number
      expected: number
      at_risk: number
    }>(
      db,
      // P(alive) is the repeat buyers' only: BG/NBD gives every one-time buyer 1, however long ago they came.
      sql`select count(*)::int as buyers, count(*) filter (where mi.repeat_purchases = 0)::int as one_time,
                 count(*) filter (where mi.repeat_purchases = 0 and mi.drifting_after <= mi.as_of)::int as one_time_drifting,
                 coalesce(sum(clv_minor), 0)::bigint as total_clv, coalesce(avg(clv_minor), 0)::float8 as avg_clv,
                 coalesce(avg(p_alive) filter (where mi.repeat_purchases > 0), 0)::float8 as avg_alive, coalesce(sum(expected_purchases), 0)::float8 as expected,
                 count(*) filter (where ${atRisk('mi')})::int as at_risk
            from member_insights mi where ${where} and mi.p_alive is not null`,
    ),
    queryRows<{ bucket: number; members: number }>(
      db,
      sql`select width_bucket(clv_minor, ${sql.param(clvEdges)}::bigint[]) as bucket, count(*)::int as members
            from member_insights mi where ${where} and mi.clv_minor is not null group by 1 order by 1`,
    ),
    queryRows<{ bucket: number; members: number }>(
      db,
      sql`select least(floor(p_alive * 10), 9)::int as bucket, count(*)::int as members
            from member_insights mi where ${where} and mi.p_alive is not null and mi.repeat_purchases > 0 group by 1 order by 1`,
    ),
    lastRefresh(db),
  ])
  return {
    refreshedAt: run?.asOf ?? null,
    models: run?.models ?? {},
    buyers: totals.buyers,
    oneTimeBuyers: totals.one_time,
    oneTimeDrifting: totals.one_time_drifting,
    totalClvMinor: Number(totals.total_clv),
    averageClvMinor: Math.round(totals.avg_clv),
    averagePAlive: Number(totals.avg_alive.toFixed(3)),
    expectedPurchases: Math.round(totals.expected),
    atRisk: totals.at_risk,
    clvBuckets: clvEdges.map((from, i) => ({
      fromMinor: from,
      toMinor: clvEdges[i + 1] ?? null,
      members: clv.find((b) => b.bucket === i + 1)?.members ?? 0,
    })),
    pAliveBuckets: Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, members: alive.find((b) => b.bucket === i)?.members ?? 0 })),
  }
}

/**
 * Retention: for join cohorts (by month and by acquisition channel), the share who bought N months
 * after joining; repeat-purchase rate and time between purchases; omni- vs single-channel members.
 */
export async function retention(db: Db, filter: MemberFilter, months = 12) {
  const where = whereMembers(filter)
  // Cohorts are by acquisition channel, so here the channel filter is the channel members joined on.
  const cohortWhere = (alias: string) =>
    sql.join(
      [
        sql`true`,
        ...(filter.stores ? [sql`${sql.raw(alias)}.home_store_id = any(${sql.param(filter.stores)}::uuid[])`] : []),
        ...(filter.channel ? [sql`coalesce(${sql.raw(alias)}.joined_channel, 'unknown') = ${filter.channel}`] : []),
      ],
      sql` and `,
    )
  const run = await lastRefresh(db)
  const asOfMonth = run ? run.asOf.slice(0, 7) : null
  const [cohortSizes, cells, [buying], groups] = await Promise.all([
    queryRows<{ cohort: string; channel: string; members: number }>(
      db,
      sql`select to_char(mi.joined_month, 'YYYY-MM') as cohort, coalesce(mi.joined_channel, 'unknown') as channel, count(*)::int as members
            from member_insights mi where ${cohortWhere('mi')} group by 1, 2`,
    ),
    queryRows<{ cohort: string; channel: string; months_after: number; active: number }>(
      db,
      sql`select to_char(c.cohort_month, 'YYYY-MM') as cohort, c.joined_channel as channel, c.months_after, sum(c.active_members)::int as active
            from retention_cells c where ${cohortWhere('c')} and c.months_after < ${months} group by 1, 2, 3`,
    ),
    queryRows<{ buyers: number; repeaters: number; median_days: number | null }>(
      db,
      sql`select count(*)::int as buyers, count(*) filter (where repeat_purchases > 0)::int as repeaters,
                 percentile_cont(0.5) within group (order by recency_weeks * 7 / repeat_purchases) filter (where repeat_purchases > 0) as median_days
            from member_insights mi where ${where} and mi.repeat_purchases is not null`,
    ),
    queryRows<{ omni: boolean; members: number; spend: number; orders: number; repeaters: number; active: number; score: number }>(
      db,
      sql`select mi.channels >= 2 as omni, count(*)::int as members, avg(mi.spend_minor)::float8 as spend, avg(mi.orders)::float8 as orders,
                 count(*) filter (where mi.repeat_purchases > 0)::int as repeaters,
                 count(*) filter (where mi.last_purchase_at >= mi.as_of - interval '90 days')::int as active, avg(mi.score)::float8 as score
            from member_insights mi where ${where} and mi.orders > 0 group by 1`,
    ),
  ])
  const monthsOld = (cohort: string) =>
    asOfMonth ? (Number(asOfMonth.slice(0, 4)) - Number(cohort.slice(0, 4))) * 12 + Number(asOfMonth.slice(5, 7)) - Number(cohort.slice(5, 7)) : 0
  const curve = (keep: (row: { cohort: string; channel: string }) => boolean) => {
    const sizes = cohortSizes.filter(keep)
    return Array.from({ length: months }, (_, k) => {
      // Only cohorts that have lived through all of month k count towards it.
      const eligible = sizes.filter((c) => monthsOld(c.cohort) > k).reduce((n, c) => n + c.members, 0)
      const active = cells.filter((c) => keep(c) && c.months_after === k && monthsOld(c.cohort) > k).reduce((n, c) => n + c.active, 0)
      return eligible ? Number((active / eligible).toFixed(4)) : null
    })
  }
  const cohorts = [...new Set(cohortSizes.map((c) => c.cohort))].sort().slice(-months)
  const channels = [...new Set(cohortSizes.map((c) => c.channel))].sort()
  const omniGroup = (omni: boolean) => {
    const g = groups.find((r) => r.omni === omni)
    return {
      group: omni ? ('omni' as const) : ('single' as const),
      members: g?.members ?? 0,
      averageSpendMinor: Math.round(g?.spend ?? 0),
      averageOrders: Number((g?.orders ?? 0).toFixed(2)),
      repeatRate: g?.members ? Number((g.repeaters / g.members).toFixed(4)) : 0,
      active90d: g?.members ? Number((g.active / g.members).toFixed(4)) : 0,
      averageScore: Math.round(g?.score ?? 0),
    }
  }
  return {
    refreshedAt: run?.asOf ?? null,
    months,
    byJoinMonth: cohorts.map((cohort) => ({
      cohort,
      members: cohortSizes.filter((c) => c.cohort === cohort).reduce((n, c) => n + c.members, 0),
      retained: curve((c) => c.cohort === cohort),
    })),
    byChannel: channels.map((channel) => ({
      channel,
      members: cohortSizes.filter((c) => c.channel === channel).reduce((n, c) => n + c.members, 0),
      retained: curve((c) => c.channel === channel),
    })),
    repeatRate: buying.buyers ? Number((buying.repeaters / buying.buyers).toFixed(4)) : 0,
    medianDaysBetweenPurchases: buying.median_days === null ? null : Math.round(buying.median_days),
    omniVsSingle: [omniGroup(true), omniGroup(false)],
  }
}

/** Relationship scores: how they spread, what they are made of on average, and their monthly trend. */
export async function scoreSummary(db: Db, filter: MemberFilter) {
  const where = whereMembers(filter)
  const [spread, [parts], trend] = await Promise.all([
    queryRows<{ bucket: number; members: number }>(
      db,
      sql`select least(mi.score / 10, 9)::int as bucket, count(*)::int as members from member_insights mi where ${where} group by 1 order by 1`,
    ),
    queryRows<Record<string, number>>(
      db,
      sql`select coalesce(avg(mi.score), 0)::float8 as score,
                 coalesce(avg((mi.parts->>'recency')::float8), 0) as recency, coalesce(avg((mi.parts->>'frequency')::float8), 0) as frequency,
                 coalesce(avg((mi.parts->>'channels')::float8), 0) as channels, coalesce(avg((mi.parts->>'participation')::float8), 0) as participation,
                 coalesce(avg((mi.parts->>'social')::float8), 0) as social, coalesce(avg((mi.parts->>'advice')::float8), 0) as advice
            from member_insights mi where ${where}`,
    ),
    queryRows<{ month: string; score: number; members: number }>(
      db,
      sql`select to_char(h.month, 'YYYY-MM') as month, avg(h.score)::float8 as score, count(*)::int as members
            from member_score_history h join member_insights mi on mi.member_id = h.member_id
           where ${where} group by 1 order by 1`,
    ),
  ])
  const round = (n: number) => Number(n.toFixed(3))
  return {
    averageScore: Math.round(parts.score),
    parts: {
      recency: round(parts.recency),
      frequency: round(parts.frequency),
      channels: round(parts.channels),
      participation: round(parts.participation),
      social: round(parts.social),
      advice: round(parts.advice),
    },
    spread: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, members: spread.find((b) => b.bucket === i)?.members ?? 0 })),
    trend: trend.map((t) => ({ month: t.month, averageScore: Math.round(t.score), members: t.members })),
  }
}
