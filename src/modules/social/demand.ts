import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

/** Products added to members' wishlists since a moment, with how many adds: a demand signal for merchandising. */
export async function wishlistAdds(db: Db, since: Date): Promise<{ sku: string; adds: number }[]> {
  return queryRows<{ sku: string; adds: number }>(
    db,
    sql`select i.sku, count(*)::int as adds from list_items i join lists l on l.member_id = i.member_id and l.id = i.list_id
         where l.kind = 'wishlist' and i.added_at >= ${since} group by i.sku`,
  )
}
