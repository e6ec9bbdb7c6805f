import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

/** A member's relationship score (0–100) as of the last refresh; null before their first. */
export async function relationshipScore(db: Db, memberId: string): Promise<number | null> {
  const [row] = await queryRows<{ score: number }>(db, sql`select score from member_insights where member_id = ${memberId}`)
  return row?.score ?? null
}
