import { sql } from 'drizzle-orm'
import { type MemberDataPart, rowsFor, tablesFor } from '../../../platform/privacy.js'

const memberTables = ['poll_answers', 'pairwise_choices'] as const

/**
 * A member's answers and choices are theirs and go with an erasure (results are recomputed from what
 * is left); an option they suggested stays on the poll, their name off it.
 */
export const pollsPrivacy: MemberDataPart = {
  module: 'community/polls',
  tables: [...memberTables, 'poll_options'],
  async exportFor(db, { memberIds }) {
    return { ...(await tablesFor(db, memberTables, memberIds)), poll_options: await rowsFor(db, 'poll_options', memberIds, 'suggested_by') }
  },
  async erase(db, { memberIds }) {
    const ids = sql`any(${sql.param(memberIds)}::uuid[])`
    for (const table of memberTables) await db.execute(sql`delete from ${sql.raw(table)} where member_id = ${ids}`)
    await db.execute(sql`update poll_options set suggested_by = null where suggested_by = ${ids}`)
  },
}
