import { Type } from 'typebox'
import { Id, Nullable, Timestamp } from '../../../platform/http/schemas.js'

// The rooms' response shapes: routes.ts answers with them and the web app reads their types.

export const Participant = Type.Object({
  id: Id,
  name: Type.String(),
  role: Type.Union([Type.Literal('host'), Type.Literal('guest'), Type.Literal('associate')]),
  staff: Type.Boolean({ description: 'An associate of the retailer: shown with a staff badge' }),
  joinedAt: Timestamp,
  removed: Type.Boolean(),
})
export const Room = Type.Object(
  {
    id: Id,
    title: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('ended')]),
    lastSeq: Type.Integer(),
    createdAt: Timestamp,
    endedAt: Nullable(Timestamp),
    you: Id,
    role: Type.String(),
    inviteCode: Nullable(Type.String({ description: 'The invite link’s code (host only): /rooms/<id>?code=<code>' })),
    cartId: Id,
    participants: Type.Array(Participant),
  },
  { $id: 'Room' },
)
export const RoomListing = Type.Object({
  id: Id,
  title: Type.String(),
  host: Type.String(),
  people: Type.Integer(),
  createdAt: Timestamp,
  endedAt: Nullable(Timestamp),
})
export const RoomEvent = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  kind: Type.String(),
  participant: Nullable(Id),
  body: Type.Record(Type.String(), Type.Unknown()),
})
export const Product = Type.Object({ sku: Type.String(), priceMinor: Nullable(Type.Integer()), currency: Type.String(), inStock: Type.Boolean() })
export const Suggestion = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  brand: Nullable(Type.String()),
  why: Type.String(),
  priceMinor: Nullable(Type.Integer()),
  currency: Type.String(),
  inStock: Type.Boolean(),
})
export const AssociateRequest = Type.Object({
  roomId: Id,
  title: Type.String(),
  storeId: Id,
  storeName: Type.String(),
  requestedAt: Timestamp,
  members: Type.Array(Type.Object({ name: Type.String(), talkingPoints: Type.Array(Type.String()) })),
})
