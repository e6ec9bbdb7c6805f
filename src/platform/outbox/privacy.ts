import { sql } from 'drizzle-orm'
import { queryRows } from '../db/index.js'
import { type MemberDataPart, redactJsonColumn } from '../privacy.js'

const eventKeys = new Set(['kind', 'channel', 'topic'])

/** Events about the member keep their topic, ids, times and numbers (consumers' counts stay true); other values are erased. */
export const outboxPrivacy: MemberDataPart = {
  module: 'outbox',
  tables: ['outbox_events'],
  async exportFor(db, { memberIds }) {
    return { outbox_events: await queryRows(db, sql`select * from outbox_events where member_id = any(${sql.param(memberIds)}::uuid[]) order by id`) }
  },
  async erase(db, { memberIds }) {
    await redactJsonColumn(db, 'outbox_events', 'id', 'payload', sql`member_id = any(${sql.param(memberIds)}::uuid[])`, eventKeys)
  },
}
