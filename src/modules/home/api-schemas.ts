import { Type } from 'typebox'
import { DateOnly, Id, Nullable, NullableTimestamp, Timestamp } from '../../platform/http/schemas.js'

// What the member home routes answer; the web app imports these types (a leaf: typebox and platform/http/schemas.ts only).

export const Summary = {
  purchases: Type.Integer(),
  returns: Type.Integer(),
  spendMinor: Type.Integer(),
  currency: Type.String(),
  visits: Type.Integer(),
  firstPurchaseAt: NullableTimestamp,
  lastActivityAt: NullableTimestamp,
  channels: Type.Array(Type.String()),
  stores: Type.Array(Type.String()),
}
export const MemberCard = Type.Object(
  {
    member: Type.Object({
      id: Id,
      givenName: Nullable(Type.String()),
      familyName: Nullable(Type.String()),
      displayName: Type.String(),
      email: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      birthDate: Nullable(DateOnly),
      homeStoreId: Nullable(Id),
      homeStoreName: Nullable(Type.String()),
      preferredChannel: Nullable(Type.String()),
      language: Type.String(),
      joinedAt: Timestamp,
      joinedChannel: Nullable(Type.String()),
      addressLine: Nullable(Type.String()),
      postcode: Nullable(Type.String()),
      city: Nullable(Type.String()),
    }),
    identifiers: Type.Array(
      Type.Object({
        kind: Type.String(),
        value: Type.String(),
        addedAt: Timestamp,
        verified: Type.Boolean({ description: 'Proved by a code, or vouched for by a channel, import or associate' }),
      }),
    ),
    consents: Type.Array(
      Type.Object({
        purpose: Type.String(),
        granted: Type.Boolean(),
        changedAt: NullableTimestamp,
        wording: Type.String({ description: 'What the member is asked' }),
      }),
    ),
    marketingChannels: Type.Array(
      Type.Object({
        channel: Type.String({ description: 'email, sms or push' }),
        granted: Type.Boolean({ description: 'Whether offers and news may go by this channel' }),
        own: Type.Boolean({ description: 'The channel has an answer of its own; false: it follows marketing' }),
        changedAt: NullableTimestamp,
        wording: Type.String({ description: 'What the member is asked for this channel' }),
      }),
      { description: 'Marketing by each channel: its own answer, else marketing’s' },
    ),
    summary: Type.Object(Summary),
  },
  { $id: 'MemberCard' },
)
export const Timeline = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Id,
        kind: Type.String(),
        channel: Type.String(),
        storeName: Nullable(Type.String()),
        occurredAt: Timestamp,
        orderRef: Nullable(Type.String()),
        totalMinor: Nullable(Type.Integer()),
        currency: Nullable(Type.String()),
        lines: Type.Array(
          Type.Object({
            sku: Type.String(),
            productName: Nullable(Type.String()),
            quantity: Type.Integer(),
            unitPriceMinor: Type.Integer(),
            discountMinor: Type.Integer(),
          }),
        ),
      }),
    ),
    nextCursor: Nullable(Type.String()),
  },
  { $id: 'Timeline' },
)
export const Linked = Type.Object({
  kind: Type.String(),
  value: Type.String(),
  verified: Type.Boolean(),
  codeSent: Type.Boolean({ description: 'A one-time code went to this email or phone: verify it to finish' }),
  claimedActivities: Type.Integer({ description: 'Parked (guest) activity now attached to the member (verified identifiers only)' }),
})
export const ConsentHistory = Type.Object({
  items: Type.Array(
    Type.Object({
      purpose: Type.String(),
      channel: Type.String(),
      granted: Type.Boolean(),
      at: Timestamp,
      source: Type.String(),
      wording: Nullable(Type.String()),
    }),
  ),
})
export const MemberSummary = Type.Object({ memberId: Id, ...Summary })
export const Enrolled = Type.Object({
  memberId: Id,
  displayName: Type.String(),
  kind: Type.String(),
  value: Type.String({ description: 'The identifier as stored (normalised)' }),
  codeSent: Type.Boolean({ description: 'A code went to the email or phone: enter it with POST /v1/members/:id/identifiers/verify' }),
})
