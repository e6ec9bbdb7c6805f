import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { atRisk } from './index.js'

describe('the "valuable, drifting" condition other modules use', () => {
  let deps: TestDeps
  beforeAll(async () => {
    deps = await testDeps()
  })
  afterAll(() => deps.close())

  it('applies to the member_insights row the caller names, whatever its query calls it', async () => {
    const rows = await queryRows<{ n: number }>(deps.db, sql`select count(*)::int as n from member_insights drifting where ${atRisk('drifting')}`)
    expect(rows).toEqual([{ n: 0 }])
  })
})
