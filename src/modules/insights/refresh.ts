import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { getInsightsSettings, type InsightsSettings } from './settings.js'
import { type ValueModels, valueModels } from './value.js'

/** Quarter and month starts, as the dates the tables key on. */
export const quarterOf = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), Math.floor(at.getUTCMonth() / 3) * 3, 1)).toISOString().slice(0, 10)
export const monthOf = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)).toISOString().slice(0, 10)

export interface RefreshSummary {
  kind: 'full' | 'incremental'
  asOf: string
  members: number
  seconds: number
  models: ValueModels
}

/**
 * Rebuilds every member's score, segments and value as of now, and the retention cohorts: set-based
 * SQL except the value models, which are fitted in TypeScript on per-member summaries. One
 * transaction, so the dashboards show the old figures until the new ones are complete.
 */
export async function refreshInsights(deps: Pick<Deps, 'db' | 'clock'>, options: { asOf?: Date } = {}): Promise<RefreshSummary> {
  const started = Date.now()
  const asOf = options.asOf ?? deps.clock.now()
  const settings = await getInsightsSettings(deps.db)
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`delete from member_insights`)
    await tx.execute(sql`delete from member_segments`)
    await tx.execute(sql`delete from retention_cells`)
    await forgetWithdrawn(tx)
    const members = await scoreMembers(tx, settings, asOf)
    await segmentMembers(tx, settings, asOf)
    const models = await valueModels(tx, settings)
    await markOneTimeBuyers(tx)
    await keepScoreHistory(tx, asOf)
    await countRetention(tx, asOf)
    await countSegments(tx)
    await countSales(tx, asOf)
    // Fresh planner statistics for tables that were just rebuilt, or the dashboards plan for the old ones.
    await tx.execute(sql`analyze member_insights, member_segments, segment_counts, segment_moves, sales_months, retention_cells`)
    return logRun(tx, { kind: 'full', asOf, members, started, models })
  })
}

/**
 * Refreshes only the members with activity recorded since the last refresh, using the value
 * models the last full refresh fitted; cohorts wait for the nightly full refresh.
 */
export async function refreshChangedMembers(deps: Pick<Deps, 'db' | 'clock'>, options: { asOf?: Date } = {}): Promise<RefreshSummary> {
  const started = Date.now()
  const asOf = options.asOf ?? deps.clock.now()
  const [last] = await queryRows<{ models: ValueModels }>(deps.db, sql`select models from insights_runs where kind = 'full' order by as_of desc limit 1`)
  if (!last) return refreshInsights(deps, { asOf })
  // Activity recorded while the last refresh ran may have been missed by it: look a little further back.
  const [since] = await queryRows<{ at: Date }>(deps.db, sql`select max(as_of) - interval '10 minutes' as at from insights_runs`)
  const settings = await getInsightsSettings(deps.db)
  return deps.db.transaction(async (tx) => {
    const changed = (
      await queryRows<{ member_id: string }>(
        tx,
        sql`select distinct coalesce(m.merged_into, a.member_id) as member_id
              from activities a join members m on m.id = a.member_id
             where a.recorded_at >= ${new Date(since.at)}`,
      )
    ).map((r) => r.member_id)
    await forgetWithdrawn(tx)
    if (changed.length) {
      const only = sql`${sql.param(changed)}::uuid[]`
      await tx.execute(sql`delete from member_insights where member_id = any(${only})`)
      await tx.execute(sql`delete from member_segments where member_id = any(${only})`)
      await scoreMembers(tx, settings, asOf, changed)
      await segmentMembers(tx, settings, asOf, changed)
      await valueModels(tx, settings, { members: changed, fitted: last.models })
      await markOneTimeBuyers(tx, changed)
      await keepScoreHistory(tx, asOf, changed)
      await countSegments(tx)
    }
    // This month's and last month's sales take in what was recorded since.
    await countSales(tx, asOf, new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 1, 1)))
    // Merged-away members keep no figures of their own.
    await tx.execute(sql`delete from member_insights mi using members m where m.id = mi.member_id and m.merged_into is not null`)
    return logRun(tx, { kind: 'incremental', asOf, members: changed.length, started, models: last.models })
  })
}

/**
 * Scores, segments and value predictions are profiling: a member (`m`) who withdrew profiling
 * consent gets none. Members who never answered are scored under the programme's legitimate
 * interest (docs/insights.md); an erased member is an anonymous id, no person, and is still counted
 * so that the totals stay true.
 */
const profiled = sql`(m.erased_at is not null or not exists (
  select 1 from member_consents c where c.member_id = m.id and c.purpose = 'profiling' and c.granted = 'no'))`

