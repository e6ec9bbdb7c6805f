import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'
import { type AnnouncedActivity, recordActivities, upsertProducts, upsertStores } from './index.js'

// Listeners (rewards' earning) get the store and products an activity names with it, so no other
// module reads the activity module's tables to learn them.
describe('announcing recorded activity', () => {
  let deps: TestDeps
  beforeAll(async () => {
    deps = await testDeps('2026-11-03T10:00:00Z')
    await upsertStores(deps.db, [{ id: newId(), code: 'S01', name: 'Camden', region: null, timezone: 'Europe/London' }])
    await upsertProducts(deps.db, [{ sku: 'BEANS', name: 'House beans', category: ['Coffee & Tea', 'Coffee beans'], brand: 'Roastery', priceMinor: 1000 }])
    await enrolMembers(deps.db, [{ member: { id: newId(), givenName: 'Ada', joinedAt: deps.clock.now() }, identifiers: [{ kind: 'card', value: 'ANN-1' }] }], {
      defaultRegion: 'GB',
      at: deps.clock.now(),
    })
  })
  afterAll(() => deps.close())

  it('hands listeners each activity with its store and its lines’ products described', async () => {
    const heard: AnnouncedActivity[] = []
    const listening = {
      ...deps,
      wiring: { ...deps.wiring, activityListeners: [async (_db: unknown, batch: AnnouncedActivity[]) => void heard.push(...batch)] },
    }
    const [result] = await recordActivities(listening, [
      {
        kind: 'purchase',
        member: { kind: 'card', value: 'ANN-1' },
        channel: 'store',
        store: 'S01',
        occurredAt: '2026-11-03T09:00:00Z',
        source: 'till-1',
        idempotencyKey: 'announce-0001',
        lines: [
          { sku: 'BEANS', quantity: 1, unitPrice: 1000 },
          { sku: 'NEW-MUG', quantity: 1, unitPrice: 800, name: 'Mug', category: 'Kitchen > Mugs' },
        ],
      },
    ])
    expect(result.status).toBe('recorded')
    expect(heard).toHaveLength(1)
    expect(heard[0].store).toEqual({ code: 'S01', name: 'Camden' })
    expect(heard[0].lines).toMatchObject([
      { sku: 'BEANS', name: 'House beans', category: ['Coffee & Tea', 'Coffee beans'], brand: 'Roastery' },
      { sku: 'NEW-MUG', name: 'Mug', category: ['Kitchen', 'Mugs'], brand: null }, // added by this very batch
    ])
  })
})
