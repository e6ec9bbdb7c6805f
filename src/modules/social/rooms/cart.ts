import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import { Type } from 'typebox'
import type { Db } from '../../../platform/db/index.js'
import { DomainError } from '../../../platform/http/problems.js'
import { Money } from '../../../platform/http/schemas.js'
import { newId } from '../../../platform/ids.js'
import { publish } from '../../../platform/outbox/index.js'
import { type CommandContext, command, lockOpenRoom, message, ProductUnavailable, productCard, type RoomCommand, Sku, say } from './commands.js'
import { roomCartLines, roomParticipants, rooms } from './schema.js'

export const paymentModes = ['host_pays', 'own_lines', 'split_even'] as const
export type PaymentMode = (typeof paymentModes)[number]

export class CartLocked extends DomainError {
  constructor(locked: boolean) {
    super(
      '/problems/cart-locked',
      409,
      locked ? 'The cart is locked for checkout' : 'The cart is not locked',
      { locked },
      locked ? 'The host locked the cart; ask them to unlock it to change it.' : 'The host locks the cart before checkout.',
    )
  }
}

export class SpendCapExceeded extends DomainError {
  constructor(participantId: string, capMinor: number, amountMinor: number) {
    super('/problems/spend-cap-exceeded', 409, 'This would take a participant over the spend cap', { participantId, capMinor, amountMinor })
  }
}

interface Line {
  id: string
  sku: string
  name: string
  quantity: number
  unitPriceMinor: number
  currency: string
  inStock: boolean
  addedBy: string
  addedByName: string
}

/** Who pays what: the host all, each their own lines, or the total split evenly (the first members take the odd pennies). */
export function payerSplit(lines: Line[], mode: PaymentMode, members: { id: string; name: string; host: boolean }[]) {
  const total = lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0)
  if (mode === 'host_pays') return members.filter((m) => m.host).map((m) => ({ participantId: m.id, name: m.name, amountMinor: total }))
  if (mode === 'own_lines')
    return members.map((m) => ({
      participantId: m.id,
      name: m.name,
      amountMinor: lines.filter((l) => l.addedBy === m.id).reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0),
    }))
  const share = Math.floor(total / Math.max(members.length, 1))
  const odd = total - share * members.length
  return members.map((m, i) => ({ participantId: m.id, name: m.name, amountMinor: share + (i < odd ? 1 : 0) }))
}

/** The cart as everyone in the room sees it: lines with who added them (and the catalogue's stock now), the payment and the split. */
export async function cartOf(db: Db, roomId: string) {
  const [room] = await db.select().from(rooms).where(eq(rooms.id, roomId))
  const lines = await db
    .select({
      id: roomCartLines.id,
      sku: roomCartLines.sku,
      name: sql<string>`coalesce((select p.name from products p where p.sku = ${roomCartLines.sku}), ${roomCartLines.sku})`,
      quantity: roomCartLines.quantity,
      unitPriceMinor: roomCartLines.unitPriceMinor,
      currency: roomCartLines.currency,
      inStock: sql<boolean>`coalesce((select p.in_stock from products p where p.sku = ${roomCartLines.sku}), false)`,
      addedBy: roomCartLines.addedBy,
      addedByName: roomParticipants.displayName,
    })
    .from(roomCartLines)
    .innerJoin(roomParticipants, and(eq(roomParticipants.roomId, roomCartLines.roomId), eq(roomParticipants.id, roomCartLines.addedBy)))
    .where(and(eq(roomCartLines.roomId, roomId), isNull(roomCartLines.removedAt)))
    .orderBy(asc(roomCartLines.addedAt), asc(roomCartLines.id))
  const members = await db
    .select({ id: roomParticipants.id, name: roomParticipants.displayName, role: roomParticipants.role, memberId: roomParticipants.memberId })
    .from(roomParticipants)
    .where(
      and(eq(roomParticipants.roomId, roomId), isNotNull(roomParticipants.memberId), isNotNull(roomParticipants.joinedAt), isNull(roomParticipants.removedAt)),
    )
    .orderBy(sql`${roomParticipants.role} = 'host' desc`, asc(roomParticipants.joinedAt))
  const mode = room.payment as PaymentMode
  return {
    cartId: room.cartId,
    payment: mode,
    spendCapMinor: room.spendCapMinor,
    locked: room.cartLockedAt !== null,
    checkedOut: room.checkedOutAt !== null,
    currency: lines[0]?.currency ?? 'GBP',
    totalMinor: lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0),
    lines,
    payers: payerSplit(
      lines,
      mode,
      members.map((m) => ({ id: m.id, name: m.name, host: m.role === 'host' })),
    ),
    memberIds: Object.fromEntries(members.map((m) => [m.id, m.memberId as string])),
  }
}

