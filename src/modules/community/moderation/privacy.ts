import { sql } from 'drizzle-orm'
import { type MemberDataPart, tablesFor } from '../../../platform/privacy.js'

const tables = ['moderation_items', 'moderation_reports', 'moderation_bans', 'moderation_post_counts'] as const

/**
 * What moderation holds about a member: their posts as screened (the text snapshot), their reports,
 * bans and post counts. Erased outright: the posts themselves are their owners' to erase.
 */
export const moderationPrivacy: MemberDataPart = {
  module: 'community/moderation',
  tables,
  exportFor: (db, { memberIds }) => tablesFor(db, tables, memberIds),
  async erase(db, { memberIds }) {
    for (const table of tables) await db.execute(sql`delete from ${sql.raw(table)} where member_id = any(${sql.param(memberIds)}::uuid[])`)
  },
}
