import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { MergeParticipant } from '../../identity/index.js'

/** The rows a merge re-pointed, per table, as `sku|id` keys (the tables are placed by sku, so member_id is an ordinary column here). */
type Moved = Record<string, string[]>

const tables = [
  // A product both reviewed keeps the survivor's review; the merged member's stays theirs (and comes back with an unmerge).
  { table: 'product_reviews', key: 'id', clash: 'exists (select 1 from product_reviews o where o.sku = t.sku and o.member_id = $survivor)' },
  {
    table: 'product_review_versions',
    key: 'review_id',
    clash: 'exists (select 1 from product_reviews o where o.sku = t.sku and o.id = t.review_id and o.member_id = $merged)',
  },
  {
    table: 'product_review_votes',
    key: 'review_id',
    clash: 'exists (select 1 from product_review_votes o where o.sku = t.sku and o.review_id = t.review_id and o.member_id = $survivor)',
  },
  { table: 'product_questions', key: 'id', clash: 'false' },
  { table: 'product_answers', key: 'id', clash: 'false' },
] as const

const uuid = /^[0-9a-f-]{36}$/i

/** Reviews, votes, questions and answers follow the member into the survivor (never a second review of one product, nor a vote twice). */
async function mergeReviews(db: Db, mergedId: string, survivorId: string): Promise<Moved> {
  if (!uuid.test(mergedId) || !uuid.test(survivorId)) throw new Error('member ids must be uuids')
  const moved: Moved = {}
  for (const t of tables) {
    const clash = sql.raw(t.clash.replaceAll('$survivor', `'${survivorId}'`).replaceAll('$merged', `'${mergedId}'`))
    const rows = await queryRows<{ key: string }>(
      db,
      sql`update ${sql.raw(t.table)} t set member_id = ${survivorId} where t.member_id = ${mergedId} and not ${clash}
          returning t.sku || '|' || t.${sql.raw(t.key)}::text as key`,
    )
    if (rows.length) moved[t.table] = rows.map((r) => r.key)
  }
  return moved
}

async function unmergeReviews(db: Db, mergedId: string, survivorId: string, moved: Moved) {
  for (const t of tables) {
    const keys = moved[t.table]
    if (!keys?.length) continue
    await db.execute(
      sql`update ${sql.raw(t.table)} t set member_id = ${mergedId} where t.member_id = ${survivorId} and t.sku || '|' || t.${sql.raw(t.key)}::text = any(${sql.param(keys)}::text[])`,
    )
  }
}

/** Wired in src/composition.ts. */
export const reviewsMergeParticipant: MergeParticipant = {
  name: 'community/reviews',
  merge: mergeReviews,
  unmerge: (db, merged, survivor, moved) => unmergeReviews(db, merged, survivor, moved as Moved),
}
