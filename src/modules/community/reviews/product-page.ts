import { and, desc, eq, or, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { presentReviews, productOf, productShown } from './reviews.js'
import { productReviews } from './schema.js'

export type ReviewOrder = 'newest' | 'helpful' | 'highest' | 'lowest'

/**
 * A product's reviews as a member or the widget shows them: the summary (count, average, stars,
 * fit) over published reviews, then the reviews themselves, the viewer's own first whatever its status.
 */
export async function productReviewsPage(db: Db, sku: string, viewerId: string | null, { order = 'newest' as ReviewOrder, limit = 20 } = {}) {
  const product = await productOf(db, sku)
  const [summary] = await queryRows<{ count: number; average: number | null; stars: Record<string, number> | null; fit: Record<string, number> | null }>(
    db,
    sql`select count(*)::int as count, round(avg(rating)::numeric, 1)::float8 as average,
               (select json_object_agg(rating, n) from (select rating, count(*)::int as n from product_reviews where sku = ${sku} and status = 'published' group by rating) s) as stars,
               (select json_object_agg(fit, n) from (select fit, count(*)::int as n from product_reviews where sku = ${sku} and status = 'published' and fit is not null group by fit) f) as fit
          from product_reviews where sku = ${sku} and status = 'published'`,
  )
  const orderBy = {
    newest: [desc(productReviews.postedAt)],
    helpful: [
      desc(sql`(select count(*) from product_review_votes v where v.sku = ${productReviews.sku} and v.review_id = ${productReviews.id})`),
      desc(productReviews.postedAt),
    ],
    highest: [desc(productReviews.rating), desc(productReviews.postedAt)],
    lowest: [productReviews.rating, desc(productReviews.postedAt)],
  }[order]
  const visible = viewerId ? or(eq(productReviews.status, 'published'), eq(productReviews.memberId, viewerId)) : eq(productReviews.status, 'published')
  const rows = await db
    .select()
    .from(productReviews)
    .where(and(eq(productReviews.sku, sku), visible))
    .orderBy(...(viewerId ? [desc(sql`${productReviews.memberId} = ${viewerId}`)] : []), ...orderBy)
    .limit(limit)
  const stars = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [String(n), summary.stars?.[String(n)] ?? 0]))
  return {
    product: productShown(product),
    summary: {
      count: summary.count,
      average: summary.average,
      stars,
      fit: { runs_small: summary.fit?.runs_small ?? 0, true_to_size: summary.fit?.true_to_size ?? 0, runs_large: summary.fit?.runs_large ?? 0 },
    },
    reviews: await presentReviews(db, rows, viewerId),
  }
}
