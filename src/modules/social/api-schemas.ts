import { Type } from 'typebox'
import { Id, Nullable, Text, Timestamp } from '../../platform/http/schemas.js'

// What the social routes take and answer. The web app imports these types (a leaf: typebox and
// platform/http/schemas.ts only), so a field changed here fails its type check.

const Person = { memberId: Id, name: Type.String() }
export const Member = Type.Object(Person)

export const FriendsPage = Type.Object(
  {
    visible: Type.Boolean({ description: 'Whether I gave social visibility consent; without it nobody sees me and I cannot add friends' }),
    invite: Type.Object({
      code: Type.String({ description: 'My invite code: a friend types it, or opens the link (the QR code on my card encodes the link)' }),
      link: Type.String(),
    }),
    friends: Type.Array(Type.Object({ ...Person, since: Timestamp, via: Type.String() })),
    incoming: Type.Array(Type.Object({ ...Person, via: Type.String(), sentAt: Timestamp })),
    outgoing: Type.Array(Type.Object({ ...Person, via: Type.String(), sentAt: Timestamp })),
    blocked: Type.Array(Type.Object({ ...Person, blockedAt: Timestamp })),
    peopleYouMayKnow: Type.Array(
      Type.Object({ ...Person, reasons: Type.Array(Type.String(), { description: 'room: we were in a room together; referral: one brought the other' }) }),
    ),
  },
  { $id: 'FriendsPage' },
)
export const FriendRequest = Type.Union(
  [
    Type.Object(
      {
        code: Text({ minLength: 4, maxLength: 40, description: 'The friend’s invite code' }),
        via: Type.Optional(Type.Union([Type.Literal('code'), Type.Literal('link'), Type.Literal('qr')])),
      },
      { additionalProperties: false },
    ),
    Type.Object({ memberId: Id }, { additionalProperties: false, description: 'Someone from my people you may know' }),
  ],
  { description: 'By invite code, or by member id for people you may know' },
)
export const RequestResult = Type.Object({ status: Type.Union([Type.Literal('requested'), Type.Literal('friends')]), member: Member })

const LiveProduct = {
  name: Nullable(Type.String()),
  priceMinor: Nullable(Type.Integer()),
  currency: Nullable(Type.String()),
  inStock: Nullable(Type.Boolean()),
}
export const Feed = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Id,
        kind: Type.String({ description: 'purchase, wishlist; rooms add live, later reviews and ideas' }),
        actor: Member,
        occurredAt: Timestamp,
        subject: Type.Record(Type.String(), Type.Unknown(), { description: 'What the card shows; its kind says which fields' }),
        product: Nullable(Type.Object({ sku: Type.String(), ...LiveProduct }, { description: 'The product as the catalogue has it now' })),
      }),
    ),
    nextCursor: Nullable(Type.String()),
  },
  { $id: 'Feed' },
)
export const NewShare = Type.Object(
  { activityId: Id, sku: Text({ minLength: 1, maxLength: 100 }), note: Type.Optional(Nullable(Text({ maxLength: 280 }))) },
  { additionalProperties: false },
)
export const Shares = Type.Object({
  items: Type.Array(
    Type.Object({
      shareId: Id,
      kind: Type.String(),
      sku: Type.String(),
      productName: Nullable(Type.String()),
      note: Nullable(Type.String()),
      activityId: Nullable(Id),
      sharedAt: Timestamp,
    }),
  ),
})

const Role = Type.Union([Type.Literal('owner'), Type.Literal('editor'), Type.Literal('viewer')])
const Kind = Type.Union([Type.Literal('wishlist'), Type.Literal('gift')])
export const Lists = Type.Object({
  items: Type.Array(Type.Object({ listId: Id, kind: Kind, title: Type.String(), owner: Member, role: Role, items: Type.Integer() })),
})
export const List = Type.Object(
  {
    listId: Id,
    kind: Kind,
    title: Type.String(),
    owner: Member,
    role: Role,
    sharedWith: Type.Array(Type.Object({ ...Person, role: Role }), { description: 'Only the owner is told' }),
    items: Type.Array(
      Type.Object({
        itemId: Id,
        sku: Type.String(),
        quantity: Type.Integer(),
        note: Nullable(Type.String()),
        addedAt: Timestamp,
        addedBy: Nullable(Member),
        product: Type.Object(LiveProduct),
        reservation: Type.Union([Type.Object({ ...Person, mine: Type.Boolean() }), Type.Null()], {
          description: '“I’ll get this”: always null for the list’s owner',
        }),
      }),
    ),
  },
  { $id: 'List' },
)
export const NewList = Type.Object({ kind: Kind, title: Text({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false })
export const NewListItem = Type.Object(
  {
    sku: Text({ minLength: 1, maxLength: 100 }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
    note: Type.Optional(Nullable(Text({ maxLength: 280 }))),
    share: Type.Optional(Type.Boolean({ description: 'Tell my friends (wishlists only)' })),
  },
  { additionalProperties: false },
)
export const ListShare = Type.Object({ role: Type.Union([Type.Literal('editor'), Type.Literal('viewer')]) }, { additionalProperties: false })
export const ProductMatches = Type.Object({
  items: Type.Array(
    Type.Object({ sku: Type.String(), name: Type.String(), priceMinor: Nullable(Type.Integer()), currency: Type.String(), inStock: Type.Boolean() }),
  ),
})
