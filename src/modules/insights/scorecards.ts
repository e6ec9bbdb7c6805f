import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import { targetsFor } from './targets.js'

export type Dimension = 'store' | 'associate' | 'channel'

export interface Period {
  from: Date
  to: Date
}

export interface ScorecardFigures {
  membersServed: number
  returningMembers: number
  orders: number
  salesMinor: number
  storeVisits: number
  averageScore: number | null
  relationshipDriven: number
  /** Clienteling (the advisor's notes and conversation log): associates and stores only. */
  conversations: number
  notes: number
  suggestionsAccepted: number
}

const empty: ScorecardFigures = {
  membersServed: 0,
  returningMembers: 0,
  orders: 0,
  salesMinor: 0,
  storeVisits: 0,
  averageScore: null,
  relationshipDriven: 0,
  conversations: 0,
  notes: 0,
  suggestionsAccepted: 0,
}

// Who a conversation or note counts for, per dimension (channels have none).
const talkKey: Record<Dimension, { conversation: SQL; note: SQL } | null> = {
  store: { conversation: sql`c.store_id::text`, note: sql`n.store_id::text` },
  associate: { conversation: sql`c.associate_email`, note: sql`(select lower(u.email) from users u where u.id = n.author_id)` },
  channel: null,
}

async function clienteling(db: Db, dimension: Dimension, period: Period, stores?: string[]) {
  const keys = talkKey[dimension]
  if (!keys) return new Map<string, { conversations: number; notes: number; accepted: number }>()
  const inStores = (column: SQL) => (stores ? sql`and ${column} = any(${sql.param(stores)}::uuid[])` : sql``)
  const rows = await queryRows<{ key: string; conversations: number; notes: number; accepted: number }>(
    db,
    sql`select key, sum(conversations)::int as conversations, sum(notes)::int as notes, sum(accepted)::int as accepted
          from (select ${keys.conversation} as key, count(*) as conversations, 0 as notes,
                       count(*) filter (where c.outcome in ('suggestion_accepted', 'bought')) as accepted
                  from conversations c where c.at >= ${period.from} and c.at < ${period.to} ${inStores(sql`c.store_id`)} group by 1
                union all
                select ${keys.note}, 0, count(*), 0
                  from member_notes n where n.created_at >= ${period.from} and n.created_at < ${period.to} ${inStores(sql`n.store_id`)} group by 1) t
         where key is not null group by key`,
  )
  return new Map(rows.map((r) => [r.key, r]))
}

/**
 * Store visits per associate. A visit names nobody (the door counter or the app's check-in records
 * it), so it counts for the associate who served the member at that store that day: the one a
 * purchase names, else the one who logged a conversation with them that day.
 */
async function associateVisits(db: Db, period: Period, stores?: string[]) {
  const sameDay = (column: SQL) =>
    sql`${column} >= date_trunc('day', v.occurred_at at time zone 'UTC') at time zone 'UTC'
        and ${column} < (date_trunc('day', v.occurred_at at time zone 'UTC') + interval '1 day') at time zone 'UTC'`
  const rows = await queryRows<{ key: string; visits: number }>(
    db,
    sql`select key, count(*)::int as visits
          from (select coalesce(lower(v.details->>'associate'),
                                (select lower(p.details->>'associate') from activities p
                                  where p.member_id = v.member_id and p.kind = 'purchase' and p.store_id = v.store_id and p.details ? 'associate'
                                        and ${sameDay(sql`p.occurred_at`)}
                                  order by p.occurred_at limit 1),
                                (select c.associate_email from conversations c
                                  where c.member_id = v.member_id and ${sameDay(sql`c.at`)} order by c.at limit 1)) as key
                  from activities v
                 where v.kind = 'store_visit' and v.occurred_at >= ${period.from} and v.occurred_at < ${period.to}
                       ${stores ? sql`and v.store_id = any(${sql.param(stores)}::uuid[])` : sql``}) t
         where key is not null group by key`,
  )
  return new Map(rows.map((r) => [r.key, r.visits]))
}

/** The same length of time just before a period, for the comparison column. */
export const previousPeriod = ({ from, to }: Period): Period => ({ from: new Date(2 * from.getTime() - to.getTime()), to: from })

// What each dimension groups activity by, and which activity it looks at.
const groupBy: Record<Dimension, { key: SQL; only: SQL }> = {
  store: { key: sql`a.store_id::text`, only: sql`a.store_id is not null` },
  // Tills name the associate who served in the activity's details (docs/api.md): their login email.
  // A sale a co-shopping room made is the room's associate's, keyed on the member and the activity.
  associate: {
    key: sql`coalesce(lower(a.details->>'associate'),
              (select lower(u.email) from room_purchases rp join users u on u.id = rp.associate_user_id where rp.member_id = a.member_id and rp.activity_id = a.id))`,
    only: sql`(a.details ? 'associate' or exists (select 1 from room_purchases rp where rp.member_id = a.member_id and rp.activity_id = a.id and rp.associate_user_id is not null))`,
  },
  channel: { key: sql`a.channel`, only: sql`true` },
}

