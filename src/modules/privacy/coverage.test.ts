import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'

/** Columns that name a member, whatever the table calls them. */
const memberColumns = ['member_id', 'survivor_id', 'merged_id', 'member_a', 'member_b', 'claimed_by', 'referrer_id']

describe('every table that holds a member’s rows is in a privacy request', () => {
  let deps: TestDeps
  let memberDataParts: TestDeps['wiring']['memberDataParts']
  beforeAll(async () => {
    deps = await testDeps()
    memberDataParts = deps.wiring.memberDataParts
  })
  afterAll(() => deps.close())

  it('is exported and erased by exactly one module’s part', async () => {
    const tables = await queryRows<{ table_name: string }>(
      deps.db,
      sql`select distinct c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
           where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.column_name = any(${sql.param(memberColumns)}::text[])
           order by 1`,
    )
    const claimed = memberDataParts.flatMap((part) => part.tables.map((table) => ({ table, module: part.module })))
    const uncovered = [...tables.map((t) => t.table_name), 'members'].filter((table) => !claimed.some((c) => c.table === table))
    expect(uncovered).toEqual([])
    const twice = claimed.filter((c, i) => claimed.findIndex((d) => d.table === c.table) !== i)
    expect(twice).toEqual([])
  })

  it('names only tables that exist', async () => {
    const existing = new Set(
      (await queryRows<{ table_name: string }>(deps.db, sql`select table_name from information_schema.tables where table_schema = 'public'`)).map(
        (t) => t.table_name,
      ),
    )
    expect(memberDataParts.flatMap((part) => part.tables).filter((table) => !existing.has(table))).toEqual([])
  })

  it('exports every table it names, so nothing it answers for is left out of a member’s download', async () => {
    const person = { memberIds: ['01a20b44-0000-7000-8000-000000000000'], userIds: [] }
    for (const part of memberDataParts)
      expect({ module: part.module, tables: Object.keys(await part.exportFor(deps.db, person)).sort() }).toEqual({
        module: part.module,
        tables: [...part.tables].sort(),
      })
  })
})
