import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../test/support/testing.js'
import { recordActivities } from './modules/activity/index.js'
import { mergeMembers } from './modules/identity/index.js'
import { enrolMembers } from './modules/members/index.js'
import { adjustPoints, pointsSummary, saveRule } from './modules/rewards/index.js'
import type { Principal } from './platform/auth/principal.js'
import { newId } from './platform/ids.js'

const admin: Principal = { kind: 'staff', userId: newId(), displayName: 'Wiring', role: 'admin', storeIds: [], via: 'session', sessionId: 'w', csrfSecret: '' }

// No buildApp in this file: the CLI, jobs and scripts get the same wiring as the server.
describe('modules wired once, whoever opens the database', () => {
  let deps: TestDeps
  const [ada, bea] = [newId(), newId()]
  beforeAll(async () => {
    deps = await testDeps()
    const at = deps.clock.now()
    await enrolMembers(
      deps.db,
      [
        { member: { id: ada, givenName: 'Ada', joinedAt: at }, identifiers: [{ kind: 'card', value: 'W-1' }] },
        { member: { id: bea, givenName: 'Bea', joinedAt: at }, identifiers: [{ kind: 'card', value: 'W-2' }] },
      ],
      { defaultRegion: 'GB', at },
    )
    await saveRule(
      deps,
      { document: { name: 'Visits', when: { kinds: ['store_visit'] }, award: { flat: 5 }, explanation: '+{points} for dropping in' } },
      admin,
    )
  })
  afterAll(() => deps.close())

  it('earns points for activity recorded without the HTTP app', async () => {
    const [result] = await recordActivities(deps, [
      {
        kind: 'store_visit',
        member: { kind: 'card', value: 'W-1' },
        channel: 'store',
        occurredAt: deps.clock.now().toISOString(),
        source: 'cli',
        idempotencyKey: 'w-1',
      },
    ])
    expect(result).toMatchObject({ status: 'recorded', memberId: ada })
    expect((await pointsSummary(deps.db, ada, deps.clock.now())).available).toBe(5)
  })

  it('moves points with a merge made without the HTTP app', async () => {
    await adjustPoints(deps, bea, 20, 'welcome', admin)
    await mergeMembers(deps, ada, bea, admin)
    expect((await pointsSummary(deps.db, ada, deps.clock.now())).available).toBe(25)
  })
})
