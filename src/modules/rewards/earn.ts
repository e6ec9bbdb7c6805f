import { sql } from 'drizzle-orm'
import { type Db, insertMany, queryRows } from '../../platform/db/index.js'
import type { AnnouncedActivity } from '../activity/index.js'
import { creditPostings, type Entry, lockBalances, postEntries, takeBackPostings } from './ledger.js'
import { activeRules } from './rule-store.js'
import { type EarningActivity, earnedCounter, evaluate, type Rule } from './rules.js'
import { pendingPoints } from './schema.js'
import { bumpScores, tiersOf } from './tiers.js'

const day = 86_400_000

/** An announced activity as the rules read it (its store and products come described with it), with the member's tier. */
async function describe(db: Db, activities: AnnouncedActivity[]): Promise<EarningActivity[]> {
  const tierOf = await tiersOf(
    db,
    activities.map((a) => a.memberId),
  )
  return activities.map((a) => ({
    id: a.id,
    memberId: a.memberId,
    kind: a.kind,
    channel: a.channel,
    storeCode: a.store?.code ?? null,
    storeName: a.store?.name ?? null,
    occurredAt: a.occurredAt,
    tier: tierOf.get(a.memberId) ?? null,
    details: a.details,
    lines: a.lines,
  }))
}

/** What the members already earned from capped and first-time rules, so a batch respects the caps. */
async function earnedSoFar(db: Db, activities: EarningActivity[], rules: Rule[]) {
  const watched = rules.filter((r) => r.document.caps?.perMemberPerDay || r.document.caps?.perMemberPerMonth || r.document.when.firstTimeOnly).map((r) => r.id)
  if (watched.length === 0 || activities.length === 0) return earnedCounter()
  const members = [...new Set(activities.map((a) => a.memberId))]
  const since = new Date(Math.min(...activities.map((a) => a.occurredAt.getTime())))
  since.setUTCDate(1)
  since.setUTCHours(0, 0, 0, 0)
  const rows = await queryRows<{ member_id: string; rule_id: string; day: string; points: number }>(
    db,
    sql`select member_id, rule_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD') as day, sum((details->>'points')::int)::int as points
          from ledger_entries
         where kind = 'earn' and member_id = any(${sql.param(members)}::uuid[]) and rule_id = any(${sql.param(watched)}::uuid[])
         group by 1, 2, 3`,
  )
  // Older days still count for "ever" (first-time rules); only this window matters for caps.
  return earnedCounter(
    rows.map((r) => ({ memberId: r.member_id, ruleId: r.rule_id, day: r.day < since.toISOString().slice(0, 10) ? '0000-00-00' : r.day, points: r.points })),
  )
}

/**
 * The rewards side of recording activity, in its transaction: points each new activity earns
 * under the active rules (held as pending through a return window where the rule says so), and
 * points a return takes back from the purchase it returns.
 */
export async function onActivities(db: Db, recorded: AnnouncedActivity[], now: Date, expiryMonths: number) {
  const awards = await earnAndTakeBack(db, recorded, now, expiryMonths)
  // Tiers move up the moment spending or taking part qualifies a member.
  await bumpScores(db, now, [
    ...recorded
      .filter((a) => a.kind === 'purchase' || a.kind === 'return')
      .map((a) => ({ memberId: a.memberId, spendMinor: a.totalMinor ?? 0, participationPoints: 0 })),
    ...awards.filter((a) => a.activity.kind !== 'purchase').map((a) => ({ memberId: a.activity.memberId, spendMinor: 0, participationPoints: a.award.points })),
  ])
}

async function earnAndTakeBack(db: Db, recorded: AnnouncedActivity[], now: Date, expiryMonths: number) {
  const rules = await activeRules(db)
  const returns = recorded.filter((a) => a.kind === 'return' && a.returnOf)
  const earning = recorded.filter((a) => a.kind !== 'return')
  if ((rules.length === 0 || earning.length === 0) && returns.length === 0) return []
  const activities = rules.length ? await describe(db, earning) : []
  const earned = await earnedSoFar(db, activities, rules)
  const awards = activities.flatMap((activity) => evaluate(rules, activity, earned).map((award) => ({ activity, award })))
  const reversals = await reversalsFor(db, returns)
  if (awards.length === 0 && reversals.length === 0) return awards
  const balances = await lockBalances(db, [...awards.map((a) => a.activity.memberId), ...reversals.map((r) => r.memberId)])

  const entries: Entry[] = []
  const held: (typeof pendingPoints.$inferInsert & { sourceKey: string })[] = []
  for (const { activity, award } of awards) {
    const balance = balances.get(activity.memberId) as NonNullable<ReturnType<typeof balances.get>>
    const releaseAt = new Date(activity.occurredAt.getTime() + award.pendingDays * day)
    const pending = award.pendingDays > 0 && releaseAt > now
    const sourceKey = `${activity.id}:${award.rule.id}`
    if (pending) {
      balance.pending += award.points
      held.push({ memberId: activity.memberId, entryId: '', activityId: activity.id, points: award.points, remaining: award.points, releaseAt, sourceKey })
    }
    entries.push({
      memberId: activity.memberId,
      kind: 'earn',
      sourceKey,
      occurredAt: activity.occurredAt,
      explanation: award.explanation,
      ruleId: award.rule.id,
      ruleVersion: award.rule.version,
      activityId: activity.id,
      details: { points: award.points, activityKind: activity.kind, ...(pending ? { pendingUntil: releaseAt.toISOString() } : {}) },
      postings: pending
        ? [
            { account: 'pending', points: award.points },
            { account: 'program:issued', points: -award.points },
          ]
        : creditPostings(balance, award.points, 'program:issued'),
    })
  }
  for (const reversal of reversals) {
    const balance = balances.get(reversal.memberId) as NonNullable<ReturnType<typeof balances.get>>
    entries.push(...(await reversalEntries(db, reversal, balance)))
  }
  const posted = await postEntries(db, entries, now, expiryMonths)
  const entryIds = new Map(posted.map((e) => [`${e.kind}|${e.sourceKey}`, e.id]))
  await insertMany(
    db,
    pendingPoints,
    held.filter((h) => entryIds.has(`earn|${h.sourceKey}`)).map(({ sourceKey, ...h }) => ({ ...h, entryId: entryIds.get(`earn|${sourceKey}`) as string })),
  )
  return awards
}

