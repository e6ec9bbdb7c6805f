import { and, eq } from 'drizzle-orm'
import type { Principal } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { NotFound } from '../../platform/http/problems.js'
import { storeForWrite, storesInScope } from '../activity/index.js'
import { cancelRedemption, confirmRedemption, redeemAtTill } from './redeem.js'
import { redemptions } from './schema.js'

export interface TillSettling {
  /** The member the redemption belongs to; undefined only on the deprecated `/v1/redemptions/:id/…` routes. */
  memberId?: string
  redemptionId: string
  outcome: 'confirmed' | 'cancelled'
}

/**
 * A till settles a redemption it may see: the member's own (the route names the member, so the
 * lookup stays on that member's shard), made at one of the till's stores. Another member's or
 * another store's is "not found", like anything not yours; a store-held till never settles an
 * online one.
 */
export async function settleAtTill(deps: Pick<Deps, 'db' | 'clock' | 'config'>, settling: TillSettling, actor: Principal) {
  const { memberId, redemptionId } = settling
  const [found] = await deps.db
    .select({ storeCode: redemptions.storeCode })
    .from(redemptions)
    .where(and(eq(redemptions.id, redemptionId), memberId ? eq(redemptions.memberId, memberId) : undefined))
  if (!found) throw new NotFound('Redemption', redemptionId)
  const scoped = await storesInScope(deps.db, actor)
  if (scoped && !scoped.some((s) => s.code === found.storeCode)) throw new NotFound('Redemption', redemptionId)
  return settling.outcome === 'confirmed' ? confirmRedemption(deps, redemptionId, actor) : cancelRedemption(deps, redemptionId, 'cancelled', actor)
}

/** A till reserving a reward for a member, at the store it names (or the one it is held to). */
export async function reserveAtTill(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  request: { memberId: string; rewardId: string; idempotencyKey: string; store?: string },
  actor: Principal,
) {
  const { store, ...redemption } = request
  return redeemAtTill(deps, { ...redemption, storeCode: await storeForWrite(deps.db, actor, store) }, actor)
}
