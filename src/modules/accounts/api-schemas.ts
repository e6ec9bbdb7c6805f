import { Type } from 'typebox'
import { Id, Nullable, NullableTimestamp, Ref, Timestamp } from '../../platform/http/schemas.js'

// What the accounts routes answer; the web app imports these types (a leaf: typebox and platform/http/schemas.ts only).

export const StaffRole = Type.Union([Type.Literal('associate'), Type.Literal('manager'), Type.Literal('admin')])
export const User = Type.Object(
  {
    id: Id,
    email: Nullable(Type.String()),
    phone: Nullable(Type.String({ description: 'A member who joined by text message logs in with this' })),
    displayName: Type.String(),
    role: Type.Union([Type.Literal('member'), StaffRole]),
    memberId: Nullable(Id),
    storeIds: Type.Array(Id),
    createdAt: Timestamp,
    disabledAt: NullableTimestamp,
  },
  { $id: 'User' },
)
export const SignedIn = Type.Object({ user: Ref(User), csrfToken: Type.String() })
export const ApiKey = Type.Object(
  {
    id: Id,
    name: Type.String(),
    prefix: Type.String(),
    scopes: Type.Array(Type.String()),
    createdAt: Timestamp,
    lastUsedAt: NullableTimestamp,
    revokedAt: NullableTimestamp,
  },
  { $id: 'ApiKey' },
)
/** A scope an API key may hold, and what it lets the key do. */
export const ApiKeyScope = Type.Object({ scope: Type.String(), description: Type.String() })
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actorKind: Type.String(),
  actorId: Type.String(),
  actorName: Nullable(Type.String()),
  action: Type.String(),
  targetKind: Type.String(),
  targetId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  /** The member this is about, when it is about one. */
  memberId: Nullable(Type.String()),
  /** Names of the ids the entry holds (its target, a merged member…), by id; an erased member has none. */
  names: Type.Record(Type.String(), Type.String()),
})
export const AuditChoices = Type.Object({
  actors: Type.Array(Type.Object({ actorId: Type.String(), actorName: Type.String() })),
  actions: Type.Array(Type.String()),
})

export const Sent = Type.Object({ sentTo: Type.String(), expiresAt: Timestamp })
// The same answer whatever happened, so nobody learns who has a login by asking.
export const Accepted = Type.Object({ status: Type.Literal('accepted'), detail: Type.String() })