interface Reversal {
  memberId: string
  returnId: string
  occurredAt: Date
  purchaseId: string
  points: number
  orderRef: string
}

/** For each return: the share of its purchase's points to take back, proportional to the value returned. */
async function reversalsFor(db: Db, returns: AnnouncedActivity[]): Promise<Reversal[]> {
  if (returns.length === 0) return []
  const rows = await queryRows<{ member_id: string; order_ref: string; purchase_id: string; purchase_total: number; earned: number; reversed: number }>(
    db,
    sql`select p.member_id, p.order_ref, p.id as purchase_id, p.total_minor as purchase_total,
               coalesce((select sum((e.details->>'points')::int) from ledger_entries e where e.member_id = p.member_id and e.activity_id = p.id and e.kind = 'earn'), 0)::int as earned,
               coalesce((select sum((e.details->>'points')::int) from ledger_entries e where e.member_id = p.member_id and e.kind = 'reverse' and e.details->>'purchaseId' = p.id::text), 0)::int as reversed
          from activities p
         where p.kind = 'purchase' and (p.member_id, p.order_ref) in (select * from unnest(${sql.param(returns.map((r) => r.memberId))}::uuid[], ${sql.param(returns.map((r) => r.returnOf))}::text[]))`,
  )
  const purchase = new Map(rows.map((r) => [`${r.member_id}|${r.order_ref}`, r]))
  const out: Reversal[] = []
  for (const r of returns) {
    const p = purchase.get(`${r.memberId}|${r.returnOf}`)
    if (!p || p.earned <= p.reversed || !p.purchase_total) continue
    const share = Math.min(1, Math.abs(r.totalMinor ?? 0) / p.purchase_total)
    const points = Math.min(p.earned - p.reversed, Math.round(p.earned * share))
    p.reversed += points // two returns of one order in a batch share what is left
    if (points > 0) out.push({ memberId: r.memberId, returnId: r.id, occurredAt: r.occurredAt, purchaseId: p.purchase_id, points, orderRef: p.order_ref })
  }
  return out
}

/** Takes points back: first from what the purchase still holds as pending, then from the balance. */
async function reversalEntries(db: Db, reversal: Reversal, balance: { available: number; pending: number; owed: number; reserved: number }): Promise<Entry[]> {
  const holds = await queryRows<{ entry_id: string; remaining: number }>(
    db,
    sql`select entry_id, remaining from pending_points where member_id = ${reversal.memberId} and activity_id = ${reversal.purchaseId} and released_at is null and remaining > 0 order by entry_id`,
  )
  let fromPending = 0
  for (const hold of holds) {
    const take = Math.min(hold.remaining, reversal.points - fromPending)
    if (take <= 0) break
    fromPending += take
    await db.execute(sql`update pending_points set remaining = remaining - ${take} where member_id = ${reversal.memberId} and entry_id = ${hold.entry_id}`)
  }
  balance.pending -= fromPending
  const rest = reversal.points - fromPending
  const postings: Entry['postings'] = [
    { account: 'pending', points: -fromPending },
    { account: 'program:issued', points: fromPending },
    ...(rest > 0 ? takeBackPostings(balance, rest, 'program:issued') : []),
  ]
  return [
    {
      memberId: reversal.memberId,
      kind: 'reverse',
      sourceKey: reversal.returnId,
      occurredAt: reversal.occurredAt,
      explanation: `−${reversal.points} taken back for the return from order ${reversal.orderRef}`,
      activityId: reversal.returnId,
      details: { points: reversal.points, purchaseId: reversal.purchaseId },
      postings: mergeSame(postings),
    },
  ]
}

/** One posting per account (the primary key is entry and account). */
function mergeSame(postings: Entry['postings']): Entry['postings'] {
  const sums = new Map<string, number>()
  for (const p of postings) sums.set(p.account, (sums.get(p.account) ?? 0) + p.points)
  return [...sums].map(([account, points]) => ({ account: account as Entry['postings'][number]['account'], points }))
}
