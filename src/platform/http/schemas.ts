import { registerAjvFormats } from '@fastify/type-provider-typebox'
import { type Static, type TSchema, type TUnsafe, Type } from 'typebox'

// TypeBox's own checkers know uuid, date-time, email… only once they are registered.
registerAjvFormats()

/*
 * The web app imports the types of these and of each module's api-schemas.ts (type-only), so this file
 * and those stay leaves: typebox and each other only, nothing that needs Node.
 */

/*
 * The shapes every route's input is made of, with bounds the columns can hold: a value that passes
 * these is one the database stores, so bad input is a 400 naming the field, never a 500.
 */

/** No NUL (PostgreSQL text refuses it) and no half of a surrogate pair (not UTF-8). */
export const printable = '^[^\\u0000\\uD800-\\uDFFF]*$'
/** Years 0001–9999 (there is no year 0 in PostgreSQL) and seconds 00–59 (a leap second is not a JavaScript date). */
export const timestampPattern = '^(?!0000)\\d{4}-\\d{2}-\\d{2}[Tt ]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$'
export const datePattern = '^(?!0000)\\d{4}-\\d{2}-\\d{2}$'

/** What a field that fails one of the patterns above is told, in words (`name` is the field as a person calls it). */
export const patternMessages: Record<string, (name: string) => string> = {
  [printable]: (name) => `${name} has characters we cannot store (a NUL or half of an emoji)`,
  [timestampPattern]: (name) => `${name} should be a date and time between the years 0001 and 9999, like 2026-12-03T15:30:00Z`,
  [datePattern]: (name) => `${name} should be a date between the years 0001 and 9999, like 2026-12-03`,
  '^\\s*[0-9]{6}\\s*$': () => 'The code is the six digits we sent',
  '^[A-Z]{3}$': (name) => `${name} should be a three-letter currency code such as GBP`,
  '^[a-z]{2}(-[A-Z]{2})?$': (name) => `${name} should be a language code such as en or en-GB`,
  '^[0-9]{6}$': () => 'The code is the six digits we sent',
  '^[a-z][a-z0-9_]{1,49}$': (name) => `${name} should be lower-case letters, digits and _, starting with a letter`,
  '^[a-z][a-z0-9_]{1,29}$': (name) => `${name} should be 2 to 30 lower-case letters, digits and _, starting with a letter`,
  '^[A-Za-z0-9_-]{1,50}$': (name) => `${name} should be letters, digits, - and _ only`,
}

type StringOptions = Parameters<typeof Type.String>[0]
type NumberOptions = Parameters<typeof Type.Integer>[0]

/** Free text from a caller. `maxLength` is required: every text a caller sends is bounded. */
export const Text = (options: StringOptions & { maxLength: number }) => Type.String({ pattern: printable, ...options })

/** PostgreSQL `integer`: the default bounds are the column's. */
export const Int = (options: NumberOptions = {}) => Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647, ...options })
export const Count = (options: NumberOptions = {}) => Int({ minimum: 0, ...options })

/** Integer minor units (pence, cents). Up to 10 billion (100 million in major units): past that it is a typing error. */
export const maxMoney = 10_000_000_000
export const Money = (options: NumberOptions = {}) => Type.Integer({ minimum: 0, maximum: maxMoney, ...options })

export const Id = Type.String({ format: 'uuid', description: 'A UUIDv7' })
export const Timestamp = Type.String({ format: 'date-time', pattern: timestampPattern })
export const DateOnly = Type.String({ format: 'date', pattern: datePattern })
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()])
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** A query string: parameters it does not name are refused (a misspelt `limt` is an error, not ignored). */
export const Query = <T extends Parameters<typeof Type.Object>[0]>(properties: T) => Type.Object(properties, { additionalProperties: false })

/** Limits on free JSON (`details`, `attributes`): deep enough for real documents, never a stack overflow. */
export const freeJsonLimits = { depth: 4, keys: 50, items: 100, keyLength: 100, textLength: 2000 }

// A record's key schema becomes a patternProperties pattern: its length limit must be in the pattern.
const JsonKey = Type.String({ pattern: `^[^\\u0000\\uD800-\\uDFFF]{1,${freeJsonLimits.keyLength}}$` })

function jsonValue(depth: number): TSchema {
  const scalar = [Text({ maxLength: freeJsonLimits.textLength }), Type.Number({ minimum: -1e15, maximum: 1e15 }), Type.Boolean(), Type.Null()]
  if (depth === 0) return Type.Union(scalar)
  const inner = jsonValue(depth - 1)
  return Type.Union([
    ...scalar,
    Type.Array(inner, { maxItems: freeJsonLimits.items }),
    Type.Record(JsonKey, inner, { maxProperties: freeJsonLimits.keys, additionalProperties: false }),
  ])
}

/** A JSON object of the caller's own keys, nested at most `freeJsonLimits.depth` levels below it. */
export const FreeJson = (options: { description?: string } = {}) =>
  Type.Record(JsonKey, jsonValue(freeJsonLimits.depth - 1), { maxProperties: freeJsonLimits.keys, additionalProperties: false, ...options })

export const IdParams = Type.Object({ id: Id })

/** Keyset pagination: `cursor` is opaque to clients; `nextCursor` is null on the last page. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Text({ maxLength: 200 })),
})

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
)

/** A shared schema with a description of its own use. */
export const Described = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description })

/**
 * A `$ref` to a schema the plugin added with `app.addSchema`, typed as that schema: `/openapi.json` keeps
 * the name, and handlers (and the web app, through `Static`) get its shape instead of `unknown`.
 */
export function Ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  const id = (schema as { $id?: unknown }).$id
  if (typeof id !== 'string') throw new Error('Ref needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(id))
}
