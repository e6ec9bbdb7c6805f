import { randomBytes, timingSafeEqual } from 'node:crypto'
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { Principal } from '../../../platform/auth/principal.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { publish } from '../../../platform/outbox/index.js'
import { areFriends, isBlocked, recordMeeting } from '../index.js'
import { roomEvents, roomParticipants, rooms } from './schema.js'

export type RoomRow = typeof rooms.$inferSelect
export type ParticipantRow = typeof roomParticipants.$inferSelect

/** Who is acting in a room: a joined, not removed participant (a member, or the associate guest). */
export interface Participant {
  roomId: string
  participantId: string
  memberId: string | null
  associateUserId: string | null
  role: 'host' | 'guest' | 'associate'
  name: string
}

export class RoomEnded extends DomainError {
  constructor(roomId: string) {
    super('/problems/room-ended', 409, 'The room has ended', { roomId }, 'Its history stays readable; open a new room to shop together again.')
  }
}

export class HostOnly extends DomainError {
  constructor(what: string) {
    super('/problems/room-host-only', 403, 'Only the host can do this', { action: what }, `Only the room's host can ${what}.`)
  }
}

export class RoomRefused extends DomainError {
  constructor(detail: string, reason: string) {
    super('/problems/room-refused', 403, 'You cannot be in this room', { reason }, detail)
  }
}

/** A room event as stored, and as every client receives it (one frame, the same from the database and the bus). */
export interface RoomEvent {
  seq: number
  at: Date
  kind: string
  participantId: string | null
  body: Record<string, unknown>
}

export const eventFrame = (e: RoomEvent): string =>
  JSON.stringify({ type: 'event', seq: e.seq, at: e.at.toISOString(), kind: e.kind, participant: e.participantId, body: e.body })

const newInviteCode = () => randomBytes(12).toString('base64url')

const sameCode = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Opens a room with its host in it; the invite link's code goes to the host only. */
export async function openRoom({ db, clock }: Pick<Deps, 'db' | 'clock'>, host: { memberId: string; name: string }, title: string) {
  const now = clock.now()
  const room = { id: newId(), hostMemberId: host.memberId, title, inviteCode: newInviteCode(), cartId: newId(), createdAt: now, lastActivityAt: now }
  const participantId = newId()
  return db.transaction(async (tx) => {
    await tx.insert(rooms).values(room)
    await tx
      .insert(roomParticipants)
      .values({ roomId: room.id, id: participantId, memberId: host.memberId, displayName: host.name, role: 'host', joinedAt: now })
    const event = await appendEvent(tx, now, room.id, {
      kind: 'member.joined',
      participantId,
      actorMemberId: host.memberId,
      body: { name: host.name, role: 'host' },
    })
    // "Ada is shopping live — join" in her friends' feeds (rooms/feed.ts), until the room ends.
    await publish(tx, now, [{ topic: 'room.opened', memberId: host.memberId, payload: { roomId: room.id, title } }])
    return { room: { ...room, status: 'open', lastSeq: 1 }, participantId, events: [event] }
  })
}

/**
 * Writes one event under the next number, in one statement: the room row's update takes the
 * number and its lock (a concurrent event waits, so numbers commit in order), and a message the
 * sender already sent (same clientRef) takes none. Undefined: the room is not open, or it is a resend.
 */
export async function appendEvent(
  db: Db,
  at: Date,
  roomId: string,
  event: { kind: string; participantId: string | null; actorMemberId?: string | null; body: Record<string, unknown>; clientRef?: string },
): Promise<RoomEvent> {
  const clientRef = event.clientRef ?? null
  const [row] = await queryRows<{ seq: number }>(
    db,
    sql`with taken as (
          update rooms set last_seq = last_seq + 1, last_activity_at = ${at}
           where id = ${roomId} and status = 'open'
             and (${clientRef}::text is null or not exists (select 1 from room_events where room_id = ${roomId} and client_ref = ${clientRef}))
          returning last_seq)
        insert into room_events (room_id, seq, at, kind, participant_id, actor_member_id, client_ref, body)
        select ${roomId}, last_seq, ${at}, ${event.kind}, ${event.participantId}, ${event.actorMemberId ?? null}, ${clientRef}, ${JSON.stringify(event.body)}::jsonb
          from taken
        returning seq`,
  )
  if (row) return { seq: Number(row.seq), at, kind: event.kind, participantId: event.participantId, body: event.body }
  if (clientRef) {
    const [sent] = await db
      .select()
      .from(roomEvents)
      .where(and(eq(roomEvents.roomId, roomId), eq(roomEvents.clientRef, clientRef)))
    if (sent) throw new AlreadySent(Number(sent.seq))
  }
  throw new RoomEnded(roomId)
}

/** A message the sender had sent before (a resend after a reconnect): answered with its number, not repeated. */
export class AlreadySent extends Error {
  constructor(readonly seq: number) {
    super('already sent')
  }
}