/** Drops every per-member figure of members who withdrew profiling consent since the last refresh. */
export async function forgetWithdrawn(db: Db, only?: string[]) {
  const withdrawn = sql`select c.member_id from member_consents c join members m on m.id = c.member_id
                         where c.purpose = 'profiling' and c.granted = 'no' and m.erased_at is null ${memberFilter(sql`c.member_id`, only)}`
  for (const table of ['member_insights', 'member_segments', 'member_score_history'])
    await db.execute(sql`delete from ${sql.identifier(table)} where member_id in (${withdrawn})`)
}

const memberFilter = (column: SQL, members?: string[]) => (members ? sql`and ${column} = any(${sql.param(members)}::uuid[])` : sql``)
const textArray = (values: string[]) => sql`${sql.param(values)}::text[]`

/** The relationship score and its parts (docs/insights.md), and the summaries the value models need. */
async function scoreMembers(db: Db, s: InsightsSettings, asOf: Date, members?: string[]) {
  const from = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - s.windowMonths, asOf.getUTCDate(), asOf.getUTCHours()))
  const w = s.weights
  const total = w.recency + w.frequency + w.channels + w.participation + w.social + w.advice
  const [{ count }] = await queryRows<{ count: number }>(
    db,
    sql`with recent as (
          select member_id, max(occurred_at) as last_any,
                 count(distinct coalesce(order_ref, id::text)) filter (where kind = 'purchase') as orders,
                 coalesce(sum(total_minor) filter (where kind in ('purchase', 'return')), 0) as spend,
                 count(distinct channel) as channels,
                 mode() within group (order by channel) as main_channel,
                 count(distinct kind) filter (where kind <> all(${textArray(s.routineKinds)})) as taking_part,
                 count(*) filter (where kind = any(${textArray(s.socialKinds)})) as social,
                 count(*) filter (where kind = any(${textArray(s.adviceKinds)})) as advice
            from activities
           where occurred_at >= ${from} and occurred_at < ${asOf} ${memberFilter(sql`member_id`, members)}
           group by member_id),
        days as (
          select member_id, day, value, row_number() over (partition by member_id order by day) as nth
            from (select member_id, (occurred_at at time zone 'UTC')::date as day, sum(total_minor) as value
                    from activities where kind = 'purchase' and occurred_at < ${asOf} ${memberFilter(sql`member_id`, members)}
                   group by 1, 2) d),
        buying as (
          select member_id, count(*) - 1 as repeats, min(day) as first_day, max(day) as last_day,
                 sum(value) filter (where nth > 1) as repeat_value
            from days group by member_id),
        friends as (
          select member_id, count(*) as n
            from (select referrer_id as member_id from referrals union all select member_id from referrals) r group by member_id),
        parts as (
          select m.id as member_id, m.home_store_id, m.joined_at, m.joined_channel, r.main_channel,
                 coalesce(r.channels, 0) as channels, coalesce(r.orders, 0) as orders, coalesce(r.spend, 0) as spend,
                 b.repeats, b.first_day, b.last_day, b.repeat_value,
                 case when r.last_any is null then 0
                      else power(0.5, extract(epoch from ${asOf}::timestamptz - r.last_any) / 86400 / ${s.recencyHalfLifeDays}) end as recency,
                 least(1, ln(1 + coalesce(r.orders, 0)) / ln(1 + ${s.frequencyTarget})) as frequency,
                 least(1, coalesce(r.channels, 0)::float8 / ${s.channelsTarget}) as breadth,
                 least(1, coalesce(r.taking_part, 0)::float8 / ${s.participationTarget}) as participation,
                 least(1, (coalesce(r.social, 0) + coalesce(f.n, 0))::float8 / ${s.socialTarget}) as social,
                 least(1, coalesce(r.advice, 0)::float8 / ${s.adviceTarget}) as advice
            from members m
            left join recent r on r.member_id = m.id
            left join buying b on b.member_id = m.id
            left join friends f on f.member_id = m.id
           where m.merged_into is null and m.joined_at < ${asOf} and ${profiled} ${memberFilter(sql`m.id`, members)}),
        inserted as (
          insert into member_insights (member_id, as_of, score, parts, home_store_id, joined_month, joined_channel, main_channel, channels, orders,
                                       spend_minor, first_purchase_at, last_purchase_at, repeat_purchases, recency_weeks, age_weeks, avg_repeat_value_minor)
          select member_id, ${asOf},
                 round(100 * (${w.recency} * recency + ${w.frequency} * frequency + ${w.channels} * breadth + ${w.participation} * participation
                              + ${w.social} * social + ${w.advice} * advice) / ${total})::int,
                 jsonb_build_object('recency', round(recency::numeric, 3), 'frequency', round(frequency::numeric, 3), 'channels', round(breadth::numeric, 3),
                                    'participation', round(participation::numeric, 3), 'social', round(social::numeric, 3), 'advice', round(advice::numeric, 3)),
                 home_store_id, date_trunc('month', joined_at at time zone 'UTC')::date, joined_channel, main_channel, channels, orders, spend,
                 first_day, last_day, repeats, (last_day - first_day) / 7.0, ((${asOf}::timestamptz at time zone 'UTC')::date - first_day) / 7.0,
                 case when repeats > 0 then repeat_value::float8 / repeats end
            from parts
          returning 1)
        select count(*)::int as count from inserted`,
  )
  return count
}

