import { and, eq, isNull, sql } from 'drizzle-orm'
import { type Static, type TObject, type TProperties, Type } from 'typebox'
import type { Db } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError } from '../../../platform/http/problems.js'
import { Text } from '../../../platform/http/schemas.js'
import { products } from '../../activity/index.js'
import { roomParticipants, rooms } from './schema.js'
import { appendEvent, HostOnly, type Participant, RoomEnded, type RoomEvent } from './service.js'

/** What a command runs with: the sender, its message's ref (for resends) and the time. */
export interface CommandContext {
  deps: Pick<Deps, 'db' | 'clock' | 'wiring'>
  participant: Participant
  clientRef?: string
  now: Date
}

/**
 * A message a client may send in a room: its schema (checked before anything runs) and what it
 * does. `run` returns the committed events, which the socket layer then publishes.
 */
export interface RoomCommand<P extends TProperties = TProperties> {
  schema: TObject<P>
  hostOnly?: boolean
  run(context: CommandContext, message: Static<TObject<P>>): Promise<RoomEvent[]>
}

export const Ref = Text({ minLength: 1, maxLength: 64, description: 'The sender’s id for this message: a resend with the same ref is not repeated' })
export const Sku = Text({ minLength: 1, maxLength: 100 })

/** A message's schema: its type, an optional ref, and its own fields; nothing else. */
export const message = <P extends TProperties>(type: string, properties: P) =>
  Type.Object({ type: Type.Literal(type), ref: Type.Optional(Ref), ...properties }, { additionalProperties: false })

export const command = <P extends TProperties>(c: RoomCommand<P>): RoomCommand => c as unknown as RoomCommand

/** The one event most commands write, under the sender's ref. */
export const say = (context: CommandContext, kind: string, body: Record<string, unknown>, db: Db = context.deps.db) =>
  appendEvent(db, context.now, context.participant.roomId, {
    kind,
    participantId: context.participant.participantId,
    actorMemberId: context.participant.memberId,
    body,
    clientRef: context.clientRef,
  })

export class ProductUnavailable extends DomainError {
  constructor(sku: string) {
    super('/problems/product-unavailable', 409, 'This product cannot be bought now', { sku }, `The catalogue has no ${sku} for sale, or it is out of stock.`)
  }
}

/** A product card as the catalogue has it now: price and stock are read at the moment it is shown. */
export async function productCard(db: Db, sku: string) {
  const [p] = await db
    .select({
      sku: products.sku,
      name: products.name,
      priceMinor: products.priceMinor,
      currency: products.currency,
      inStock: products.inStock,
      brand: products.brand,
    })
    .from(products)
    .where(eq(products.sku, sku))
  if (!p) throw new ProductUnavailable(sku)
  return p
}

/** Locks the room row for a change that reads the room's state first (the cart, tools, host controls). */
export async function lockOpenRoom(db: Db, roomId: string) {
  const [room] = await db.select().from(rooms).where(eq(rooms.id, roomId)).for('update')
  if (room?.status !== 'open') throw new RoomEnded(roomId)
  return room
}

const emoji = Text({ minLength: 1, maxLength: 16 })

/** Chat, reactions, presence, product cards and the host's controls. */
export const coreCommands: Record<string, RoomCommand> = {
  'chat.send': command({
    schema: message('chat.send', { text: Text({ minLength: 1, maxLength: 1000 }) }),
    run: async (context, m) => [await say(context, 'chat.message', { text: m.text })],
  }),
  'chat.react': command({
    schema: message('chat.react', { seq: Type.Integer({ minimum: 1 }), emoji }),
    run: async (context, m) => [await say(context, 'chat.reaction', { seq: m.seq, emoji: m.emoji })],
  }),
  'presence.view': command({
    schema: message('presence.view', { sku: Type.Union([Sku, Type.Null()]) }),
    run: async (context, m) => [await say(context, 'presence.viewing', { sku: m.sku })],
  }),
  'presence.follow': command({
    schema: message('presence.follow', { sku: Sku }),
    run: async (context, m) => [await say(context, 'presence.follow', { sku: m.sku, product: await productCard(context.deps.db, m.sku) })],
  }),
  'product.show': command({
    schema: message('product.show', { sku: Sku, note: Type.Optional(Text({ maxLength: 300 })) }),
    run: async (context, m) => [
      await say(context, 'product.card', {
        product: await productCard(context.deps.db, m.sku),
        note: m.note ?? null,
        staff: context.participant.role === 'associate',
      }),
    ],
  }),
  'participant.remove': command({
    schema: message('participant.remove', { participantId: Type.String({ format: 'uuid' }) }),
    hostOnly: true,
    run: (context, m) =>
      context.deps.db.transaction(async (tx) => {
        await lockOpenRoom(tx, context.participant.roomId)
        const [removed] = await tx
          .update(roomParticipants)
          .set({ removedAt: context.now })
          .where(
            and(
              eq(roomParticipants.roomId, context.participant.roomId),
              eq(roomParticipants.id, m.participantId),
              isNull(roomParticipants.removedAt),
              sql`${roomParticipants.role} <> 'host'`,
            ),
          )
          .returning()
        if (!removed) throw new DomainError('/problems/not-found', 404, 'Participant not found', { participantId: m.participantId })
        return [await say(context, 'participant.removed', { participantId: removed.id, name: removed.displayName }, tx)]
      }),
  }),
}

/** Refuses a host-only command from anyone else. */
export function checkHost(c: RoomCommand, participant: Participant, type: string) {
  if (c.hostOnly && participant.role !== 'host') throw new HostOnly(type.replace('.', ' '))
}
