import { Type } from 'typebox'
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.js'

// What the members routes answer; the web app imports these types (a leaf: typebox and platform/http/schemas.ts only).

export const MemberListItemSchema = Type.Object(
  {
    id: Id,
    displayName: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    loyaltyId: Nullable(Type.String()),
    homeStoreId: Nullable(Id),
    joinedAt: Timestamp,
  },
  { $id: 'MemberListItem' },
)
export const MemberLookup = Type.Object({
  ...MemberListItemSchema.properties,
  identifier: Type.Object({
    kind: Type.String(),
    value: Type.String(),
    verified: Type.Boolean({ description: 'False: the member added it but has not proved it (no code entered yet)' }),
  }),
})
