import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { erased, type MemberDataPart, redactJson, rowsFor } from '../../../platform/privacy.js'

/** Keys of event bodies that name things, not people: kept when a member's messages are erased. */
const keep = new Set(['sku', 'kind', 'tool', 'role', 'reason', 'payment', 'currency', 'change', 'emoji'])

/**
 * A member's part of rooms: the rooms they were in (their participant rows), what they said and
 * did there (events they sent), the rooms they hosted, and the sales a room made with them.
 * Erasure keeps the rooms' numbering and counts but not their words or name.
 */
export const roomsPrivacy: MemberDataPart = {
  module: 'social/rooms',
  tables: ['room_participants', 'room_purchases', 'room_events', 'rooms'],
  async exportFor(db: Db, person) {
    const [participants, purchases, events, hosted] = await Promise.all([
      rowsFor(db, 'room_participants', person.memberIds),
      rowsFor(db, 'room_purchases', person.memberIds),
      rowsFor(db, 'room_events', person.memberIds, 'actor_member_id'),
      rowsFor(db, 'rooms', person.memberIds, 'host_member_id'),
    ])
    return { room_participants: participants, room_purchases: purchases, room_events: events, rooms: hosted }
  },
  async erase(db, person) {
    const ids = sql.param(person.memberIds)
    await db.execute(sql`update room_participants set display_name = ${erased} where member_id = any(${ids}::uuid[])`)
    await db.execute(sql`update rooms set title = ${erased} where host_member_id = any(${ids}::uuid[])`)
    const said = await queryRows<{ room_id: string; seq: number; body: unknown }>(
      db,
      sql`select room_id, seq, body from room_events where actor_member_id = any(${ids}::uuid[])`,
    )
    if (said.length) {
      const redacted = JSON.stringify(said.map((e) => ({ room_id: e.room_id, seq: Number(e.seq), body: redactJson(e.body, keep) })))
      await db.execute(
        sql`update room_events e set body = r.body from jsonb_to_recordset(${redacted}::jsonb) as r(room_id uuid, seq bigint, body jsonb)
             where e.room_id = r.room_id and e.seq = r.seq`,
      )
    }
    // Their name as others' events carry it (a removal names who was removed).
    const mine = await queryRows<{ id: string }>(db, sql`select id from room_participants where member_id = any(${ids}::uuid[])`)
    if (mine.length)
      await db.execute(
        sql`update room_events set body = jsonb_set(body, '{name}', to_jsonb(${erased}::text))
             where body ? 'name' and (body->>'participantId') = any(${sql.param(mine.map((m) => m.id))}::text[])`,
      )
  },
}
