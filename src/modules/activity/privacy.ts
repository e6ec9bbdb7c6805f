import { sql } from 'drizzle-orm'
import { type MemberDataPart, redactJsonColumn, rowsFor, tablesFor } from '../../platform/privacy.js'

/** What rules, insights and outreach read from details: kept, like every number; other strings are the channel's free text. */
const detailKeys = new Set(['sku', 'rating', 'associate', 'kind', 'channel', 'category', 'brand'])

/**
 * Activity stays (sales, orders and visits stay true, and the ledger names it) with its free-text
 * details erased; guest activity the member claimed is deleted, as it was copied into theirs.
 */
export const activityPrivacy: MemberDataPart = {
  module: 'activity',
  tables: ['activities', 'activity_lines', 'parked_activities'],
  async exportFor(db, { memberIds }) {
    return {
      ...(await tablesFor(db, ['activities', 'activity_lines'], memberIds)),
      parked_activities: await rowsFor(db, 'parked_activities', memberIds, 'claimed_by'),
    }
  },
  async erase(db, { memberIds }) {
    const ids = sql.param(memberIds)
    await redactJsonColumn(db, 'activities', 'id', 'details', sql`member_id = any(${ids}::uuid[]) and details <> '{}'::jsonb`, detailKeys)
    await db.execute(sql`delete from parked_activities where claimed_by = any(${ids}::uuid[])`)
  },
}