/** Writes the cart's new state as one event, after checking the spend cap against it (a breach rolls the change back). */
async function cartChanged(context: CommandContext, db: Db, change: string) {
  const cart = await cartOf(db, context.participant.roomId)
  const over = cart.spendCapMinor === null ? undefined : cart.payers.find((p) => p.amountMinor > (cart.spendCapMinor as number))
  if (over) throw new SpendCapExceeded(over.participantId, cart.spendCapMinor as number, over.amountMinor)
  const { memberIds: _ids, ...shown } = cart
  return [await say(context, 'cart.changed', { change, cart: shown }, db)]
}

const unlocked = async (db: Db, roomId: string) => {
  const room = await lockOpenRoom(db, roomId)
  if (room.cartLockedAt) throw new CartLocked(true)
  return room
}

const notAssociate = (context: CommandContext) => {
  if (context.participant.role === 'associate') throw new DomainError('/problems/room-members-only', 403, 'Only members shop from the cart', {})
}

export const cartCommands: Record<string, RoomCommand> = {
  'cart.add': command({
    schema: message('cart.add', { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 99 }) }),
    run: (context, m) =>
      context.deps.db.transaction(async (tx) => {
        notAssociate(context)
        await unlocked(tx, context.participant.roomId)
        const product = await productCard(tx, m.sku)
        if (!product.inStock || product.priceMinor === null) throw new ProductUnavailable(m.sku)
        await tx.insert(roomCartLines).values({
          roomId: context.participant.roomId,
          id: newId(),
          sku: product.sku,
          quantity: m.quantity,
          unitPriceMinor: product.priceMinor,
          currency: product.currency,
          addedBy: context.participant.participantId,
          addedAt: context.now,
        })
        return cartChanged(context, tx, 'added')
      }),
  }),
  'cart.remove': command({
    schema: message('cart.remove', { lineId: Type.String({ format: 'uuid' }) }),
    run: (context, m) =>
      context.deps.db.transaction(async (tx) => {
        notAssociate(context)
        await unlocked(tx, context.participant.roomId)
        const gone = await tx
          .update(roomCartLines)
          .set({ removedAt: context.now })
          .where(and(eq(roomCartLines.roomId, context.participant.roomId), eq(roomCartLines.id, m.lineId), isNull(roomCartLines.removedAt)))
          .returning({ id: roomCartLines.id })
        if (gone.length === 0) throw new DomainError('/problems/not-found', 404, 'Cart line not found', { lineId: m.lineId })
        return cartChanged(context, tx, 'removed')
      }),
  }),
  'cart.payment': command({
    schema: message('cart.payment', {
      mode: Type.Union(paymentModes.map((m) => Type.Literal(m))),
      spendCapMinor: Type.Union([Money(), Type.Null()]),
    }),
    hostOnly: true,
    run: (context, m) =>
      context.deps.db.transaction(async (tx) => {
        await unlocked(tx, context.participant.roomId)
        await tx.update(rooms).set({ payment: m.mode, spendCapMinor: m.spendCapMinor }).where(eq(rooms.id, context.participant.roomId))
        return cartChanged(context, tx, 'payment')
      }),
  }),
  'cart.lock': command({
    schema: message('cart.lock', { locked: Type.Boolean() }),
    hostOnly: true,
    run: (context, m) =>
      context.deps.db.transaction(async (tx) => {
        const room = await lockOpenRoom(tx, context.participant.roomId)
        if (room.checkedOutAt) throw new CartLocked(true)
        await tx
          .update(rooms)
          .set({ cartLockedAt: m.locked ? context.now : null })
          .where(eq(rooms.id, room.id))
        return cartChanged(context, tx, m.locked ? 'locked' : 'unlocked')
      }),
  }),
  'cart.checkout': command({
    schema: message('cart.checkout', {}),
    hostOnly: true,
    run: (context) =>
      context.deps.db.transaction(async (tx) => {
        const room = await lockOpenRoom(tx, context.participant.roomId)
        if (!room.cartLockedAt || room.checkedOutAt) throw new CartLocked(room.checkedOutAt !== null)
        const cart = await cartOf(tx, room.id)
        if (cart.lines.length === 0) throw new DomainError('/problems/cart-empty', 409, 'The cart is empty', {})
        await tx.update(rooms).set({ checkedOutAt: context.now }).where(eq(rooms.id, room.id))
        // The commerce system takes it from here (docs/api.md#co-shopping-checkout): the event is
        // written with the checkout, so it exists exactly when the checkout does.
        await publish(tx, context.now, [
          {
            topic: 'room.checkout',
            memberId: room.hostMemberId,
            payload: {
              roomId: room.id,
              cartId: room.cartId,
              currency: cart.currency,
              totalMinor: cart.totalMinor,
              payment: cart.payment,
              lines: cart.lines.map((l) => ({
                sku: l.sku,
                quantity: l.quantity,
                unitPriceMinor: l.unitPriceMinor,
                addedBy: cart.memberIds[l.addedBy] ?? null,
              })),
              payers: cart.payers.map((p) => ({ memberId: cart.memberIds[p.participantId], amountMinor: p.amountMinor })),
            },
          },
        ])
        const { memberIds: _ids, ...shown } = cart
        return [await say(context, 'cart.checked_out', { cart: { ...shown, checkedOut: true } }, tx)]
      }),
  }),
}
