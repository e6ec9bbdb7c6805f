import type { Db } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { recordParticipation as recordOnce, registerActivityKind } from '../../activity/index.js'

/** The participation kinds ideas record on members' timelines, for earning rules and insights. */
export const participationKinds = { idea_shared: 'Shared an idea', vote_cast: 'Voted for an idea' } as const
export type ParticipationKind = keyof typeof participationKinds

// Registered once per database, outside any vote's transaction: an upsert of the same kinds row in
// every vote would queue concurrent votes on that row's lock.
const registered = new WeakSet<object>()
export async function ensureParticipationKinds(deps: Pick<Deps, 'db' | 'clock'>) {
  if (registered.has(deps.db)) return
  for (const [code, name] of Object.entries(participationKinds)) await registerActivityKind(deps.db, code, name, deps.clock.now())
  registered.add(deps.db)
}

/**
 * Records one participation as activity on the member's timeline, in the caller's transaction, and
 * hands it to the earning rules. The caller calls this only when the thing happened for the first
 * time (the idea's insert, the vote row's insert), so it is recorded exactly once; the idempotency
 * key names the content (`idea:<id>`, `vote:<idea>:<member>`).
 */
export async function recordParticipation(
  deps: Pick<Deps, 'wiring'>,
  db: Db,
  memberId: string,
  kind: ParticipationKind,
  key: string,
  details: Record<string, unknown>,
  now: Date,
) {
  await recordOnce(deps, db, now, [{ memberId, kind, source: 'community', key, details }])
}
