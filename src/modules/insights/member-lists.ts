import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { SegmentName } from './api-schemas.js'
import { atRisk, type MemberFilter, quarterLabel, whereMembers } from './dashboard.js'

export interface MemberListFilter extends MemberFilter {
  segment?: string
  minScore?: number
  maxScore?: number
  minClvMinor?: number
  maxPAlive?: number
  omni?: boolean
  /** Only "valuable, drifting" members, as the dashboard counts them. */
  atRisk?: boolean
}

interface Row {
  member_id: string
  given_name: string | null
  family_name: string | null
  store_code: string | null
  segment: SegmentName | null
  score: number
  p_alive: number | null
  clv_minor: number | null
  orders: number
  spend_minor: number
  last_purchase_at: Date | null
  repeat_purchases: number | null
  email: string | null
  phone: string | null
}

/**
 * May the retailer contact this member (`m`) by `channel` for marketing: the channel's own latest
 * answer, else marketing's as a whole; never asked is no (as members' marketingChannelsOf reads it).
 */
const mayContact = (channel: 'email' | 'sms') =>
  sql`coalesce((select c.granted from member_consent_states c where c.member_id = m.id and c.purpose = 'marketing' and c.channel = ${channel}),
               (select c.granted from member_consent_states c where c.member_id = m.id and c.purpose = 'marketing' and c.channel = 'all'), false)`

/**
 * Members behind a figure, most valuable first: e.g. high value with probability alive under 0.5,
 * an outreach list for associates. `offset` pages; the CSV export asks for everything at once.
 */
export async function listMembers(db: Db, filter: MemberListFilter, page: { limit: number; offset: number }) {
  const conditions: SQL[] = [whereMembers(filter)]
  if (filter.segment) conditions.push(sql`mi.segment = ${filter.segment}`)
  if (filter.minScore !== undefined) conditions.push(sql`mi.score >= ${filter.minScore}`)
  if (filter.maxScore !== undefined) conditions.push(sql`mi.score <= ${filter.maxScore}`)
  if (filter.minClvMinor !== undefined) conditions.push(sql`mi.clv_minor >= ${filter.minClvMinor}`)
  if (filter.maxPAlive !== undefined) conditions.push(sql`mi.p_alive < ${filter.maxPAlive}`)
  if (filter.omni !== undefined) conditions.push(filter.omni ? sql`mi.channels >= 2` : sql`mi.channels < 2`)
  if (filter.atRisk) conditions.push(atRisk('mi'))
  const where = sql.join(conditions, sql` and `)
  const [rows, [{ total }]] = await Promise.all([
    queryRows<Row>(
      db,
      sql`select mi.member_id, m.given_name, m.family_name, s.code as store_code, mi.segment, mi.score, mi.p_alive, mi.clv_minor,
                 mi.orders, mi.spend_minor, mi.last_purchase_at, mi.repeat_purchases,
                 case when ${mayContact('email')} then m.email end as email, case when ${mayContact('sms')} then m.phone end as phone
            from member_insights mi join members m on m.id = mi.member_id left join stores s on s.id = mi.home_store_id
           where ${where}
           order by mi.clv_minor desc nulls last, mi.score desc, mi.member_id
           limit ${page.limit} offset ${page.offset}`,
    ),
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from member_insights mi where ${where}`),
  ])
  return {
    total,
    items: rows.map((r) => ({
      memberId: r.member_id,
      name: [r.given_name, r.family_name].filter(Boolean).join(' '),
      homeStore: r.store_code,
      segment: r.segment,
      score: r.score,
      // BG/NBD's P(alive) is 1 for a one-time buyer however long ago they came: not a figure to show.
      pAlive: r.p_alive === null || r.repeat_purchases === 0 ? null : Number(r.p_alive.toFixed(3)),
      oneTimeBuyer: r.repeat_purchases === 0,
      clvMinor: r.clv_minor === null ? null : Number(r.clv_minor),
      orders: r.orders,
      spendMinor: Number(r.spend_minor),
      lastPurchaseAt: r.last_purchase_at ? new Date(r.last_purchase_at).toISOString() : null,
      email: r.email,
      phone: r.phone,
    })),
  }
}

/** One member's figures for staff: score and its parts, segment by quarter, score by month, value. */
export async function memberFigures(db: Db, memberId: string) {
  const [[row], segments, history] = await Promise.all([
    queryRows<{
      as_of: Date
      score: number
      parts: Record<string, number>
      segment: SegmentName | null
      p_alive: number | null
      expected_purchases: number | null
      clv_minor: number | null
      channels: number
      orders: number
      spend_minor: number
      repeat_purchases: number | null
      last_purchase_at: Date | null
      drifting: boolean
    }>(
      db,
      sql`select as_of, score, parts, segment, p_alive, expected_purchases, clv_minor, channels, orders, spend_minor, repeat_purchases,
                 last_purchase_at, ${atRisk('mi')} as drifting
            from member_insights mi where member_id = ${memberId}`,
    ),
    queryRows<{ quarter: string; segment: SegmentName; lean: string | null; orders: number; promo_share: number | null; participation: number }>(
      db,
      sql`select to_char(quarter, 'YYYY-MM-DD') as quarter, segment, lean, orders, promo_share, participation
            from member_segments where member_id = ${memberId} order by quarter`,
    ),
    queryRows<{ month: string; score: number }>(
      db,
      sql`select to_char(month, 'YYYY-MM') as month, score from member_score_history where member_id = ${memberId} order by month`,
    ),
  ])
  return {
    refreshedAt: row ? new Date(row.as_of).toISOString() : null,
    score: row?.score ?? null,
    parts: row?.parts ?? null,
    segment: row?.segment ?? null,
    pAlive: row?.p_alive === null || !row || row.repeat_purchases === 0 ? null : Number(row.p_alive.toFixed(3)),
    oneTimeBuyer: row?.repeat_purchases === 0,
    lastPurchaseAt: row?.last_purchase_at ? new Date(row.last_purchase_at).toISOString() : null,
    drifting: row?.drifting === true,
    expectedPurchases: row?.expected_purchases === null || !row ? null : Number(row.expected_purchases.toFixed(2)),
    clvMinor: row?.clv_minor === null || !row ? null : Number(row.clv_minor),
    channels: row?.channels ?? 0,
    orders12m: row?.orders ?? 0,
    spend12mMinor: row ? Number(row.spend_minor) : 0,
    segments: segments.map((s) => ({
      quarter: quarterLabel(s.quarter),
      segment: s.segment,
      lean: s.lean,
      orders: s.orders,
      promoShare: s.promo_share === null ? null : Number(s.promo_share.toFixed(3)),
      participation: s.participation,
    })),
    scoreHistory: history,
  }
}
