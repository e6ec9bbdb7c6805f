import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { queryRows } from './index.js'

/**
 * Tables that carry member_id without being distributed by it (docs/scale-out.md says why):
 * logins and audit/outbox logs are small or append-only references; identifiers and invite codes are looked up by value.
 */
const notMemberDistributed = new Set(['users', 'audit_entries', 'outbox_events', 'member_identifiers', 'referral_codes'])

describe('the schema stays ready for Citus', () => {
  let deps: TestDeps
  beforeAll(async () => {
    deps = await testDeps()
  })
  afterAll(() => deps.close())

  it('has member_id in every primary key and unique index of a member-scoped table', async () => {
    const indexes = await queryRows<{ table_name: string; index_name: string; columns: string[] }>(
      deps.db,
      sql`select t.relname as table_name, i.relname as index_name,
                 array(select a.attname from unnest(x.indkey) k join pg_attribute a on a.attrelid = t.oid and a.attnum = k)::text[] as columns
            from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
            join pg_namespace n on n.oid = t.relnamespace
           where n.nspname = 'public' and x.indisunique
             and exists (select 1 from pg_attribute a where a.attrelid = t.oid and a.attname = 'member_id' and not a.attisdropped)`,
    )
    const scoped = indexes.filter((i) => !notMemberDistributed.has(i.table_name))
    expect(scoped.length).toBeGreaterThan(0)
    const breaking = scoped.filter((i) => !i.columns.includes('member_id')).map((i) => `${i.table_name}.${i.index_name}`)
    expect(breaking).toEqual([])
  })
})
