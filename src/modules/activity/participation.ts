import type { Db } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { announceActivities, claimReceipts, type RecordedActivity, receiptKey, recordResolvedActivities } from './writer.js'

/** Something a member did that is no sale: a review posted, a vote cast, a room shopped in, a friend brought. */
export interface Participation {
  memberId: string
  kind: string
  /** The part of Regulars that saw it ('community', 'polls', 'rooms', 'referrals'); with `key`, what makes it once. */
  source: string
  key: string
  details: Record<string, unknown>
  storeId?: string | null
}

/**
 * Records participation on the members' timelines and tells the activity listeners (rewards earns
 * on it), in the caller's transaction, once per source and key: a receipt decides, so a retry or a
 * race records and pays nothing twice. Answers the activities recorded now (none for keys seen before).
 */
export async function recordParticipation(deps: Pick<Deps, 'wiring'>, db: Db, at: Date, items: Participation[]): Promise<RecordedActivity[]> {
  const fresh = await claimReceipts(
    db,
    'server',
    items.map((item) => ({ source: item.source, idempotencyKey: item.key, requestHash: null, result: { status: 'recorded', memberId: item.memberId } })),
    at,
  )
  const recorded = items
    .filter((item) => fresh.has(receiptKey(item.source, item.key)))
    .map((item): RecordedActivity & { source: string; key: string } => ({
      id: newId(),
      memberId: item.memberId,
      kind: item.kind,
      channel: 'web',
      storeId: item.storeId ?? null,
      occurredAt: at,
      orderRef: null,
      returnOf: null,
      totalMinor: null,
      details: item.details,
      lines: [],
      source: item.source,
      key: item.key,
    }))
  await recordResolvedActivities(
    db,
    recorded.map(({ source, key, ...activity }) => ({ ...activity, recordedAt: at, source, idempotencyKey: key })),
    [],
  )
  const announced = recorded.map(({ source: _, key: __, ...activity }) => activity)
  await announceActivities({ db, wiring: deps.wiring }, announced, at)
  return announced
}
