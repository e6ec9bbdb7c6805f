import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from './db/index.js'

/** Rows of one table as the database holds them (snake_case columns), for an export. */
export type ExportedRows = Record<string, unknown>[]

/** One person: their member id with every member merged into it, and their logins (audit names logins as actors). */
export interface Person {
  memberIds: string[]
  userIds: string[]
}

export interface ErasureContext {
  at: Date
}

declare module './deps.js' {
  interface Wiring {
    /**
     * Every module's part of a privacy request. Audit first (it finds entries by the logins accounts
     * then deletes); members last, as the others may still read the profile. A table holding member
     * rows that no part names fails src/modules/privacy/coverage.test.ts.
     */
    memberDataParts: readonly MemberDataPart[]
  }
}

/**
 * What a module holds about members, for privacy requests: each module writes one beside its
 * schema (`privacy.ts`) and src/composition.ts lists them all.
 */
export interface MemberDataPart {
  module: string
  /** Every table of the module that holds a member's rows; the coverage test holds the schema to this list. */
  tables: readonly string[]
  /** Everything the module holds about the person, table by table. */
  exportFor(db: Db, person: Person): Promise<Record<string, ExportedRows>>
  /**
   * Erases or anonymises it, in the caller's transaction. Never updates member_id (Citus's
   * distribution column): the member's uuid stays as the anonymous id (docs/operations.md).
   */
  erase(db: Db, person: Person, context: ErasureContext): Promise<void>
}

/** `select * from <table> where <column> = any(ids)`: a table's rows for an export. */
export async function rowsFor(db: Db, table: string, memberIds: string[], column = 'member_id'): Promise<ExportedRows> {
  return queryRows(db, sql`select * from ${sql.identifier(table)} where ${sql.identifier(column)} = any(${sql.param(memberIds)}::uuid[])`)
}

/** The same for several tables keyed by member_id. */
export async function tablesFor(db: Db, tables: readonly string[], memberIds: string[]): Promise<Record<string, ExportedRows>> {
  const rows = await Promise.all(tables.map((table) => rowsFor(db, table, memberIds)))
  return Object.fromEntries(tables.map((table, i) => [table, rows[i]]))
}

/** What erased text reads as. */
export const erased = '[erased]'

const uuidOrTime = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/i

/**
 * A JSON value with its personal strings erased: numbers, booleans, ids and times stay (they count
 * and link, but name nobody once the member is anonymous), so do strings under `keep` keys (a SKU,
 * an activity kind); every other string becomes "[erased]".
 */
export function redactJson(value: unknown, keep: ReadonlySet<string> = new Set(), key?: string): unknown {
  if (typeof value === 'string') return (key !== undefined && keep.has(key)) || uuidOrTime.test(value) ? value : erased
  if (Array.isArray(value)) return value.map((item) => redactJson(item, keep, key))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, keep, k)]))
  return value
}

/** Rewrites one jsonb column of the rows `where` picks, redacted as above, in one statement. */
export async function redactJsonColumn(db: Db, table: string, key: string, column: string, where: SQL, keep?: ReadonlySet<string>) {
  const t = sql.identifier(table)
  const rows = await queryRows<{ key: string; value: unknown }>(
    db,
    sql`select ${sql.identifier(key)}::text as key, ${sql.identifier(column)} as value from ${t} where ${where} and ${sql.identifier(column)} is not null`,
  )
  if (rows.length === 0) return
  const redacted = JSON.stringify(rows.map((row) => ({ row_key: row.key, row_value: redactJson(row.value, keep) })))
  await db.execute(
    sql`update ${t} set ${sql.identifier(column)} = r.row_value from jsonb_to_recordset(${redacted}::jsonb) as r(row_key text, row_value jsonb)
         where ${where} and ${t}.${sql.identifier(key)}::text = r.row_key`,
  )
}
