import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'
import { recordParticipation } from './participation.js'
import type { AnnouncedActivity } from './writer.js'

describe('participation on the timeline', () => {
  let deps: TestDeps
  const heard: AnnouncedActivity[] = []
  const ada = newId()
  beforeAll(async () => {
    deps = await testDeps()
    deps.wiring.activityListeners = [async (_db, activities) => void heard.push(...activities)]
    await enrolMembers(deps.db, [{ member: { id: ada, givenName: 'Ada', joinedAt: deps.clock.now() }, identifiers: [] }], {
      defaultRegion: 'GB',
      at: deps.clock.now(),
    })
  })
  afterAll(() => deps.close())

  it('records and announces each source and key once, whatever retries or races send again', async () => {
    const vote = { memberId: ada, kind: 'vote_cast', source: 'community', key: `vote:${newId()}`, details: { ideaId: 'x' } }
    const first = await recordParticipation(deps, deps.db, deps.clock.now(), [vote])
    const again = await recordParticipation(deps, deps.db, deps.clock.now(), [vote])
    const racing = await Promise.all(
      [1, 2].map(() => deps.db.transaction((tx) => recordParticipation(deps, tx, deps.clock.now(), [{ ...vote, key: `${vote.key}:race` }]))),
    )
    expect(first).toHaveLength(1)
    expect(again).toEqual([])
    expect(racing.flat()).toHaveLength(1)
    const rows = await queryRows<{ n: number }>(deps.db, sql`select count(*)::int as n from activities where member_id = ${ada} and kind = 'vote_cast'`)
    expect(rows[0].n).toBe(2)
    expect(heard.filter((a) => a.kind === 'vote_cast')).toHaveLength(2)
  })
})
