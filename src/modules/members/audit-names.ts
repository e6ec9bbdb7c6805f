import { inArray } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.js'
import { members } from './schema.js'

/** Members' names for the audit trail; a member with no name on record reads "a member without a name". */
export async function memberAuditNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.select({ id: members.id, givenName: members.givenName, familyName: members.familyName }).from(members).where(inArray(members.id, ids))
  return new Map(rows.map((m) => [m.id, [m.givenName, m.familyName].filter(Boolean).join(' ') || 'a member without a name']))
}
