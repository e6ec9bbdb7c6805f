import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { ActivityInput } from './inputs.js'
import { activities, activityLines } from './schema.js'

/** What the caller may write: a store-scoped API key writes only its stores' activity. */
export interface IngestScope {
  storeCodes?: string[]
  /** Who sent it (`apikey:<id>`): idempotency keys are the sender's own. Default `server`. */
  sentBy?: string
}

/**
 * What an activity must mean, beyond its shape: checks on each item of a batch before anything is
 * written, each answered with the field and a reason a till's developer can act on.
 */

export interface Context {
  kinds: Set<string>
  channels: Map<string, 'enrol' | 'park'>
  storeIds: Map<string, string>
}

export interface Rejection {
  field: string
  reason: string
}

/**
 * One activity's lines may total at most 10 million in major units (1,000,000,000 minor): past
 * that it is a typing error, and points earned on it would overflow a balance.
 */
export const maxActivityTotal = 1_000_000_000

const lineValue = (l: { quantity: number; unitPrice: number; discount?: number }) => l.quantity * l.unitPrice - (l.discount ?? 0)

export function checkMeaning(input: ActivityInput, context: Context, scope: IngestScope, now: Date): Rejection | undefined {
  if (!context.kinds.has(input.kind)) return { field: '/kind', reason: `unknown activity kind "${input.kind}"; an admin can register it` }
  if (!context.channels.has(input.channel)) return { field: '/channel', reason: `unknown channel "${input.channel}"` }
  if (input.store && !context.storeIds.has(input.store)) return { field: '/store', reason: `unknown store "${input.store}"` }
  if (scope.storeCodes && !(input.store && scope.storeCodes.includes(input.store)))
    return { field: '/store', reason: `this API key may only record activity for stores ${scope.storeCodes.join(', ')}` }
  const sells = input.kind === 'purchase' || input.kind === 'return'
  if (sells && !input.lines) return { field: '/lines', reason: `a ${input.kind} needs its lines` }
  if (!sells && input.lines) return { field: '/lines', reason: `a ${input.kind} has no lines` }
  if (input.returnOf && input.kind !== 'return') return { field: '/returnOf', reason: 'only a return refers to a purchase' }
  if (new Date(input.occurredAt).getTime() > now.getTime() + 86_400_000) return { field: '/occurredAt', reason: 'is more than a day in the future' }
  return input.lines && checkLines(input.lines)
}

/** A discount no larger than its line, and a total within bounds (the member's spend is the sum of these). */
function checkLines(lines: NonNullable<ActivityInput['lines']>): Rejection | undefined {
  for (const [i, line] of lines.entries()) {
    const gross = line.quantity * line.unitPrice
    if ((line.discount ?? 0) > gross)
      return {
        field: `/lines/${i}/discount`,
        reason: `the discount (${line.discount}) is more than the line (${line.quantity} × ${line.unitPrice} = ${gross})`,
      }
  }
  const total = lines.reduce((sum, line) => sum + lineValue(line), 0)
  if (total > maxActivityTotal) return { field: '/lines', reason: `the lines total ${total}, more than ${maxActivityTotal} minor units in one activity` }
  return undefined
}

/**
 * A return may not give back more of a line than its purchase had left, in items or in value
 * (returning a discounted item at full price).
 */
export async function checkReturns(
  db: Db,
  planned: { index: number; input: ActivityInput; memberId?: string; enrolled?: boolean }[],
): Promise<Map<number, string>> {
  const returns = planned.filter((p) => p.input.kind === 'return' && p.input.returnOf && p.memberId && !p.enrolled)
  const problems = new Map<number, string>()
  if (returns.length === 0) return problems
  // Returns' lines carry negative quantities: summing both kinds leaves what can still come back.
  const rows = await queryRows<{ member_id: string; order_ref: string; sku: string; left: number; value_left: number; bought: number }>(
    db,
    sql`select a.member_id, coalesce(a.return_of, a.order_ref) as order_ref, l.sku, sum(l.quantity)::int as left,
               sum(l.quantity * l.unit_price_minor - sign(l.quantity) * l.discount_minor)::float8 as value_left,
               sum(l.quantity) filter (where a.kind = 'purchase')::int as bought
          from ${activities} a join ${activityLines} l on l.member_id = a.member_id and l.activity_id = a.id
         where (a.member_id, coalesce(a.return_of, a.order_ref)) in (${sql.join(
           returns.map((p) => sql`(${p.memberId}::uuid, ${p.input.returnOf})`),
           sql`, `,
         )})
         group by 1, 2, 3`,
  )
  const left = new Map(rows.map((r) => [`${r.member_id}|${r.order_ref}|${r.sku}`, r]))
  for (const p of returns) {
    const purchaseKnown = rows.some((r) => r.member_id === p.memberId && r.order_ref === p.input.returnOf && r.bought)
    if (!purchaseKnown) continue // a purchase from before Regulars: accepted as stated
    for (const line of p.input.lines ?? []) {
      const row = left.get(`${p.memberId}|${p.input.returnOf}|${line.sku}`)
      if (!row || row.left < line.quantity) {
        problems.set(p.index, `returns ${line.quantity} × ${line.sku} but order ${p.input.returnOf} has ${row?.left ?? 0} left to return`)
        break
      }
      if (lineValue(line) > row.value_left) {
        problems.set(p.index, `returns ${line.sku} worth ${lineValue(line)} but order ${p.input.returnOf} has ${row.value_left} of it left to return`)
        break
      }
      row.left -= line.quantity
      row.value_left -= lineValue(line)
    }
  }
  return problems
}
