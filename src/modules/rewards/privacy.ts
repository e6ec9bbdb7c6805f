import { sql } from 'drizzle-orm'
import { erased, type MemberDataPart, redactJsonColumn, tablesFor } from '../../platform/privacy.js'

const memberTables = [
  'ledger_entries',
  'ledger_postings',
  'points_balances',
  'points_lots',
  'pending_points',
  'redemptions',
  'member_tiers',
  'tier_history',
  'referral_codes',
  'referrals',
] as const

/**
 * The ledger is kept whole under the member's uuid, so every entry still sums to zero and the
 * programme's accounts (issued, redeemed, expired) stay true; only what staff typed (an
 * adjustment's reason) is erased. The invite code is deleted: it no longer brings anyone.
 */
export const rewardsPrivacy: MemberDataPart = {
  module: 'rewards',
  tables: memberTables,
  exportFor: (db, { memberIds }) => tablesFor(db, memberTables, memberIds),
  async erase(db, { memberIds }) {
    const ids = sql.param(memberIds)
    await db.execute(sql`update ledger_entries set explanation = ${erased} where member_id = any(${ids}::uuid[]) and kind = 'adjust'`)
    await redactJsonColumn(db, 'ledger_entries', 'id', 'details', sql`member_id = any(${ids}::uuid[]) and kind = 'adjust'`)
    await db.execute(sql`delete from referral_codes where member_id = any(${ids}::uuid[])`)
  },
}
