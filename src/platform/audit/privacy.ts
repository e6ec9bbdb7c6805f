import { sql } from 'drizzle-orm'
import { queryRows } from '../db/index.js'
import { erased, type MemberDataPart, type Person, redactJsonColumn } from '../privacy.js'

/** Field names and kinds in before/after: kept, so an entry still says what changed; the values go. */
const auditKeys = new Set(['kind', 'purpose', 'role'])

const about = ({ memberIds, userIds }: Person) => {
  const targets = [...memberIds, ...userIds]
  return sql`(member_id = any(${sql.param(memberIds)}::uuid[]) or target_id = any(${sql.param(targets)}::text[]))`
}

/**
 * Audit entries stay (who did what, when), with the member's personal values in before/after
 * erased, and their name erased where they were the actor.
 */
export const auditPrivacy: MemberDataPart = {
  module: 'audit',
  tables: ['audit_entries'],
  async exportFor(db, person) {
    return { audit_entries: await queryRows(db, sql`select * from audit_entries where ${about(person)} order by id`) }
  },
  async erase(db, person) {
    await redactJsonColumn(db, 'audit_entries', 'id', 'before', about(person), auditKeys)
    await redactJsonColumn(db, 'audit_entries', 'id', 'after', about(person), auditKeys)
    if (person.userIds.length) await db.execute(sql`update audit_entries set actor_name = ${erased} where actor_id = any(${sql.param(person.userIds)}::text[])`)
  },
}
