import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { tablePlacement } from '../../distribution.js'
import { queryRows } from './index.js'

// Citus is not installable here, so its rules are checked against the migrated schema (docs/scale-out.md).
describe('the schema stays ready for Citus', () => {
  let deps: TestDeps
  let tables: string[]
  let uniques: { table_name: string; index_name: string; columns: string[] }[]
  beforeAll(async () => {
    deps = await testDeps()
    tables = (
      await queryRows<{ name: string }>(
        deps.db,
        sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')`,
      )
    ).map((t) => t.name)
    uniques = await queryRows(
      deps.db,
      sql`select t.relname as table_name, i.relname as index_name,
                 array(select a.attname from unnest(x.indkey) k join pg_attribute a on a.attrelid = t.oid and a.attnum = k)::text[] as columns
            from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
            join pg_namespace n on n.oid = t.relnamespace
           where n.nspname = 'public' and x.indisunique`,
    )
  })
  afterAll(() => deps.close())

  it('places every table, and names no table that is gone', () => {
    expect(tables.filter((t) => !(t in tablePlacement)).sort()).toEqual([])
    expect(Object.keys(tablePlacement).filter((t) => !tables.includes(t))).toEqual([])
  })

  it('has the distribution column in every primary key and unique index of a distributed table', () => {
    const breaking = uniques
      .filter((i) => {
        const placement = tablePlacement[i.table_name]
        return placement && (placement.kind === 'member' || placement.kind === 'own') && !i.columns.includes(placement.column)
      })
      .map((i) => `${i.table_name}.${i.index_name}`)
    expect(breaking).toEqual([])
  })

  it('has no foreign key into a distributed table from a table placed otherwise', async () => {
    const keys = await queryRows<{ from_table: string; to_table: string }>(
      deps.db,
      sql`select f.relname as from_table, t.relname as to_table
            from pg_constraint c join pg_class f on f.oid = c.conrelid join pg_class t on t.oid = c.confrelid
            join pg_namespace n on n.oid = f.relnamespace
           where c.contype = 'f' and n.nspname = 'public'`,
    )
    const distributed = (table: string) => ['member', 'own'].includes(tablePlacement[table]?.kind)
    const crossing = keys
      .filter((k) => distributed(k.to_table) && !(tablePlacement[k.from_table]?.kind === 'member' && tablePlacement[k.to_table]?.kind === 'member'))
      .map((k) => `${k.from_table} → ${k.to_table}`)
    expect(crossing).toEqual([])
  })
})
