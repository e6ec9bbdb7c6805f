import { type MemberDataPart, tablesFor } from '../../platform/privacy.js'

const memberTables = ['member_insights', 'member_score_history', 'member_segments'] as const

/**
 * Scores, segments and value figures are numbers under the member's uuid, which names nobody once
 * the profile is erased; they stay so that the dashboards' totals stay true. They are exported.
 */
export const insightsPrivacy: MemberDataPart = {
  module: 'insights',
  tables: memberTables,
  exportFor: (db, { memberIds }) => tablesFor(db, memberTables, memberIds),
  async erase() {},
}
