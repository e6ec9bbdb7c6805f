import type { Db } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { recordParticipation as recordOnce, registerActivityKind } from '../../activity/index.js'
import { restoreActivityPoints, takeBackActivityPoints } from '../../rewards/index.js'

/** The participation events reviews and questions put on a member's timeline (docs/community.md). */
export const participationKinds = {
  review_posted: 'Reviewed a product',
  question_answered: 'Answered another shopper’s question',
} as const
export type ParticipationKind = keyof typeof participationKinds

export type ParticipationDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>

/**
 * Records the activity once, in the caller's transaction, through activity's own writer: the
 * earning rules hear of it like any other activity. The idempotency key is the content's id, and
 * the caller's guarded update of the content's `activity_id` (set only while null) is what makes
 * it once even when two moderators restore at the same moment.
 */
export async function recordParticipation(
  deps: ParticipationDeps,
  db: Db,
  { kind, memberId, contentId, sku, details }: { kind: ParticipationKind; memberId: string; contentId: string; sku: string; details: Record<string, unknown> },
): Promise<string> {
  const now = deps.clock.now()
  await registerActivityKind(db, kind, participationKinds[kind], now)
  const [activity] = await recordOnce(deps, db, now, [{ memberId, kind, source: 'community', key: `${kind}:${contentId}`, details: { sku, ...details } }])
  return activity?.id
}

/** Hidden content keeps nothing it earned; restored, it gets it back. */
export async function settlePoints(deps: ParticipationDeps, db: Db, memberId: string, activityId: string, visible: boolean, why: string) {
  const change = { memberId, activityId, why, now: deps.clock.now(), expiryMonths: deps.config.pointsExpiryMonths }
  return visible ? restoreActivityPoints(db, change) : takeBackActivityPoints(db, change)
}
