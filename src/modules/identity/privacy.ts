import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.js'
import { type MemberDataPart, redactJsonColumn } from '../../platform/privacy.js'

/** Kinds and ids in what a merge moved: kept, so the record still says what happened; values (an email, a card) go. */
const movedKeys = new Set(['kind', 'purpose'])

/**
 * Merges stay as a record that two memberships were one person, with what moved erased of personal
 * values; duplicate candidates involving the member are deleted (there is nobody left to compare).
 */
export const identityPrivacy: MemberDataPart = {
  module: 'identity',
  tables: ['member_merges', 'duplicate_candidates'],
  async exportFor(db, { memberIds }) {
    const ids = sql`any(${sql.param(memberIds)}::uuid[])`
    const [merges, candidates] = await Promise.all([
      queryRows<Record<string, unknown>>(db, sql`select * from member_merges where survivor_id = ${ids} or merged_id = ${ids}`),
      queryRows<Record<string, unknown>>(db, sql`select * from duplicate_candidates where member_a = ${ids} or member_b = ${ids}`),
    ])
    return { member_merges: merges, duplicate_candidates: candidates }
  },
  async erase(db, { memberIds }) {
    const ids = sql`any(${sql.param(memberIds)}::uuid[])`
    await redactJsonColumn(db, 'member_merges', 'id', 'moved', sql`(survivor_id = ${ids} or merged_id = ${ids})`, movedKeys)
    await db.execute(sql`delete from duplicate_candidates where member_a = ${ids} or member_b = ${ids}`)
  },
}
