import { sql } from 'drizzle-orm'
import { queryRows } from '../../../platform/db/index.js'
import type { DemandFinding, DemandSource } from '../../../platform/demand.js'
import type { Deps } from '../../../platform/deps.js'
import { describeProducts, salesByCategory, storeRegions } from '../../activity/index.js'
import { wishlistAdds } from '../../social/index.js'

/**
 * The merchandising feed: demand per category, store and region, combined from every source listed
 * in `Deps.wiring.demandSources` (src/composition.ts; the contract is platform/demand.ts). Ideas,
 * wishlists and sales are here; polls, reviews and back-in-stock requests are their modules' own.
 */
export type { DemandFinding, DemandSignal, DemandSource } from '../../../platform/demand.js'

/** Idea support, "I'd buy it" with its median price point, and pledges with units and price, per idea's place. */
export const ideasDemand: DemandSource = {
  name: 'ideas',
  async collect(db, { since }) {
    const ideasRows = await queryRows<{ category: string | null; store_id: string | null; region: string | null; ideas: number; support: number }>(
      db,
      sql`select category, store_id, region, count(*)::int as ideas, sum(support)::int as support from ideas
           where not hidden and status <> 'merged' and (closed_at is null or closed_at >= ${since}) group by 1, 2, 3`,
    )
    const demandRows = await queryRows<{
      category: string | null
      store_id: string | null
      region: string | null
      kind: 'would_buy' | 'pledge'
      currency: string
      people: number
      units: number
      price: number | null
    }>(
      db,
      sql`select i.category, i.store_id, i.region, d.kind, d.currency, count(*)::int as people, sum(d.quantity)::int as units,
                 percentile_disc(0.5) within group (order by d.price_minor) as price
            from idea_demand d join ideas i on i.id = d.idea_id
           where d.cancelled_at is null and not i.hidden and i.status <> 'merged' and (i.closed_at is null or i.closed_at >= ${since})
           group by 1, 2, 3, 4, 5`,
    )
    const place = (r: { category: string | null; store_id: string | null; region: string | null }) => ({
      category: r.category,
      storeId: r.store_id,
      region: r.region,
    })
    return [
      ...ideasRows.flatMap((r) => [
        { ...place(r), measure: 'ideas', value: r.ideas },
        { ...place(r), measure: 'idea_support', value: r.support / 100 },
      ]),
      ...demandRows.flatMap((r) =>
        r.kind === 'would_buy'
          ? [
              { ...place(r), measure: 'would_buy', value: r.people },
              ...(r.price === null ? [] : [{ ...place(r), measure: 'would_buy_price', value: Number(r.price), currency: r.currency }]),
            ]
          : [
              { ...place(r), measure: 'pledges', value: r.people },
              { ...place(r), measure: 'pledged_units', value: r.units },
              ...(r.price === null ? [] : [{ ...place(r), measure: 'pledge_price', value: Number(r.price), currency: r.currency }]),
            ],
      ),
    ]
  },
}

/** Wishlist adds on members' lists (social), per category level of the product; not about a store. */
export const wishlistDemand: DemandSource = {
  name: 'wishlists',
  async collect(db, { since }) {
    const adds = await wishlistAdds(db, since)
    const named = await describeProducts(
      db,
      adds.map((a) => a.sku),
    )
    return adds.flatMap((a) => (named.get(a.sku)?.category ?? []).map((category) => ({ category, storeId: null, measure: 'wishlist_adds', value: a.adds })))
  },
}

/** Units sold and net sales per category level and store (activity), in each store's currency. */
export const salesDemand: DemandSource = {
  name: 'sales',
  async collect(db, { since, currency }) {
    const sales = await salesByCategory(db, since, currency)
    return sales.flatMap((s) => [
      { category: s.category, storeId: s.storeId, measure: 'units_sold', value: s.units },
      { category: s.category, storeId: s.storeId, measure: 'sales', value: s.salesMinor, currency: s.currency },
    ])
  },
}

export const ideasDemandSources = [ideasDemand, wishlistDemand, salesDemand]

export type FeedGrain = 'category' | 'store' | 'region'
export interface FeedRow {
  category: string | null
  storeId: string | null
  storeCode: string | null
  storeName: string | null
  region: string | null
  currency: string
  measures: Record<string, number>
  /** What the sources found there to read: poll results, review themes, products awaited back in stock. */
  findings: DemandFinding[]
}

