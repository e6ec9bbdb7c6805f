import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Principal } from '../../../platform/auth/principal.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { suggestionsFor, talkingPoints, tasteProfile } from '../../advisor/index.js'
import { roomParticipants, rooms } from './schema.js'
import { appendEvent, participantOf, RoomEnded } from './service.js'

type Staff = Extract<Principal, { kind: 'staff' }>

/** The stores a staff login answers rooms for: those it names, or all (admins, logins naming none). */
const storesOf = (staff: Staff) => (staff.role === 'admin' || staff.storeIds.length === 0 ? undefined : staff.storeIds)

/**
 * Live requests for an associate, for the associates of the stores asked (the console shows them
 * while they are signed in there): open rooms asking for one that no associate has joined yet, with
 * each member's talking points from the advisor.
 */
export async function associateRequests(deps: Pick<Deps, 'db' | 'clock'>, staff: Staff) {
  const stores = storesOf(staff)
  const open = await queryRows<{ id: string; title: string; store_id: string; store_name: string; requested_at: Date | string }>(
    deps.db,
    sql`select r.id, r.title, r.associate_store_id as store_id, s.name as store_name, r.associate_requested_at as requested_at
          from rooms r join stores s on s.id = r.associate_store_id
         where r.status = 'open' and r.associate_requested_at is not null
           ${stores ? sql`and r.associate_store_id = any(${sql.param(stores)}::uuid[])` : sql``}
           and not exists (select 1 from room_participants a where a.room_id = r.id and a.role = 'associate' and a.removed_at is null)
         order by r.associate_requested_at limit 50`,
  )
  return Promise.all(
    open.map(async (room) => {
      const members = await deps.db
        .select({ memberId: roomParticipants.memberId, name: roomParticipants.displayName })
        .from(roomParticipants)
        .where(
          and(
            eq(roomParticipants.roomId, room.id),
            isNotNull(roomParticipants.memberId),
            isNotNull(roomParticipants.joinedAt),
            isNull(roomParticipants.removedAt),
          ),
        )
      return {
        roomId: room.id,
        title: room.title,
        storeId: room.store_id,
        storeName: room.store_name,
        requestedAt: new Date(room.requested_at).toISOString(),
        members: await Promise.all(
          members.map(async (m) => {
            const taste = await tasteProfile(deps, m.memberId as string).catch(() => ({ learned: [] }))
            return { name: m.name, talkingPoints: await talkingPoints(deps.db, m.memberId as string, taste.learned) }
          }),
        ),
      }
    }),
  )
}

export class AssociateAlreadyJoined extends DomainError {
  constructor(roomId: string) {
    super('/problems/room-has-associate', 409, 'An associate has already joined this room', { roomId })
  }
}

/** An associate of the store asked joins the room as a guest with a staff badge. */
export async function joinAsAssociate({ db, clock }: Pick<Deps, 'db' | 'clock'>, roomId: string, staff: Staff) {
  const now = clock.now()
  const stores = storesOf(staff)
  return db.transaction(async (tx) => {
    const [room] = await tx.select().from(rooms).where(eq(rooms.id, roomId)).for('update')
    if (!room?.associateRequestedAt || (stores && !stores.includes(room.associateStoreId as string))) throw new NotFound('Room', roomId)
    if (room.status !== 'open') throw new RoomEnded(roomId)
    const [present] = await tx
      .select()
      .from(roomParticipants)
      .where(and(eq(roomParticipants.roomId, roomId), eq(roomParticipants.role, 'associate'), isNull(roomParticipants.removedAt)))
    if (present && present.associateUserId !== staff.userId) throw new AssociateAlreadyJoined(roomId)
    if (present) return { participantId: present.id, events: [] }
    const participantId = newId()
    await tx
      .insert(roomParticipants)
      .values({ roomId, id: participantId, associateUserId: staff.userId, displayName: staff.displayName, role: 'associate', joinedAt: now })
    const event = await appendEvent(tx, now, roomId, { kind: 'associate.joined', participantId, body: { name: staff.displayName, staff: true } })
    return { participantId, events: [event] }
  })
}

/**
 * What these members together may like: each member's suggestions from the advisor (their consent
 * and exclusions applied as always), ranked by how many of them it suits, then by rank.
 */
export async function roomSuggestions(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, roomId: string, principal: Principal | undefined) {
  await participantOf(deps.db, roomId, principal)
  const members = await deps.db
    .select({ memberId: roomParticipants.memberId })
    .from(roomParticipants)
    .where(
      and(eq(roomParticipants.roomId, roomId), isNotNull(roomParticipants.memberId), isNotNull(roomParticipants.joinedAt), isNull(roomParticipants.removedAt)),
    )
  const lists = await Promise.all(members.map((m) => suggestionsFor(deps, m.memberId as string, { k: 8 })))
  const scored = new Map<string, { sku: string; name: string; brand: string | null; members: number; rank: number }>()
  for (const list of lists)
    list.forEach((s, rank) => {
      const seen = scored.get(s.sku) ?? { sku: s.sku, name: s.name, brand: s.brand, members: 0, rank: 0 }
      scored.set(s.sku, { ...seen, members: seen.members + 1, rank: seen.rank + rank })
    })
  const top = [...scored.values()].sort((a, b) => b.members - a.members || a.rank - b.rank).slice(0, 6)
  const live = await liveProducts(
    deps.db,
    top.map((s) => s.sku),
  )
  return top.map((s) => ({
    sku: s.sku,
    name: s.name,
    brand: s.brand,
    why: s.members > 1 ? `Suits ${s.members} of you` : 'Suggested for one of you',
    ...(live.get(s.sku) ?? { priceMinor: null, currency: 'GBP', inStock: false }),
  }))
}

/** Price and stock now, for the products a room shows (cards, cart, suggestions): pages refresh them. */
export async function liveProducts(db: Db, skus: string[]) {
  if (skus.length === 0) return new Map<string, { priceMinor: number | null; currency: string; inStock: boolean }>()
  const rows = await queryRows<{ sku: string; price_minor: number | null; currency: string; in_stock: boolean }>(
    db,
    sql`select sku, price_minor, currency, in_stock from products where sku = any(${sql.param(skus)}::text[])`,
  )
  return new Map(rows.map((r) => [r.sku, { priceMinor: r.price_minor === null ? null : Number(r.price_minor), currency: r.currency, inStock: r.in_stock }]))
}
