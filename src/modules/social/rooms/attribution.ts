import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { ActivityListener, RecordedActivity } from '../../activity/index.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A purchase the commerce system sends back with `details.roomCartId` (docs/api.md) is the room's
 * sale: recorded in the ingestion's transaction, with the associate who was in the room, whom the
 * scorecards credit. Keyed on the member and the activity, so a replay records nothing twice.
 */
export const attributeRoomPurchases: ActivityListener = async (db: Db, recorded: RecordedActivity[], now: Date) => {
  const fromRooms = recorded.filter((a) => a.kind === 'purchase' && typeof a.details.roomCartId === 'string' && uuid.test(a.details.roomCartId))
  if (fromRooms.length === 0) return
  const rows = fromRooms.map((a) => ({ member_id: a.memberId, activity_id: a.id, cart_id: a.details.roomCartId, total_minor: a.totalMinor }))
  await queryRows(
    db,
    sql`insert into room_purchases (member_id, activity_id, room_id, associate_user_id, total_minor, at)
        select p.member_id, p.activity_id, r.id,
               (select a.associate_user_id from room_participants a where a.room_id = r.id and a.role = 'associate' and a.removed_at is null
                 order by a.joined_at limit 1),
               p.total_minor, ${now}
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as p(member_id uuid, activity_id uuid, cart_id uuid, total_minor bigint)
          join rooms r on r.cart_id = p.cart_id
        on conflict do nothing`,
  )
}