/**
 * Each member's segment per quarter from their first purchase on: a quarter leans on price when
 * most of its spend was discounted and the member hardly took part; fluctuating members lean both
 * ways within the lookback; new is the first quarter, lapsed is no purchase for a while.
 */
async function segmentMembers(db: Db, s: InsightsSettings, asOf: Date, members?: string[]) {
  const lookback = sql.raw(String(s.segments.lookbackQuarters - 1))
  const lapsed = sql.raw(String(s.segments.lapsedAfterQuarters - 1))
  await db.execute(
    sql`with bought as (
          select a.member_id, date_trunc('quarter', a.occurred_at at time zone 'UTC')::date as quarter, count(distinct a.id) as orders,
                 sum(l.quantity * l.unit_price_minor) as gross,
                 coalesce(sum(l.quantity * l.unit_price_minor) filter (where l.discount_minor > 0), 0) as promo
            from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id
           where a.kind = 'purchase' and a.occurred_at < ${asOf} ${memberFilter(sql`a.member_id`, members)}
           group by 1, 2),
        took_part as (
          select member_id, date_trunc('quarter', occurred_at at time zone 'UTC')::date as quarter, count(*) as n
            from activities
           where kind <> all(${textArray(s.routineKinds)}) and occurred_at < ${asOf} ${memberFilter(sql`member_id`, members)}
           group by 1, 2),
        firsts as (select member_id, min(quarter) as first_quarter from bought group by member_id),
        grid as (
          select f.member_id, q::date as quarter, f.first_quarter
            from firsts f join members m on m.id = f.member_id and m.merged_into is null and ${profiled}
            cross join lateral generate_series(f.first_quarter, ${quarterOf(asOf)}::date, interval '3 months') q),
        leaning as (
          select g.member_id, g.quarter, g.first_quarter, coalesce(b.orders, 0)::int as orders,
                 case when b.gross > 0 then b.promo::float8 / b.gross end as promo_share, coalesce(t.n, 0)::int as participation,
                 case when b.orders is null then null
                      when b.gross > 0 and b.promo::float8 / b.gross >= ${s.segments.priceShare} and coalesce(t.n, 0) < ${s.segments.participationBelow} then 'price'
                      else 'relationship' end as lean
            from grid g left join bought b using (member_id, quarter) left join took_part t using (member_id, quarter)),
        windowed as (
          select *, sum(orders) over lapsed_window as recent_orders,
                 bool_or(lean = 'price') over lookback_window as leaned_price,
                 bool_or(lean = 'relationship') over lookback_window as leaned_relationship
            from leaning
          window lapsed_window as (partition by member_id order by quarter rows between ${lapsed} preceding and current row),
                 lookback_window as (partition by member_id order by quarter rows between ${lookback} preceding and current row))
        insert into member_segments (member_id, quarter, segment, lean, orders, promo_share, participation)
        select member_id, quarter,
               case when quarter = first_quarter then 'new'
                    when recent_orders = 0 then 'lapsed'
                    when leaned_price and leaned_relationship then 'fluctuating'
                    when leaned_price then 'price_driven'
                    else 'relationship_driven' end,
               lean, orders, promo_share, participation
          from windowed`,
  )
  await db.execute(
    sql`update member_insights mi set segment = s.segment
          from member_segments s
         where s.member_id = mi.member_id and s.quarter = ${quarterOf(asOf)}::date ${memberFilter(sql`mi.member_id`, members)}`,
  )
}

/**
 * When each one-time buyer counts as drifting: twice the usual gap between purchases (the median of
 * repeat buyers' average gap) of their home store after their one purchase, or the chain's where the
 * store has no repeat buyers yet. BG/NBD's P(alive) is 1 for anyone without a repeat purchase, so it
 * cannot say this for them.
 */