/** The room's events after `after` (up to `upTo`), oldest first. */
export async function eventsAfter(db: Db, roomId: string, after: number, { upTo, limit = 5000 }: { upTo?: number; limit?: number } = {}): Promise<RoomEvent[]> {
  const rows = await queryRows<{ seq: number; at: Date | string; kind: string; participant_id: string | null; body: Record<string, unknown> }>(
    db,
    sql`select seq, at, kind, participant_id, body from room_events
         where room_id = ${roomId} and seq > ${after} ${upTo === undefined ? sql`` : sql`and seq <= ${upTo}`}
         order by seq limit ${limit}`,
  )
  return rows.map((r) => ({ seq: Number(r.seq), at: new Date(r.at), kind: r.kind, participantId: r.participant_id, body: r.body }))
}

/** A room's history for one of its participants, also after it ended. */
export async function eventsOfRoom(db: Db, roomId: string, principal: Principal | undefined, { after = 0, limit = 500 }: { after?: number; limit?: number }) {
  await participantOf(db, roomId, principal)
  return (await eventsAfter(db, roomId, after, { limit })).map((e) => ({ ...e, at: e.at.toISOString(), participant: e.participantId }))
}

export async function lastSeqOf(db: Db, roomId: string): Promise<number> {
  const [row] = await db.select({ lastSeq: rooms.lastSeq }).from(rooms).where(eq(rooms.id, roomId))
  return row?.lastSeq ?? 0
}

const asParticipant = (p: ParticipantRow): Participant => ({
  roomId: p.roomId,
  participantId: p.id,
  memberId: p.memberId,
  associateUserId: p.associateUserId,
  role: p.role as Participant['role'],
  name: p.displayName,
})

/** The caller as a participant of the room (joined and not removed), or a 404: "not yours" reads as "not found". */
export async function participantOf(db: Db, roomId: string, principal: Principal | undefined): Promise<Participant> {
  const who =
    principal?.kind === 'member'
      ? eq(roomParticipants.memberId, principal.memberId)
      : principal?.kind === 'staff'
        ? eq(roomParticipants.associateUserId, principal.userId)
        : undefined
  if (!who) throw new NotFound('Room', roomId)
  const [row] = await db
    .select()
    .from(roomParticipants)
    .where(and(eq(roomParticipants.roomId, roomId), who, isNull(roomParticipants.removedAt), sql`${roomParticipants.joinedAt} is not null`))
  if (!row) throw new NotFound('Room', roomId)
  return asParticipant(row)
}

export async function roomById(db: Db, roomId: string): Promise<RoomRow> {
  const [room] = await db.select().from(rooms).where(eq(rooms.id, roomId))
  if (!room) throw new NotFound('Room', roomId)
  return room
}

/** A room as one of its participants sees it: who is in it and, for the host, the invite link's code. */
export async function roomView(db: Db, roomId: string, principal: Principal | undefined) {
  const you = await participantOf(db, roomId, principal)
  const room = await roomById(db, roomId)
  const participants = await db.select().from(roomParticipants).where(eq(roomParticipants.roomId, roomId)).orderBy(asc(roomParticipants.joinedAt))
  return {
    id: room.id,
    title: room.title,
    status: room.status as 'open' | 'ended',
    lastSeq: room.lastSeq,
    createdAt: room.createdAt.toISOString(),
    endedAt: room.endedAt?.toISOString() ?? null,
    you: you.participantId,
    role: you.role,
    inviteCode: you.role === 'host' ? room.inviteCode : null,
    cartId: room.cartId,
    participants: participants
      .filter((p) => p.joinedAt)
      .map((p) => ({
        id: p.id,
        name: p.displayName,
        role: p.role as Participant['role'],
        staff: p.role === 'associate',
        joinedAt: (p.joinedAt as Date).toISOString(),
        removed: p.removedAt !== null,
      })),
  }
}

/**
 * Joins a member by the invite link's code, or accepts their invitation. Joining twice is a no-op;
 * a removed member stays out. `refuse` may veto (blocks); the events to publish are returned.
 */
export async function joinRoom(
  { db, clock }: Pick<Deps, 'db' | 'clock'>,
  roomId: string,
  member: { memberId: string; name: string },
  code: string | undefined,
) {
  const now = clock.now()
  return db.transaction(async (tx) => {
    const [room] = await tx.select().from(rooms).where(eq(rooms.id, roomId)).for('update')
    const [existing] = room
      ? await tx
          .select()
          .from(roomParticipants)
          .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.memberId, member.memberId)))
      : []
    const invited = existing !== undefined && existing.removedAt === null
    // The invited, the link's holders, and the host's friends (who see the room in their feed).
    const welcome =
      invited ||
      (code !== undefined && sameCode(code, room?.inviteCode ?? '')) ||
      (room !== undefined && (await areFriends(tx, room.hostMemberId, member.memberId)))
    if (!room || !welcome) throw new NotFound('Room', roomId)
    if (existing?.removedAt) throw new RoomRefused('The host removed you from this room.', 'removed')
    if (existing?.joinedAt) return { participantId: existing.id, events: [] as RoomEvent[] }
    if (room.status !== 'open') throw new RoomEnded(roomId)
    const others = await membersIn(tx, roomId)
    if (await blockedWithAny(tx, member.memberId, others)) throw new RoomRefused('You cannot join this room.', 'blocked')
    const participantId = existing?.id ?? newId()
    if (existing)
      await tx
        .update(roomParticipants)
        .set({ joinedAt: now, displayName: member.name })
        .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.id, existing.id)))
    else
      await tx.insert(roomParticipants).values({ roomId, id: participantId, memberId: member.memberId, displayName: member.name, role: 'guest', joinedAt: now })
    const event = await appendEvent(tx, now, roomId, {
      kind: 'member.joined',
      participantId,
      actorMemberId: member.memberId,
      body: { name: member.name, role: 'guest' },
    })
    // Everyone in the room now finds the others in "people you may know".
    await recordMeeting(tx, [member.memberId, ...others], { source: 'room', ref: roomId, at: now })
    return { participantId, events: [event] }
  })
}

