import { sql } from 'drizzle-orm'
import { type Db, rehomeRows } from '../../../platform/db/index.js'
import type { MergeParticipant } from '../../identity/index.js'

/**
 * A merged member's rooms and room sales follow the survivor (and back with an unmerge). A room
 * both were in keeps the survivor's own place: the merged member's row there stays behind.
 */
export const roomsMergeParticipant: MergeParticipant = {
  name: 'social/rooms',
  merge: async (db: Db, mergedId: string, survivorId: string) => {
    const participants = await rehomeRows<{ room_id: string; id: string }>(db, 'room_participants', mergedId, survivorId, {
      only: sql`not exists (select 1 from room_participants s where s.room_id = room_participants.room_id and s.member_id = ${survivorId})`,
      returning: 'room_id, id',
    })
    const purchases = await rehomeRows<{ activity_id: string }>(db, 'room_purchases', mergedId, survivorId, { returning: 'activity_id' })
    return { participants: participants.map((p) => p.id), purchases: purchases.map((p) => p.activity_id) }
  },
  unmerge: async (db: Db, mergedId: string, survivorId: string, moved: unknown) => {
    const { participants, purchases } = (moved ?? { participants: [], purchases: [] }) as { participants: string[]; purchases: string[] }
    if (participants.length)
      await rehomeRows(db, 'room_participants', survivorId, mergedId, { only: sql`id = any(${sql.param(participants)}::uuid[])`, returning: 'id' })
    if (purchases.length)
      await rehomeRows(db, 'room_purchases', survivorId, mergedId, { only: sql`activity_id = any(${sql.param(purchases)}::uuid[])`, returning: 'activity_id' })
  },
}
