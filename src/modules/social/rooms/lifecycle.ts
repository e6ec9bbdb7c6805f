import { and, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { NotFound } from '../../../platform/http/problems.js'
import { defineJob } from '../../../platform/jobs/index.js'
import { publish } from '../../../platform/outbox/index.js'
import { recordParticipation, registerActivityKind, stores } from '../../activity/index.js'
import { cartCommands } from './cart.js'
import { command, coreCommands, lockOpenRoom, message, type RoomCommand, say } from './commands.js'
import { hubs } from './hub-registry.js'
import { roomParticipants, rooms } from './schema.js'
import { appendEvent, eventFrame, type RoomEvent } from './service.js'
import { toolCommands } from './tools.js'

/** A room with no event for this long ends by itself (docs/social.md). */
export const inactiveMinutes = 30
export const coShoppingKind = 'co_shopping_session'

/**
 * Ends a room (its host, or inactivity): the last event, then the status; every member who joined
 * earns `co_shopping_session` once for the room when at least two members shopped together.
 */
export async function endRoom(deps: Pick<Deps, 'db' | 'wiring'>, db: Db, roomId: string, now: Date, reason: 'host' | 'inactive', participantId: string | null) {
  const room = await lockOpenRoom(db, roomId)
  const event = await appendEvent(db, now, roomId, { kind: 'room.ended', participantId, body: { reason } })
  await db.update(rooms).set({ status: 'ended', endedAt: now, endedReason: reason }).where(eq(rooms.id, roomId))
  await publish(db, now, [{ topic: 'room.ended', memberId: room.hostMemberId, payload: { roomId, reason } }])
  await earnForRoom({ ...deps, db }, roomId, now)
  return [event]
}

/** The once-per-member-per-room guard is the participant row's participation_at, set in the same statement that picks them. */
async function earnForRoom(deps: Pick<Deps, 'db' | 'wiring'>, roomId: string, now: Date) {
  const { db } = deps
  const [{ members }] = await db
    .select({ members: sql<number>`count(*)::int` })
    .from(roomParticipants)
    .where(and(eq(roomParticipants.roomId, roomId), isNotNull(roomParticipants.memberId), isNotNull(roomParticipants.joinedAt)))
  if (members < 2) return
  const earning = await db
    .update(roomParticipants)
    .set({ participationAt: now })
    .where(
      and(
        eq(roomParticipants.roomId, roomId),
        isNotNull(roomParticipants.memberId),
        isNotNull(roomParticipants.joinedAt),
        isNull(roomParticipants.participationAt),
      ),
    )
    .returning({ memberId: roomParticipants.memberId })
  if (earning.length === 0) return
  await registerActivityKind(db, coShoppingKind, 'Shopped live with friends', now).catch(() => {})
  await recordParticipation(
    deps,
    db,
    now,
    earning.map(({ memberId }) => ({
      memberId: memberId as string,
      kind: coShoppingKind,
      source: 'rooms',
      key: `room:${roomId}:${memberId}`,
      details: { roomId },
    })),
  )
}

/** Ends every room quiet for `inactiveMinutes`; sockets on this process hear of it at once, others at their next frame. */
export async function endInactiveRooms(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>) {
  const now = deps.clock.now()
  const quiet = await deps.db
    .select({ id: rooms.id })
    .from(rooms)
    .where(and(eq(rooms.status, 'open'), lt(rooms.lastActivityAt, new Date(now.getTime() - inactiveMinutes * 60_000))))
    .limit(500)
  let ended = 0
  for (const { id } of quiet) {
    const events = await deps.db.transaction((tx) => endRoom(deps, tx, id, now, 'inactive', null)).catch(() => [] as RoomEvent[]) // ended meanwhile by its host
    for (const event of events) hubs.get(deps.db)?.publish(id, event.seq, eventFrame(event))
    ended += events.length
  }
  return ended
}

export const jobs = [
  defineJob({
    name: 'rooms-end-inactive',
    title: 'End quiet rooms',
    description: `Ends co-shopping rooms with no activity for ${inactiveMinutes} minutes, and records each member's co-shopping session.`,
    schedule: '*/5 * * * *',
    run: async (deps) => ({ ended: await endInactiveRooms(deps) }),
    summarise: ({ ended }) => `Ended ${ended} quiet rooms.`,
  }),
]

const lifecycleCommands: Record<string, RoomCommand> = {
  'room.end': command({
    schema: message('room.end', {}),
    hostOnly: true,
    run: (context) =>
      context.deps.db.transaction((tx) => endRoom(context.deps, tx, context.participant.roomId, context.now, 'host', context.participant.participantId)),
  }),
  'associate.request': command({
    schema: message('associate.request', { storeId: Type.String({ format: 'uuid' }) }),
    hostOnly: true,
    run: (context, m) =>
      context.deps.db.transaction(async (tx) => {
        await lockOpenRoom(tx, context.participant.roomId)
        const [store] = await tx.select({ id: stores.id, name: stores.name }).from(stores).where(eq(stores.id, m.storeId))
        if (!store) throw new NotFound('Store', m.storeId)
        await tx.update(rooms).set({ associateStoreId: store.id, associateRequestedAt: context.now }).where(eq(rooms.id, context.participant.roomId))
        return [await say(context, 'associate.requested', { storeId: store.id, storeName: store.name }, tx)]
      }),
  }),
}

/** Every message a room understands: chat and presence, the cart, the host's controls, and the tools wired in. */
export function roomCommands(deps: Pick<Deps, 'wiring'>): Record<string, RoomCommand> {
  return { ...coreCommands, ...cartCommands, ...lifecycleCommands, ...toolCommands(deps.wiring.roomTools ?? []) }
}