async function figures(db: Db, dimension: Dimension, period: Period, stores?: string[]) {
  const { key, only } = groupBy[dimension]
  const [talk, visits] = await Promise.all([
    clienteling(db, dimension, period, stores),
    dimension === 'associate' ? associateVisits(db, period, stores) : Promise.resolve(undefined),
  ])
  const rows = await queryRows<{
    key: string
    served: number
    returning: number
    orders: number
    sales: number
    visits: number
    score: number | null
    relationship: number
  }>(
    db,
    // Plain aggregates only (no count(distinct …)), so PostgreSQL hashes instead of sorting the period.
    sql`with served as (
          select ${key} as key, a.member_id,
                 min(a.occurred_at at time zone 'UTC')::date < max(a.occurred_at at time zone 'UTC')::date as came_back,
                 count(*) filter (where a.kind = 'purchase') as orders,
                 coalesce(sum(a.total_minor) filter (where a.kind in ('purchase', 'return')), 0) as sales,
                 count(*) filter (where a.kind = 'store_visit') as visits
            from activities a
           where ${only} and a.occurred_at >= ${period.from} and a.occurred_at < ${period.to}
                 ${stores ? sql`and a.store_id = any(${sql.param(stores)}::uuid[])` : sql``}
           group by 1, 2)
        select sv.key, count(*)::int as served, count(*) filter (where sv.came_back)::int as returning,
               sum(sv.orders)::int as orders, sum(sv.sales)::bigint as sales, sum(sv.visits)::int as visits,
               avg(mi.score)::float8 as score, count(*) filter (where mi.segment = 'relationship_driven')::int as relationship
          from served sv left join member_insights mi on mi.member_id = sv.member_id
         group by sv.key`,
  )
  const figures = new Map(
    rows.map((r): [string, ScorecardFigures] => [
      r.key,
      {
        ...empty,
        membersServed: r.served,
        returningMembers: r.returning,
        orders: r.orders,
        salesMinor: Number(r.sales),
        storeVisits: r.visits,
        averageScore: r.score === null ? null : Math.round(r.score),
        relationshipDriven: r.relationship,
      },
    ]),
  )
  for (const [key, n] of visits ?? []) figures.set(key, { ...(figures.get(key) ?? empty), storeVisits: n })
  for (const [key, t] of talk)
    figures.set(key, { ...(figures.get(key) ?? empty), conversations: t.conversations, notes: t.notes, suggestionsAccepted: t.accepted })
  return figures
}

/** Who each row is: stores and associates by name, channels by their own name. */
async function names(db: Db, dimension: Dimension, stores?: string[]) {
  const only = stores ? sql`where s.id = any(${sql.param(stores)}::uuid[])` : sql``
  const rows = await queryRows<{ key: string; label: string; detail: string | null }>(
    db,
    dimension === 'store'
      ? sql`select s.id::text as key, s.name as label, s.code as detail from stores s ${only} order by s.code`
      : dimension === 'associate'
        ? sql`select lower(u.email) as key, u.display_name as label,
                     (select string_agg(s.code, ', ' order by s.code) from stores s where s.id = any(u.store_ids)) as detail
                from users u
               where u.role in ('associate', 'manager') ${stores ? sql`and u.store_ids && ${sql.param(stores)}::uuid[]` : sql``}
               order by u.display_name`
        : sql`select code as key, name as label, null as detail from channels order by code`,
  )
  return rows
}

/**
 * A scorecard per store, associate or channel for a period beside the period before: members
 * served, how many came back, orders, sales, visits, and the relationship score of those served.
 */
export async function scorecard(db: Db, dimension: Dimension, period: Period, stores?: string[]) {
  const before = previousPeriod(period)
  const [known, now, then] = await Promise.all([names(db, dimension, stores), figures(db, dimension, period, stores), figures(db, dimension, before, stores)])
  // An associate the tills name but who has no login yet still gets a row, under the name the till sent.
  const keys = [...known.map((k) => k.key), ...[...now.keys()].filter((k) => !known.some((n) => n.key === k))]
  const targets = await targetsFor(db, dimension, keys)
  return {
    dimension,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    previous: { from: before.from.toISOString(), to: before.to.toISOString() },
    rows: keys.map((key) => {
      const who = known.find((k) => k.key === key)
      return {
        key,
        name: who?.label ?? key,
        detail: who?.detail ?? null,
        current: now.get(key) ?? empty,
        previous: then.get(key) ?? empty,
        targets: targets.get(key) ?? {},
      }
    }),
  }
}
