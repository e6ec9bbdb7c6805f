import { sql } from 'drizzle-orm'
import { type MemberDataPart, tablesFor } from '../../../platform/privacy.js'

/** A member's notification centre and their choices of what to hear about: exported, and erased outright. */
export const notificationsPrivacy: MemberDataPart = {
  module: 'community/notifications',
  tables: ['member_notifications', 'notification_preferences'],
  exportFor: (db, { memberIds }) => tablesFor(db, ['member_notifications', 'notification_preferences'], memberIds),
  async erase(db, { memberIds }) {
    await db.execute(sql`delete from member_notifications where member_id = any(${sql.param(memberIds)}::uuid[])`)
    await db.execute(sql`delete from notification_preferences where member_id = any(${sql.param(memberIds)}::uuid[])`)
  },
}
