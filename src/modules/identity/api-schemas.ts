import { Type } from 'typebox'
import { Id, Nullable, NullableTimestamp, Timestamp } from '../../platform/http/schemas.js'

// What the identity routes answer; the web app imports these types (a leaf: typebox and platform/http/schemas.ts only).

export const Side = Type.Object({
  id: Id,
  givenName: Nullable(Type.String()),
  familyName: Nullable(Type.String()),
  birthDate: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  addressLine: Nullable(Type.String()),
  postcode: Nullable(Type.String()),
  city: Nullable(Type.String()),
  joinedAt: Timestamp,
  /** Cards, loyalty ids, phones and emails the member holds, verified or only claimed. */
  identifiers: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), verified: Type.Boolean() })),
  /** Purchases on record, and the last one. */
  orders: Type.Integer(),
  lastOrderAt: NullableTimestamp,
  /** Points the member can spend now. */
  points: Type.Integer(),
})
export const Candidate = Type.Object({
  id: Id,
  score: Type.Number(),
  reasons: Type.Array(Type.String()),
  foundAt: Timestamp,
  status: Type.String(),
  a: Side,
  b: Side,
})
export const Merge = Type.Object({ id: Id, survivorId: Id, mergedId: Id, mergedAt: Timestamp, mergedBy: Type.String(), unmergedAt: NullableTimestamp })

export const DuplicateScan = Type.Object({ pairsCompared: Type.Integer(), candidates: Type.Integer() })
