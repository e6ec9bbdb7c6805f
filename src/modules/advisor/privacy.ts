import { sql } from 'drizzle-orm'
import { erased, type MemberDataPart, tablesFor } from '../../platform/privacy.js'
import { staffNames } from '../accounts/index.js'

const memberTables = ['member_notes', 'follow_ups', 'conversations', 'outreach_marks', 'taste_preferences', 'suggestion_lists', 'suggestion_feedback'] as const

/**
 * What associates wrote is erased but the rows stay, so associate scorecards (notes, follow-ups,
 * conversations and their outcomes) stay true; taste and trained suggestions are profiling and go.
 * Suggestion feedback is SKUs and clicks under the anonymous id: it stays for the acceptance figures.
 */
export const advisorPrivacy: MemberDataPart = {
  module: 'advisor',
  tables: memberTables,
  async exportFor(db, { memberIds }) {
    const tables = await tablesFor(db, memberTables, memberIds)
    // A colleague's email is theirs, not the member's: the download names the associate instead.
    const nameOf = await staffNames(
      db,
      tables.conversations.map((row) => String(row.associate_id)),
    )
    tables.conversations = tables.conversations.map(({ associate_email: _, ...row }) => ({ ...row, associate_name: nameOf(String(row.associate_id)) }))
    return tables
  },
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