/** Measures that are money (minor units) or price points: shown in currency units, never summed across places. */
export const moneyMeasures = new Set(['sales', 'would_buy_price', 'pledge_price'])
const pricePoints = new Set(['would_buy_price', 'pledge_price'])
/** The feed's own measures in the order a planner reads them; other sources' measures follow, alphabetically. */
const measureOrder = [
  'ideas',
  'idea_support',
  'would_buy',
  'would_buy_price',
  'pledges',
  'pledged_units',
  'pledge_price',
  'wishlist_adds',
  'back_in_stock_requests',
  'poll_voices',
  'reviews',
  'low_ratings',
  'high_ratings',
  'units_sold',
  'sales',
]

const findingOrder: DemandFinding['kind'][] = ['poll', 'back_in_stock', 'review_themes']
const weight = (f: DemandFinding) => (f.kind === 'poll' ? f.voices : f.kind === 'review_themes' ? f.reviews : f.members)

/**
 * The combined demand for `grain`: per category alone, per store and category, or per region and
 * category. Counts add up; a price point of several places is the highest median among them (a
 * median of medians would pretend to be more). Store-held callers see their stores' rows only.
 */
export async function demandFeed(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>,
  { grain, days, storeIds }: { grain: FeedGrain; days: number; storeIds?: string[] },
) {
  const now = deps.clock.now()
  const since = new Date(now.getTime() - days * 86_400_000)
  const window = { since, currency: deps.config.currency, now }
  const [signals, findings, stores] = await Promise.all([
    Promise.all(deps.wiring.demandSources.map((source) => source.collect(deps.db, window))).then((all) => all.flat()),
    Promise.all(deps.wiring.demandSources.map((source) => source.findings?.(deps.db, window) ?? [])).then((all) => all.flat()),
    storeRegions(deps.db),
  ])
  const rows = new Map<string, FeedRow>()
  /** The row of a place at this grain, made when first needed; null when a store-held caller may not see it. */
  const rowOf = (place: { category: string | null; storeId: string | null; region?: string | null }, currency: string) => {
    if (storeIds && !(place.storeId && storeIds.includes(place.storeId))) return null
    const store = place.storeId ? stores.get(place.storeId) : undefined
    const region = store?.region ?? place.region ?? null
    const storeId = grain === 'store' ? place.storeId : null
    const where = grain === 'region' ? region : storeId
    const key = JSON.stringify([place.category, where, currency])
    let row = rows.get(key)
    if (!row) {
      const named = storeId ? stores.get(storeId) : undefined
      row = {
        category: place.category,
        storeId,
        storeCode: named?.code ?? null,
        storeName: named?.name ?? null,
        region: grain === 'store' ? (named?.region ?? null) : grain === 'region' ? region : null,
        currency,
        measures: {},
        findings: [],
      }
      rows.set(key, row)
    }
    return row
  }
  for (const signal of signals) {
    const row = rowOf(signal, signal.currency ?? deps.config.currency)
    if (!row) continue
    const before = row.measures[signal.measure] ?? 0
    row.measures[signal.measure] = pricePoints.has(signal.measure) ? Math.max(before, signal.value) : before + signal.value
  }
  for (const finding of findings) rowOf(finding, deps.config.currency)?.findings.push(finding)
  for (const row of rows.values()) row.findings.sort((a, b) => findingOrder.indexOf(a.kind) - findingOrder.indexOf(b.kind) || weight(b) - weight(a))
  const rank = (m: string) => (measureOrder.indexOf(m) + measureOrder.length + 1) % (measureOrder.length + 1)
  const measures = [...new Set(signals.map((s) => s.measure))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const score = (r: FeedRow) =>
    (r.measures.idea_support ?? 0) + (r.measures.pledged_units ?? 0) * 2 + (r.measures.wishlist_adds ?? 0) + (r.measures.back_in_stock_requests ?? 0)
  const sorted = [...rows.values()].sort((a, b) => score(b) - score(a) || String(a.category).localeCompare(String(b.category)))
  return {
    since: since.toISOString(),
    generatedAt: now.toISOString(),
    grain,
    sources: deps.wiring.demandSources.map((s) => s.name),
    measures,
    rows: sorted,
  }
}
