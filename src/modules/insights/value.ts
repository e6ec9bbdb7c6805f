import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import {
  type BgNbdParams,
  customerLifetimeValue,
  expectedAverageSpend,
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaParams,
  probabilityAlive,
} from './clv/index.js'
import type { InsightsSettings } from './settings.js'

export interface ValueModels {
  bgnbd?: BgNbdParams & { customers: number }
  gammaGamma?: GammaGammaParams & { customers: number }
}

/**
 * What each buying member is likely worth: BG/NBD for whether they are still shopping and how
 * often they will, Gamma-Gamma for how much they spend. Fitted on every buyer's summary (full
 * refresh), or reused from the last fit for a few changed members (incremental refresh).
 */
export async function valueModels(db: Db, s: InsightsSettings, options: { members?: string[]; fitted?: ValueModels } = {}): Promise<ValueModels> {
  const rows = await queryRows<{ member_id: string; x: number; tx: number; t: number; m: number | null }>(
    db,
    sql`select member_id, repeat_purchases as x, recency_weeks as tx, age_weeks as t, avg_repeat_value_minor as m
          from member_insights
         where repeat_purchases is not null ${options.members ? sql`and member_id = any(${sql.param(options.members)}::uuid[])` : sql``}`,
  )
  if (rows.length === 0) return options.fitted ?? {}
  const x = Float64Array.from(rows, (r) => Number(r.x))
  const tx = Float64Array.from(rows, (r) => Number(r.tx))
  const T = Float64Array.from(rows, (r) => Number(r.t))
  const models: ValueModels = options.fitted ?? fitModels(rows, x, tx, T)
  const { bgnbd, gammaGamma } = models
  if (!bgnbd) return models

  const pAlive: number[] = []
  const expected: number[] = []
  const clv: (number | null)[] = []
  for (let i = 0; i < rows.length; i++) {
    pAlive.push(probabilityAlive(bgnbd, x[i], tx[i], T[i]))
    expected.push(expectedPurchases(bgnbd, s.value.expectedPurchasesWeeks, x[i], tx[i], T[i]))
    const m = rows[i].m === null ? null : Number(rows[i].m)
    // A one-off buyer's spend is the population's expected spend; Gamma-Gamma needs repeat spend.
    const spend = gammaGamma ? expectedAverageSpend(gammaGamma, x[i], m ?? 0) : m
    clv.push(
      spend === null
        ? null
        : Math.round(
            customerLifetimeValue(bgnbd, { x: x[i], tx: tx[i], T: T[i] }, spend, {
              months: s.value.horizonMonths,
              monthlyDiscountRate: s.value.monthlyDiscountRate,
            }),
          ),
    )
  }
  await db.execute(
    sql`update member_insights mi set p_alive = v.p_alive, expected_purchases = v.expected, clv_minor = v.clv
          from unnest(${sql.param(rows.map((r) => r.member_id))}::uuid[], ${sql.param(pAlive)}::real[], ${sql.param(expected)}::real[],
                      ${sql.param(clv)}::bigint[]) as v(member_id, p_alive, expected, clv)
         where mi.member_id = v.member_id`,
  )
  return models
}

function fitModels(rows: { m: number | null }[], x: Float64Array, tx: Float64Array, T: Float64Array): ValueModels {
  // The models need some repeat buying to learn from; a brand-new retailer has none yet.
  const repeaters = rows.flatMap((r, i) => (x[i] > 0 && r.m !== null && Number(r.m) > 0 ? [i] : []))
  if (rows.length < 20 || repeaters.length < 10) return {}
  const bgnbd = { ...fitBgNbd({ x, tx, T }), customers: rows.length }
  const gammaGamma = {
    ...fitGammaGamma({ x: Float64Array.from(repeaters, (i) => x[i]), m: Float64Array.from(repeaters, (i) => Number(rows[i].m)) }),
    customers: repeaters.length,
  }
  return { bgnbd, gammaGamma }
}
