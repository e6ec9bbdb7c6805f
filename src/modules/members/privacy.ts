import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import { type ErasureContext, type MemberDataPart, rowsFor } from '../../platform/privacy.js'

/**
 * Profiles, identifiers and consents. Erasure blanks every personal field of the member rows and
 * drops the identifiers (a till can no longer find the person); the row itself stays, under its
 * uuid, so the ledger, tiers and figures that name it still add up. Every consent is withdrawn.
 */
export const membersPrivacy: MemberDataPart = {
  module: 'members',
  tables: ['members', 'member_identifiers', 'consent_events', 'identifier_proofs'],
  async exportFor(db, { memberIds }) {
    const [profile, identifiers, consents, proofs] = await Promise.all([
      rowsFor(db, 'members', memberIds, 'id'),
      rowsFor(db, 'member_identifiers', memberIds),
      rowsFor(db, 'consent_events', memberIds),
      // Never the code's hash: six digits are quickly found from it, and would prove an address without its inbox.
      queryRows<Record<string, unknown>>(
        db,
        sql`select member_id, kind, value, expires_at, attempts, sends, window_started_at from identifier_proofs where member_id = any(${sql.param(memberIds)}::uuid[])`,
      ),
    ])
    return { members: profile, member_identifiers: identifiers, consent_events: consents, identifier_proofs: proofs }
  },
  async erase(db: Db, { memberIds }, { at }: ErasureContext) {
    const ids = sql.param(memberIds)
    await db.execute(sql`update members set given_name = null, family_name = null, birth_date = null, email = null, phone = null,
                                address_line = null, postcode = null, city = null, erased_at = ${at}
                          where id = any(${ids}::uuid[])`)
    await db.execute(sql`delete from member_identifiers where member_id = any(${ids}::uuid[])`)
    await db.execute(sql`delete from identifier_proofs where member_id = any(${ids}::uuid[])`)
    // The ledger keeps its history (when consent was given is no personal detail) and ends with a withdrawal of everything given.
    await db.execute(sql`insert into consent_events (member_id, id, purpose, channel, granted, at, source)
                         select member_id, gen_random_uuid(), purpose, channel, false, ${at}, 'erasure'
                           from member_consent_states where member_id = any(${ids}::uuid[]) and granted`)
  },
}
