import { randomBytes } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { NotEnoughPoints, postEntries } from './ledger.js'
import { pointsBalances, redemptions, rewards } from './schema.js'

type Reward = typeof rewards.$inferSelect
type Redemption = typeof redemptions.$inferSelect

export class RewardUnavailable extends DomainError {
  constructor(detail: string) {
    super('/problems/reward-unavailable', 409, 'This reward cannot be redeemed', {}, detail)
  }
}

export class RedemptionSettled extends DomainError {
  constructor(detail: string) {
    super('/problems/redemption-settled', 409, 'This redemption is already settled', {}, detail)
  }
}

export async function listRewards(db: Db, { activeOnly }: { activeOnly: boolean }) {
  const rows = await db.select().from(rewards).orderBy(rewards.cost, rewards.name)
  return activeOnly ? rows.filter((r) => r.active === 'yes') : rows
}

export async function saveReward(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: Omit<typeof rewards.$inferInsert, 'createdAt' | 'id'> & { id?: string },
  actor: Principal,
) {
  const id = input.id ?? newId()
  const [row] = await deps.db
    .insert(rewards)
    .values({ ...input, id, createdAt: deps.clock.now() })
    .onConflictDoUpdate({
      target: rewards.id,
      set: {
        name: input.name,
        description: input.description ?? '',
        kind: input.kind,
        cost: input.cost,
        stock: input.stock ?? null,
        perMemberLimit: input.perMemberLimit ?? null,
        channels: input.channels ?? [],
        active: input.active ?? 'yes',
      },
    })
    .returning()
  await recordAudit(deps.db, deps.clock.now(), actor, { action: 'reward.saved', targetKind: 'reward', targetId: id, after: row })
  return row
}

/** A row as row_to_json wrote it (snake_case, ISO times) in the shape drizzle gives. */
function fromRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    const name = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    out[name] = typeof value === 'string' && /_at$/.test(key) ? new Date(value) : value
  }
  return out as T
}

const discountCode = () => `RG-${randomBytes(5).toString('hex').toUpperCase()}`

interface RedeemRequest {
  memberId: string
  rewardId: string
  idempotencyKey: string
  channel: string
  storeCode?: string | null
  /** At a till: hold the points until the sale confirms (or cancels, or the hold lapses). */
  reserve: boolean
}

/**
 * Spends points on a reward. The member's balance row is locked first, so fifty redemptions at
 * once queue on it and can never spend more than there is. A retry with the same key answers the
 * first result.
 */
export async function redeem(deps: Pick<Deps, 'db' | 'clock' | 'config'>, request: RedeemRequest): Promise<Redemption> {
  const { db, clock, config } = deps
  return db.transaction(async (tx) => {
    // One round trip: lock the balance row and read the earlier answer, the reward and the oldest lot.
    const [state] = await queryRows<{
      available: number
      earlier: Record<string, unknown> | null
      reward: Record<string, unknown> | null
      oldest: string | null
    }>(
      tx,
      sql`select b.available,
                 (select row_to_json(r) from ${redemptions} r where r.member_id = b.member_id and r.idempotency_key = ${request.idempotencyKey}) as earlier,
                 (select row_to_json(w) from ${rewards} w where w.id = ${request.rewardId}) as reward,
                 (select min(l.expires_at) from points_lots l where l.member_id = b.member_id and l.remaining > 0) as oldest
            from ${pointsBalances} b where b.member_id = ${request.memberId} for update of b`,
    )
    if (state?.earlier) return fromRow<Redemption>(state.earlier)
    // No balance row: a member who never had points (the reward still has to exist to say so).
    const reward = state?.reward ? fromRow<Reward>(state.reward) : (await tx.select().from(rewards).where(eq(rewards.id, request.rewardId)))[0]
    if (reward?.active !== 'yes') throw new NotFound('Reward', request.rewardId)
    await checkAvailable(tx, reward, request)
    const available = state?.available ?? 0
    if (available < reward.cost) throw new NotEnoughPoints(request.memberId, reward.cost, available)
    const oldestExpiry = state?.oldest ? new Date(state.oldest) : undefined
    const now = clock.now()
    const id = newId()
    const [row] = await tx
      .insert(redemptions)
      .values({
        id,
        memberId: request.memberId,
        rewardId: reward.id,
        points: reward.cost,
        status: request.reserve ? 'reserved' : 'confirmed',
        channel: request.channel,
        storeCode: request.storeCode ?? null,
        code: reward.kind === 'discount_code' ? discountCode() : null,
        idempotencyKey: request.idempotencyKey,
        reservedAt: now,
        expiresAt: request.reserve ? new Date(now.getTime() + config.reservationMinutes * 60_000) : null,
        decidedAt: request.reserve ? null : now,
      })
      .returning()
    if (reward.stock !== null)
      await tx
        .update(rewards)
        .set({ stock: sql`${rewards.stock} - 1` })
        .where(eq(rewards.id, reward.id))
    await postEntries(
      tx,
      [
        {
          memberId: request.memberId,
          kind: request.reserve ? 'reserve' : 'redeem',
          sourceKey: id,
          occurredAt: now,
          explanation: `−${reward.cost} for ${reward.name}`,
          details: { redemptionId: id, rewardId: reward.id, lotExpiresAt: oldestExpiry },
          postings: [
            { account: 'available', points: -reward.cost },
            request.reserve ? { account: 'reserved', points: reward.cost } : { account: 'program:redeemed', points: reward.cost },
          ],
        },
      ],
      now,
      config.pointsExpiryMonths,
    )
    return row
  })
}

