import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { getTableColumns, getTableName, type SQL, sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import { installJobQueue } from '../jobs/queue.js'
import { packageRoot } from '../package-root.js'

/** A Drizzle handle over either database; a transaction is one too, so services take either. */
// biome-ignore lint/suspicious/noExplicitAny: both drivers' result types meet here
export type Db = PgDatabase<PgQueryResultHKT, any>

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** The embedded engine, when that is what runs (COPY and data-dir dumps need it). */
  pglite?: PGlite
  /** The pool, on real PostgreSQL (COPY streams need a raw client). */
  pool?: pg.Pool
  close(): Promise<void>
}

export const migrationsFolder = join(packageRoot(), 'drizzle')

// PostgreSQL returns int8 and numeric as strings; counts and sums here fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))

/** Opens PGlite (a folder, or in memory) or a PostgreSQL pool. */
export async function openDatabase(options: { databaseUrl?: string; dataDir?: string; loadDataDir?: Blob; poolSize?: number }): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 })
    pool.on('error', () => {}) // an idle client dropped by the server is replaced on next use
    return { db: drizzlePg(pool) as unknown as Db, kind: 'postgres', pool, close: () => pool.end() }
  }
  const dataDir = !options.dataDir || options.dataDir === 'memory' ? undefined : options.dataDir
  const pglite = await PGlite.create({ dataDir, loadDataDir: options.loadDataDir })
  return {
    db: drizzlePglite(pglite) as unknown as Db,
    kind: 'pglite',
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close()
    },
  }
}

/** Applies the committed migrations under drizzle/, then installs the job queue's schema; safe to run on every start. */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    await migratePg(database.db as never, { migrationsFolder })
  } else {
    await migratePglite(database.db as never, { migrationsFolder })
  }
  await installJobQueue(database)
}

/** Runs raw SQL and returns its rows, on either driver. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

/**
 * Inserts many rows with one parameter, a JSON array, unpacked by json_populate_recordset: no
 * per-row SQL to build or parse, whatever the count (drizzle's `.values()` spends most of a big
 * batch's time building it). Columns are those any row gives a value; `tail` adds ON CONFLICT or
 * RETURNING. Returns the rows RETURNING gives.
 */
export async function insertMany<T extends PgTable, R = never>(db: Db, table: T, rows: T['$inferInsert'][], tail?: SQL): Promise<R[]> {
  if (rows.length === 0) return []
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => rows.some((row) => (row as Record<string, unknown>)[key] !== undefined))
  const json = rows.map((row, index) => {
    const record: Record<string, unknown> = {}
    for (const [key, column] of columns) {
      const value = (row as Record<string, unknown>)[key]
      // A column other rows give falls to null here, not to its default: say so rather than fail in SQL.
      if (value === undefined && column.notNull) throw new Error(`insertMany into ${getTableName(table)}: row ${index} has no ${key}, which other rows give`)
      record[column.name] = value ?? null
    }
    return record
  })
  const names = sql.raw(columns.map(([, column]) => `"${column.name}"`).join(', '))
  const name = sql.raw(`"${getTableName(table)}"`)
  return queryRows<R>(
    db,
    sql`insert into ${name} (${names}) select ${names} from json_populate_recordset(null::${name}, ${JSON.stringify(json)}::json) ${tail ?? sql``}`,
  )
}

/**
 * Like queryRows, for a hot read: on PostgreSQL the statement is prepared once per connection under
 * `name`, so it is planned once rather than on every request. PGlite runs it as it is.
 */
export async function preparedRows<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const client = (db as unknown as { $client: unknown }).$client
  if (!(client instanceof pg.Pool)) return queryRows<T>(db, query)
  const { sql: text, params } = (db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query)
  return (await client.query({ name, text, values: params })).rows as T[]
}

export async function isReachable(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`)
    return true
  } catch {
    return false
  }
}

/**
 * Moves rows of `table` from one member to another without updating `member_id`, which Citus
 * forbids (it is the distribution column): one statement deletes them and re-inserts them, every
 * other column as it was, under `toId`. `only` narrows the rows; returns `returning` of each.
 */
export async function rehomeRows<R>(db: Db, table: string, fromId: string, toId: string, options: { only?: SQL; returning: string }): Promise<R[]> {
  const name = sql.raw(`"${table}"`)
  return queryRows<R>(
    db,
    sql`with gone as (delete from ${name} where member_id = ${fromId} ${options.only ? sql`and ${options.only}` : sql``} returning *)
        insert into ${name} select (jsonb_populate_record(null::${name}, to_jsonb(gone) || jsonb_build_object('member_id', ${toId}::uuid))).* from gone
        returning ${sql.raw(options.returning)}`,
  )
}
