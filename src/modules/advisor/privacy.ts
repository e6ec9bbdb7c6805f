import { sql } from 'drizzle-orm'
import { erased, type MemberDataPart, tablesFor } from '../../platform/privacy.js'

const memberTables = ['member_notes', 'follow_ups', 'conversations', 'outreach_marks', 'taste_preferences', 'suggestion_lists', 'suggestion_feedback'] as const

/**
 * What associates wrote is erased but the rows stay, so associate scorecards (notes, follow-ups,
 * conversations and their outcomes) stay true; taste and trained suggestions are profiling and go.
 * Suggestion feedback is SKUs and clicks under the anonymous id: it stays for the acceptance figures.
 */
export const advisorPrivacy: MemberDataPart = {
  module: 'advisor',
  tables: memberTables,
  exportFor: (db, { memberIds }) => tablesFor(db, memberTables, memberIds),
  async erase(db, { memberIds }) {
    const ids = sql`any(${sql.param(memberIds)}::uuid[])`
    await db.execute(sql`update member_notes set body = ${erased}, tags = '{}' where member_id = ${ids}`)
    await db.execute(sql`update follow_ups set title = ${erased}, outcome = case when outcome is null then null else ${erased} end where member_id = ${ids}`)
    await db.execute(sql`update conversations set summary = ${erased} where member_id = ${ids}`)
    await db.execute(sql`delete from outreach_marks where member_id = ${ids}`)
    await db.execute(sql`delete from taste_preferences where member_id = ${ids}`)
    await db.execute(sql`delete from suggestion_lists where member_id = ${ids}`)
  },
}
