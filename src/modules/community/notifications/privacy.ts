import { sql } from 'drizzle-orm'
import { type MemberDataPart, tablesFor } from '../../../platform/privacy.js'

/** A member's notification centre: exported, and erased outright. */
export const notificationsPrivacy: MemberDataPart = {
  module: 'community/notifications',
  tables: ['member_notifications'],
  exportFor: (db, { memberIds }) => tablesFor(db, ['member_notifications'], memberIds),
  async erase(db, { memberIds }) {
    await db.execute(sql`delete from member_notifications where member_id = any(${sql.param(memberIds)}::uuid[])`)
  },
}