/** The members who joined the room and are still in it. */
async function membersIn(db: Db, roomId: string): Promise<string[]> {
  const rows = await db
    .select({ memberId: roomParticipants.memberId })
    .from(roomParticipants)
    .where(
      and(
        eq(roomParticipants.roomId, roomId),
        isNull(roomParticipants.removedAt),
        sql`${roomParticipants.joinedAt} is not null and ${roomParticipants.memberId} is not null`,
      ),
    )
  return rows.map((r) => r.memberId as string)
}

/** A block either way between the member and anyone in the room keeps them apart: blocked members never share a room. */
async function blockedWithAny(db: Db, memberId: string, others: string[]): Promise<boolean> {
  for (const other of others) if (other !== memberId && (await isBlocked(db, memberId, other))) return true
  return false
}

export class NotFriends extends DomainError {
  constructor(memberId: string) {
    super(
      '/problems/room-invite-refused',
      409,
      'Only friends can be invited',
      { memberId },
      'Invite friends by name; anyone else can join with the room’s invite link.',
    )
  }
}

/**
 * The host invites a friend: the invitation waits on the friend's home page until they join. A
 * member who is not the host's friend, or is blocked by (or blocks) the host or anyone in the room,
 * cannot be invited; the answer is the same as for a stranger.
 */
export async function inviteToRoom({ db, clock }: Pick<Deps, 'db' | 'clock'>, roomId: string, host: Principal | undefined, memberId: string) {
  const me = await participantOf(db, roomId, host)
  if (me.role !== 'host') throw new HostOnly('invite members')
  const now = clock.now()
  return db.transaction(async (tx) => {
    const [room] = await tx.select().from(rooms).where(eq(rooms.id, roomId)).for('update')
    if (room?.status !== 'open') throw new RoomEnded(roomId)
    const others = await membersIn(tx, roomId)
    if (!(await areFriends(tx, room.hostMemberId, memberId)) || (await blockedWithAny(tx, memberId, others))) throw new NotFriends(memberId)
    const name = await memberName(tx, memberId)
    const [invited] = await tx
      .insert(roomParticipants)
      .values({ roomId, id: newId(), memberId, displayName: name, role: 'guest', invitedAt: now })
      .onConflictDoNothing()
      .returning()
    if (!invited) return { events: [] as RoomEvent[] } // invited or in the room already
    const event = await appendEvent(tx, now, roomId, {
      kind: 'member.invited',
      participantId: me.participantId,
      actorMemberId: me.memberId,
      body: { participantId: invited.id, name },
    })
    return { events: [event] }
  })
}

async function memberName(db: Db, memberId: string): Promise<string> {
  const [row] = await queryRows<{ name: string }>(
    db,
    sql`select coalesce(nullif(trim(concat_ws(' ', given_name, left(family_name, 1) || '.')), ''), 'Member ' || right(id::text, 6)) as name from members where id = ${memberId}`,
  )
  if (!row) throw new NotFriends(memberId)
  return row.name
}

/** A member's rooms for their home page: open ones they are in, invitations waiting, and past ones. */
export async function roomsOf(db: Db, memberId: string) {
  const rows = await queryRows<{
    id: string
    title: string
    status: string
    created_at: Date | string
    ended_at: Date | string | null
    joined_at: Date | string | null
    host: string
    people: number
  }>(
    db,
    sql`select r.id, r.title, r.status, r.created_at, r.ended_at, p.joined_at,
               (select h.display_name from room_participants h where h.room_id = r.id and h.role = 'host') as host,
               (select count(*)::int from room_participants o where o.room_id = r.id and o.joined_at is not null and o.removed_at is null) as people
          from room_participants p join rooms r on r.id = p.room_id
         where p.member_id = ${memberId} and p.removed_at is null
         order by r.last_activity_at desc limit 50`,
  )
  const item = (r: (typeof rows)[number]) => ({
    id: r.id,
    title: r.title,
    host: r.host,
    people: r.people,
    createdAt: new Date(r.created_at).toISOString(),
    endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
  })
  return {
    open: rows.filter((r) => r.status === 'open' && r.joined_at).map(item),
    invitations: rows.filter((r) => r.status === 'open' && !r.joined_at).map(item),
    past: rows.filter((r) => r.status === 'ended' && r.joined_at).map(item),
  }
}
