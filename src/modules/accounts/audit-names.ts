import { inArray } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.js'
import { apiKeys, users } from './schema.js'

/** Logins' and API keys' names for the audit trail. */
export async function accountsAuditNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const [logins, keys] = await Promise.all([
    db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)),
    db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(inArray(apiKeys.id, ids)),
  ])
  return new Map([...logins, ...keys].map((row) => [row.id, row.name]))
}
