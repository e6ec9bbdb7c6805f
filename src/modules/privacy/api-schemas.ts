import { Type } from 'typebox'
import { Id, Timestamp } from '../../platform/http/schemas.js'

// What the privacy routes answer; the web app imports these types (a leaf: typebox and platform/http/schemas.ts only).

export const MemberData = Type.Object(
  {
    memberId: Id,
    exportedAt: Timestamp,
    tables: Type.Record(Type.String(), Type.Array(Type.Record(Type.String(), Type.Unknown())), {
      description: 'Each table holding the member’s rows, by its database name, with its rows as stored',
    }),
  },
  { $id: 'MemberData' },
)
export const Erasure = Type.Object(
  {
    memberId: Id,
    erasedAt: Timestamp,
    members: Type.Integer({ description: 'Memberships erased: the member and those merged into it' }),
    alreadyErased: Type.Boolean(),
  },
  { $id: 'Erasure' },
)
