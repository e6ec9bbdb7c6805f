import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { DemandFinding, DemandSignal, DemandSource, DemandWindow } from '../../../platform/demand.js'
import { describeProducts } from '../../activity/index.js'
import { reviewThemes } from './themes.js'

/** Every level of a category path; a product without one counts under no category. */
const levels = (path: string[] | undefined): (string | null)[] => (path?.length ? path : [null])

/** Published reviews posted in the window (imported history too: it is what shoppers said), per product. */
async function reviewsByProduct(db: Db, since: Date) {
  const rows = await queryRows<{ sku: string; rating: number; title: string; body: string }>(
    db,
    sql`select sku, rating, title, body from product_reviews where status = 'published' and posted_at >= ${since}`,
  )
  const bySku = new Map<string, typeof rows>()
  for (const r of rows) bySku.set(r.sku, [...(bySku.get(r.sku) ?? []), r])
  return { bySku, named: await describeProducts(db, [...bySku.keys()]) }
}

/**
 * Reviews in the merchandising feed (platform/demand.ts): `reviews`, `low_ratings` (1–2★) and
 * `high_ratings` (4–5★) per category level, and each product's complaint and praise terms
 * (themes.ts). Reviews are about a product, not a store: their rows have no store.
 */
export const reviewsDemand: DemandSource = {
  name: 'reviews',
  async collect(db, { since }: DemandWindow) {
    const { bySku, named } = await reviewsByProduct(db, since)
    const signals: DemandSignal[] = []
    for (const [sku, reviews] of bySku) {
      const counts = {
        reviews: reviews.length,
        low_ratings: reviews.filter((r) => r.rating <= 2).length,
        high_ratings: reviews.filter((r) => r.rating >= 4).length,
      }
      for (const category of levels(named.get(sku)?.category))
        for (const [measure, value] of Object.entries(counts)) if (value) signals.push({ category, storeId: null, measure, value })
    }
    return signals
  },
  async findings(db, { since }: DemandWindow) {
    const { bySku, named } = await reviewsByProduct(db, since)
    const found: DemandFinding[] = []
    for (const [sku, reviews] of bySku) {
      const product = named.get(sku)?.name ?? sku
      const themes = reviewThemes(reviews, product)
      if (themes.complaints.length === 0 && themes.praise.length === 0) continue
      const finding = {
        kind: 'review_themes' as const,
        sku,
        product,
        reviews: reviews.length,
        lowRatings: reviews.filter((r) => r.rating <= 2).length,
        highRatings: reviews.filter((r) => r.rating >= 4).length,
        ...themes,
      }
      for (const category of levels(named.get(sku)?.category)) found.push({ category, storeId: null, ...finding })
    }
    return found
  },
}
