import { Type } from 'typebox'

export const Id = Type.String({ format: 'uuid', description: 'A UUIDv7' })
export const Timestamp = Type.String({ format: 'date-time' })
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()])
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const IdParams = Type.Object({ id: Id })

/** Keyset pagination: `cursor` is opaque to clients; `nextCursor` is null on the last page. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
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

export const encodeCursor = (parts: (string | number)[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url')

export function decodeCursor(cursor: string | undefined): (string | number)[] | undefined {
  if (!cursor) return undefined
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    return Array.isArray(parts) ? parts : undefined
  } catch {
    return undefined
  }
}
