import type { Static, TSchema } from 'typebox'
import { Value } from 'typebox/value'

/** Keyset cursors: opaque base64url JSON to clients. */
export const encodeCursor = (parts: (string | number)[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url')

/** A cursor read back, or undefined unless it has the shape given: it is client-held text, checked like any input. */
export function decodeCursor<T extends TSchema>(cursor: string | undefined, shape: T): Static<T> | undefined {
  if (!cursor) return undefined
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    return Value.Check(shape, parts) ? (parts as Static<T>) : undefined
  } catch {
    return undefined
  }
}