async function markOneTimeBuyers(db: Db, members?: string[]) {
  await db.execute(
    sql`with gaps as (
          select home_store_id, grouping(home_store_id) = 1 as chain,
                 percentile_cont(0.5) within group (order by recency_weeks * 7 / repeat_purchases) as days
            from member_insights where repeat_purchases > 0
           group by grouping sets ((home_store_id), ()))
        update member_insights mi
           set drifting_after = mi.last_purchase_at + make_interval(days => round(2 * coalesce(
                 (select g.days from gaps g where not g.chain and g.home_store_id = mi.home_store_id),
                 (select g.days from gaps g where g.chain)))::int)
         where mi.repeat_purchases = 0 ${memberFilter(sql`mi.member_id`, members)}`,
  )
}

/** The score at the end of each month: the latest refresh in a month overwrites that month's figure. */
async function keepScoreHistory(db: Db, asOf: Date, members?: string[]) {
  await db.execute(
    sql`insert into member_score_history (member_id, month, score)
        select member_id, ${monthOf(asOf)}::date, score from member_insights where true ${memberFilter(sql`member_id`, members)}
        on conflict (member_id, month) do update set score = excluded.score`,
  )
}

/** Members of each join cohort (month, channel, home store, omni or not) who bought N months after joining. */
async function countRetention(db: Db, asOf: Date) {
  await db.execute(
    sql`insert into retention_cells (cohort_month, joined_channel, home_store_id, omni, months_after, active_members)
        select mi.joined_month, coalesce(mi.joined_channel, 'unknown'), mi.home_store_id, mi.channels >= 2,
               ((extract(year from p.month) - extract(year from mi.joined_month)) * 12 + extract(month from p.month) - extract(month from mi.joined_month))::int,
               count(*)::int
          from member_insights mi
          join (select distinct member_id, date_trunc('month', occurred_at at time zone 'UTC')::date as month
                  from activities where kind = 'purchase' and occurred_at < ${asOf}) p on p.member_id = mi.member_id and p.month >= mi.joined_month
         group by 1, 2, 3, 4, 5`,
  )
}

/** The segment charts' sums: members per quarter and segment, and moves from the quarter before. */
async function countSegments(db: Db) {
  await db.execute(sql`delete from segment_counts`)
  await db.execute(sql`delete from segment_moves`)
  await db.execute(
    sql`insert into segment_counts (quarter, home_store_id, main_channel, segment, members)
        select s.quarter, mi.home_store_id, mi.main_channel, s.segment, count(*)::int
          from member_segments s join member_insights mi on mi.member_id = s.member_id
         group by 1, 2, 3, 4`,
  )
  await db.execute(
    sql`insert into segment_moves (quarter, home_store_id, main_channel, from_segment, to_segment, members)
        select s.quarter, mi.home_store_id, mi.main_channel, coalesce(p.segment, 'none'), s.segment, count(*)::int
          from member_segments s join member_insights mi on mi.member_id = s.member_id
          left join member_segments p on p.member_id = s.member_id and p.quarter = s.quarter - interval '3 months'
         group by 1, 2, 3, 4, 5`,
  )
}

/** Sales, orders and buying members per month, in total, per channel and per store (from `since`, or all). */
async function countSales(db: Db, asOf: Date, since?: Date) {
  await db.execute(since ? sql`delete from sales_months where month >= ${monthOf(since)}::date` : sql`delete from sales_months`)
  await db.execute(
    sql`insert into sales_months (month, dimension, key, sales_minor, orders, members)
        select month,
               case when grouping(channel) = 0 then 'channel' when grouping(store_id) = 0 then 'store' else 'total' end,
               coalesce(channel, store_id::text, ''), sum(sales), sum(orders)::int, count(distinct member_id)::int
          from (select date_trunc('month', occurred_at at time zone 'UTC')::date as month, member_id, channel, store_id,
                       coalesce(sum(total_minor), 0) as sales, count(*) filter (where kind = 'purchase') as orders
                  from activities
                 where kind in ('purchase', 'return') and occurred_at < ${asOf} ${since ? sql`and occurred_at >= ${since}` : sql``}
                 group by 1, 2, 3, 4) m
         group by grouping sets ((month), (month, channel), (month, store_id))
        having grouping(store_id) = 1 or store_id is not null`,
  )
}

async function logRun(db: Db, run: { kind: 'full' | 'incremental'; asOf: Date; members: number; started: number; models: ValueModels }) {
  const seconds = (Date.now() - run.started) / 1000
  await db.execute(
    sql`insert into insights_runs (id, kind, as_of, started_at, seconds, members, models)
        values (${newId()}, ${run.kind}, ${run.asOf}, ${new Date(run.started)}, ${seconds}, ${run.members}, ${JSON.stringify(run.models)}::jsonb)`,
  )
  return { kind: run.kind, asOf: run.asOf.toISOString(), members: run.members, seconds: Number(seconds.toFixed(2)), models: run.models }
}
