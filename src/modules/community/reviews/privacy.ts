import { sql } from 'drizzle-orm'
import { type MemberDataPart, rowsFor } from '../../../platform/privacy.js'

const memberTables = ['product_reviews', 'product_review_versions', 'product_review_votes', 'product_questions', 'product_answers'] as const

/**
 * A member's reviews, their earlier versions, votes, questions and answers are theirs: exported
 * whole and erased outright (answers others gave to an erased question go with it; staff replies
 * to an erased review too). Staff replies name no member.
 */
export const reviewsPrivacy: MemberDataPart = {
  module: 'community/reviews',
  tables: [...memberTables, 'product_review_replies'],
  async exportFor(db, { memberIds }) {
    const parts = await Promise.all(memberTables.map((table) => rowsFor(db, table, memberIds)))
    return { ...Object.fromEntries(memberTables.map((t, i) => [t, parts[i]])), product_review_replies: [] }
  },
  async erase(db, { memberIds }) {
    const ids = sql`any(${sql.param(memberIds)}::uuid[])`
    await db.execute(sql`delete from product_review_replies r using product_reviews v where v.sku = r.sku and v.id = r.review_id and v.member_id = ${ids}`)
    await db.execute(sql`delete from product_review_votes r using product_reviews v where v.sku = r.sku and v.id = r.review_id and v.member_id = ${ids}`)
    await db.execute(sql`delete from product_answers a using product_questions q where q.sku = a.sku and q.id = a.question_id and q.member_id = ${ids}`)
    for (const table of ['product_review_votes', 'product_review_versions', 'product_reviews', 'product_answers', 'product_questions'])
      await db.execute(sql`delete from ${sql.raw(table)} where member_id = ${ids}`)
    await db.execute(
      sql`update product_questions set best_answer_id = null where best_answer_id is not null and not exists (select 1 from product_answers a where a.sku = product_questions.sku and a.id = product_questions.best_answer_id)`,
    )
  },
}
