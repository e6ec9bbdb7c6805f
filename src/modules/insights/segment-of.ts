import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

/**
 * Each member's segment as of the last refresh (the latest quarter's: new, relationship_driven,
 * fluctuating, price_driven, lapsed), for breakdowns elsewhere (poll results). A member the refresh
 * has not seen yet is missing from the map.
 */
export async function latestSegments(db: Db, memberIds: string[]): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map()
  const rows = await queryRows<{ member_id: string; segment: string }>(
    db,
    sql`select distinct on (member_id) member_id, segment from member_segments
        where member_id = any(${sql.param(memberIds)}::uuid[]) order by member_id, quarter desc`,
  )
  return new Map(rows.map((r) => [r.member_id, r.segment]))
}
