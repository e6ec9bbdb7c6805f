import { recordAudit } from '../../platform/audit/index.js'
import { type Principal, senderOf, storeScopeOf } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, IdempotencyKeyReused } from '../../platform/http/problems.js'
import type { IngestScope } from './checks.js'
import { recordActivities, registerActivityKind, reusedKeyField } from './ingest.js'

// Recording activity as the API's callers do it: who sent it decides what it may write.

type RecordingDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>

export class ActivityRejected extends DomainError {
  constructor(reason: string, field: string) {
    super(
      '/problems/activity-rejected',
      422,
      'The activity was not recorded',
      { errors: [{ field: `body${field}`, message: reason }] },
      `body${field}: ${reason}`,
    )
  }
}

/**
 * A key scoped to stores (`store:S01`) writes only their activity; other callers are not limited.
 * Idempotency keys are the sending key's own: another integration's same key is another activity.
 */
function scopeOf(caller: Principal | undefined): IngestScope {
  const scope = storeScopeOf(caller)
  const sentBy = caller ? senderOf(caller) : undefined
  return { sentBy, ...(scope && 'storeCodes' in scope ? { storeCodes: scope.storeCodes } : {}) }
}

/** One activity: recorded, parked or a replay; a rejected one is a problem (409 for a reused key, else 422). */
export async function recordActivity(deps: RecordingDeps, item: unknown, caller: Principal | undefined) {
  const [result] = await recordActivities(deps, [item], scopeOf(caller))
  if (result.status === 'rejected' && result.field === reusedKeyField) throw new IdempotencyKeyReused(result.reason ?? '', 'body/idempotencyKey')
  if (result.status === 'rejected') throw new ActivityRejected(result.reason ?? 'rejected', result.field ?? '')
  return result
}

/** A batch: each item answered on its own, with counts of what happened (replays counted apart). */
export async function recordActivityBatch(deps: RecordingDeps, items: unknown[], caller: Principal | undefined) {
  const results = await recordActivities(deps, items, scopeOf(caller))
  const count = (status: string) => results.filter((r) => r.status === status && !r.replay).length
  return { results, recorded: count('recorded'), parked: count('parked'), rejected: count('rejected'), replayed: results.filter((r) => r.replay).length }
}

/** An admin's custom engagement kind, audited with it. */
export async function addActivityKind(deps: Pick<Deps, 'db' | 'clock'>, kind: { code: string; name: string }, actor: Principal | undefined) {
  await deps.db.transaction(async (db) => {
    await registerActivityKind(db, kind.code, kind.name, deps.clock.now())
    await recordAudit(db, deps.clock.now(), actor, { action: 'activity_kind.registered', targetKind: 'activity_kind', targetId: kind.code, after: kind })
  })
}