async function checkAvailable(db: Db, reward: Reward, request: RedeemRequest) {
  if (reward.stock !== null && reward.stock <= 0) throw new RewardUnavailable(`${reward.name} is out of stock.`)
  if (reward.channels.length && !reward.channels.includes(request.channel))
    throw new RewardUnavailable(`${reward.name} can be redeemed only on ${reward.channels.join(', ')}.`)
  if (reward.perMemberLimit !== null) {
    const [used] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${redemptions} where member_id = ${request.memberId} and reward_id = ${reward.id} and status in ('reserved', 'confirmed')`,
    )
    if (used.n >= reward.perMemberLimit) throw new RewardUnavailable(`${reward.name} can be redeemed ${reward.perMemberLimit} time(s) per member.`)
  }
}

/** The till's sale went through: the held points are spent. Confirming twice is harmless. */
export async function confirmRedemption(deps: Pick<Deps, 'db' | 'clock' | 'config'>, redemptionId: string) {
  return decide(deps, redemptionId, 'confirmed')
}

/** The sale did not happen: the held points go back (also what a lapsed hold does). */
export async function cancelRedemption(deps: Pick<Deps, 'db' | 'clock' | 'config'>, redemptionId: string, status: 'cancelled' | 'expired' = 'cancelled') {
  return decide(deps, redemptionId, status)
}

async function decide(deps: Pick<Deps, 'db' | 'clock' | 'config'>, redemptionId: string, outcome: 'confirmed' | 'cancelled' | 'expired') {
  const { db, clock, config } = deps
  return db.transaction(async (tx) => {
    // One round trip: lock the member's balance and the redemption (so a racing confirm and cancel
    // see each other's outcome), with the reserve entry that says which lots' date to restore.
    const [locked] = await queryRows<{ redemption: Record<string, unknown>; details: { lotExpiresAt?: string } | null }>(
      tx,
      sql`select row_to_json(r) as redemption, e.details
            from ${redemptions} r join ${pointsBalances} b on b.member_id = r.member_id
            left join ledger_entries e on e.member_id = r.member_id and e.kind = 'reserve' and e.source_key = r.id::text
           where r.id = ${redemptionId} for update of b, r`,
    )
    if (!locked) throw new NotFound('Redemption', redemptionId)
    const redemption = fromRow<Redemption>(locked.redemption)
    if (redemption.status === outcome) return redemption
    if (redemption.status !== 'reserved') throw new RedemptionSettled(`The redemption is already ${redemption.status}.`)
    const now = clock.now()
    // A hold past its time cannot be confirmed: the points went back to the member.
    if (outcome === 'confirmed' && redemption.expiresAt && redemption.expiresAt < now)
      throw new RedemptionSettled('The reservation lapsed and the points went back; reserve again.')
    const reserveEntry = { details: locked.details ?? {} }
    await postEntries(
      tx,
      [
        {
          memberId: redemption.memberId,
          kind: outcome === 'confirmed' ? 'confirm' : 'cancel',
          sourceKey: redemptionId,
          occurredAt: now,
          explanation: outcome === 'confirmed' ? 'Reward handed over' : `+${redemption.points} back: the reward was not taken`,
          details: { redemptionId, ...(reserveEntry?.details.lotExpiresAt ? { lotExpiresAt: new Date(reserveEntry.details.lotExpiresAt) } : {}) },
          postings: [
            { account: 'reserved', points: -redemption.points },
            outcome === 'confirmed' ? { account: 'program:redeemed', points: redemption.points } : { account: 'available', points: redemption.points },
          ],
        },
      ],
      now,
      config.pointsExpiryMonths,
    )
    if (outcome !== 'confirmed')
      await tx
        .update(rewards)
        .set({ stock: sql`${rewards.stock} + 1` })
        .where(and(eq(rewards.id, redemption.rewardId), sql`${rewards.stock} is not null`))
    const [row] = await tx
      .update(redemptions)
      .set({ status: outcome, decidedAt: now })
      .where(and(eq(redemptions.memberId, redemption.memberId), eq(redemptions.id, redemptionId)))
      .returning()
    return row
  })
}

export async function redemptionsOf(db: Db, memberId: string) {
  return db.select().from(redemptions).where(eq(redemptions.memberId, memberId)).orderBy(sql`${redemptions.reservedAt} desc`).limit(50)
}

/** Staff redeeming for a member at the till are audited like any other staff action. */
export async function auditTillRedemption(deps: Pick<Deps, 'db' | 'clock'>, actor: Principal, redemption: Redemption) {
  if (actor.kind === 'staff')
    await recordAudit(deps.db, deps.clock.now(), actor, {
      action: 'reward.redeemed_at_till',
      targetKind: 'member',
      targetId: redemption.memberId,
      after: redemption,
    })
}
