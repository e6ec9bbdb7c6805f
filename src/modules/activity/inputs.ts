import { type Static, Type } from 'typebox'
import { FreeJson, Money, Text, Timestamp } from '../../platform/http/schemas.js'
import { compileChecker } from '../../platform/http/validation.js'
import { identifierKinds } from '../members/index.js'

export const builtinKinds = ['purchase', 'return', 'store_visit', 'web_session', 'app_open', 'wishlist_add'] as const

const Line = Type.Object(
  {
    sku: Text({ minLength: 1, maxLength: 100 }),
    quantity: Type.Integer({ minimum: 1, maximum: 100_000, description: 'Items bought, or returned (always positive)' }),
    unitPrice: Money({ description: 'Price of one item before discount, in minor units' }),
    discount: Type.Optional(Money({ description: 'Discount on the whole line, in minor units' })),
    name: Type.Optional(Text({ maxLength: 300, description: 'Product name, for products the catalogue does not have yet' })),
    category: Type.Optional(Text({ maxLength: 300, description: 'Category path, "Coffee > Beans"' })),
  },
  { additionalProperties: false },
)

/** One thing a member did, as a channel reports it. */
export const ActivityInput = Type.Object(
  {
    kind: Type.String({ pattern: '^[a-z][a-z0-9_]{1,49}$', description: `${builtinKinds.join(', ')}, or a custom kind an admin registered` }),
    member: Type.Object(
      { kind: Type.Union(identifierKinds.map((k) => Type.Literal(k))), value: Text({ minLength: 1, maxLength: 320 }) },
      { additionalProperties: false, description: 'Any identifier of the member: card, phone, email…' },
    ),
    channel: Text({ minLength: 1, maxLength: 50 }),
    store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Store code' })),
    occurredAt: Timestamp,
    source: Text({ minLength: 1, maxLength: 100, description: 'Which system sent it, e.g. "camden-till-3"' }),
    idempotencyKey: Text({ minLength: 1, maxLength: 200, description: 'Unique per source; a replay returns the first result' }),
    orderRef: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
    returnOf: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Returns: the orderRef of the purchase' })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    lines: Type.Optional(Type.Array(Line, { minItems: 1, maxItems: 500 })),
    details: Type.Optional(FreeJson({ description: 'Free JSON kept with the activity, e.g. { "associate": "sam@camden.example" }' })),
  },
  { additionalProperties: false, $id: 'ActivityInput' },
)
export type ActivityInput = Static<typeof ActivityInput>

const checkInput = compileChecker(ActivityInput)

/** Checks one item of a batch on its own, so one bad item cannot sink the rest. */
export function invalidInput(item: unknown): { reason: string; field: string } | undefined {
  const [first] = checkInput(item)
  return first && { field: first.field, reason: first.message }
}

export const IngestResult = Type.Object(
  {
    status: Type.Union([Type.Literal('recorded'), Type.Literal('parked'), Type.Literal('rejected')]),
    replay: Type.Optional(Type.Boolean({ description: 'True when this source and key were seen before: nothing changed' })),
    activityId: Type.Optional(Type.String()),
    memberId: Type.Optional(Type.String()),
    enrolled: Type.Optional(Type.Boolean({ description: 'A new member was enrolled for an unknown identifier' })),
    parkedId: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    field: Type.Optional(Type.String()),
  },
  { $id: 'IngestResult' },
)
export type IngestResult = Static<typeof IngestResult>
