import { inArray } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.js'
import { stores } from './schema.js'

/** Stores' names for the audit trail (channels and products are audited by their codes, which read already). */
export async function storeAuditNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.select({ id: stores.id, name: stores.name }).from(stores).where(inArray(stores.id, ids))
  return new Map(rows.map((s) => [s.id, s.name]))
}
