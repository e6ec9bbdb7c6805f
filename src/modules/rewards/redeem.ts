import { randomBytes } from 'node:crypto'
import { eq, getTableColumns, inArray, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import { type Principal, senderOf } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, IdempotencyKeyReused, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { NotEnoughPoints } from './ledger.js'
import { redemptions, rewardStockClaims, rewards, tiers } from './schema.js'

type Redemption = typeof redemptions.$inferSelect

export class RewardUnavailable extends DomainError {
  constructor(detail: string) {
    super('/problems/reward-unavailable', 409, 'This reward cannot be redeemed', {}, detail)
  }
}

export class InvalidReward extends DomainError {
  constructor(field: string, message: string) {
    super('/problems/invalid-reward', 400, 'The reward cannot be saved like this', { errors: [{ field: `body/${field}`, message }] }, message)
  }
}

export class RedemptionSettled extends DomainError {
  constructor(detail: string) {
    super('/problems/redemption-settled', 409, 'This redemption is already settled', {}, detail)
  }
}

/** A reward with what is left of its stock (its stock in all, less what redemptions claimed): what admins set and members see. */
const rewardLeft = { ...getTableColumns(rewards), stock: sql<number | null>`${rewards.stock} - coalesce(${rewardStockClaims.claimed}, 0)`.as('stock') }

/** The catalogue; `activeOnly` (what members and tills see): active and within its dates at `now`. */
export async function listRewards(db: Db, { activeOnly, now }: { activeOnly: boolean; now: Date }) {
  const rows = await db
    .select(rewardLeft)
    .from(rewards)
    .leftJoin(rewardStockClaims, eq(rewardStockClaims.rewardId, rewards.id))
    .orderBy(rewards.cost, rewards.name)
  const current = (r: (typeof rows)[number]) => !(r.validFrom && now < r.validFrom) && !(r.validUntil && now >= r.validUntil)
  return activeOnly ? rows.filter((r) => r.active === 'yes' && current(r)) : rows
}

/**
 * Adds or changes a reward; `stock` is how many are left to give from now on. It is kept as the
 * stock in all (left plus claimed), read under the claims row's lock, so a redemption claiming a
 * unit meanwhile waits and the count stays exact.
 */
export async function saveReward(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: Omit<typeof rewards.$inferInsert, 'createdAt' | 'id'> & { id?: string },
  actor: Principal,
) {
  const id = input.id ?? newId()
  if (input.validFrom && input.validUntil && input.validUntil <= input.validFrom)
    throw new InvalidReward('validUntil', 'The last day must come after the first: a reward valid until before it starts can never be redeemed.')
  return deps.db.transaction(async (tx) => {
    if (input.tiers?.length) {
      const known = new Set((await tx.select({ code: tiers.code }).from(tiers)).map((t) => t.code))
      const unknown = input.tiers.filter((code) => !known.has(code))
      if (unknown.length)
        throw new InvalidReward('tiers', `There is no tier ${unknown.join(', ')}; the tiers are ${[...known].join(', ') || 'not set up yet'}.`)
    }
    const [claims] = await tx.select().from(rewardStockClaims).where(eq(rewardStockClaims.rewardId, id)).for('update')
    const stock = input.stock === undefined || input.stock === null ? null : input.stock + (claims?.claimed ?? 0)
    const [saved] = await tx
      .insert(rewards)
      .values({ ...input, id, stock, createdAt: deps.clock.now() })
      .onConflictDoUpdate({
        target: rewards.id,
        set: {
          name: input.name,
          description: input.description ?? '',
          kind: input.kind,
          cost: input.cost,
          stock,
          perMemberLimit: input.perMemberLimit ?? null,
          channels: input.channels ?? [],
          active: input.active ?? 'yes',
          validFrom: input.validFrom ?? null,
          validUntil: input.validUntil ?? null,
          tiers: input.tiers ?? [],
          imageUrl: input.imageUrl ?? null,
        },
      })
      .returning()
    const row = { ...saved, stock: input.stock ?? null }
    await recordAudit(tx, deps.clock.now(), actor, { action: 'reward.saved', targetKind: 'reward', targetId: id, after: row })
    return row
  })
}

const discountCode = () => `RG-${randomBytes(5).toString('hex').toUpperCase()}`

interface RedeemRequest {
  memberId: string
  rewardId: string
  idempotencyKey: string
  /** Whose key it is (`senderOf`): the same key from another till or member is another redemption. */
  sentBy: string
  channel: string
  storeCode?: string | null
  /** At a till: hold the points until the sale confirms (or cancels, or the hold lapses). */
  reserve: boolean
}

/** What the database's redemption functions answer (`redemption_answer` in sql/redemptions.sql): a typed row. */
interface Answer {
  outcome:
    | 'redeemed'
    | 'settled'
    | 'no_member'
    | 'no_reward'
    | 'no_redemption'
    | 'not_valid'
    | 'wrong_tier'
    | 'out_of_stock'
    | 'wrong_channel'
    | 'limit_reached'
    | 'not_enough'
    | 'already_settled'
    | 'lapsed'
  id: string | null
  member_id: string | null
  reward_id: string | null
  points: number | null
  status: Redemption['status'] | null
  channel: string | null
  store_code: string | null
  code: string | null
  idempotency_key: string | null
  sent_by: string | null
  reserved_at: Date | string | null
  expires_at: Date | string | null
  decided_at: Date | string | null
  claimed_stock: boolean | null
  reward_name: string | null
  reward_channels: string[] | null
  per_member_limit: number | null
  needed: number | null
  available: number | null
}

const when = (value: Date | string | null) => (value === null ? null : new Date(value))

const day = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/** Why a reward outside its dates or for other tiers was refused, in words (read only on that refusal). */
async function refusalOfReward(db: Db, rewardId: string, outcome: 'not_valid' | 'wrong_tier', now: Date): Promise<RewardUnavailable> {
  const [reward] = await db.select().from(rewards).where(eq(rewards.id, rewardId))
  if (outcome === 'wrong_tier') {
    const names = await db.select({ code: tiers.code, name: tiers.name }).from(tiers).where(inArray(tiers.code, reward.tiers))
    const named = reward.tiers.map((code) => names.find((t) => t.code === code)?.name ?? code)
    return new RewardUnavailable(`${reward.name} is for ${named.join(' and ')} members only.`)
  }
  return reward.validFrom && now < reward.validFrom
    ? new RewardUnavailable(`${reward.name} can be redeemed from ${day(reward.validFrom)}.`)
    : new RewardUnavailable(`${reward.name} could be redeemed until ${day(reward.validUntil as Date)}; the offer has ended.`)
}

/** What the database's redemption functions answered, as the redemption or the problem to report. */
async function redemptionOrRefusal(
  db: Db,
  now: Date,
  answer: Answer,
  ids: { memberId?: string; rewardId?: string; redemptionId?: string },
): Promise<Redemption> {
  if (answer.outcome === 'not_valid' || answer.outcome === 'wrong_tier') throw await refusalOfReward(db, ids.rewardId as string, answer.outcome, now)
  return redemptionFrom(answer, ids)
}

/** What the database's redemption functions answered, as the redemption or the problem to report. */
function redemptionFrom(answer: Answer, ids: { memberId?: string; rewardId?: string; redemptionId?: string }): Redemption {
  switch (answer.outcome) {
    case 'redeemed':
    case 'settled':
      return {
        id: answer.id as string,
        memberId: answer.member_id as string,
        rewardId: answer.reward_id as string,
        points: answer.points as number,
        status: answer.status as Redemption['status'],
        channel: answer.channel as string,
        storeCode: answer.store_code,
        code: answer.code,
        idempotencyKey: answer.idempotency_key as string,
        sentBy: answer.sent_by as string,
        reservedAt: when(answer.reserved_at) as Date,
        expiresAt: when(answer.expires_at),
        decidedAt: when(answer.decided_at),
        claimedStock: answer.claimed_stock as boolean,
      }
    case 'no_member':
      throw new NotFound('Member', ids.memberId as string)
    case 'no_reward':
      throw new NotFound('Reward', ids.rewardId as string)
    case 'no_redemption':
      throw new NotFound('Redemption', ids.redemptionId as string)
    case 'out_of_stock':
      throw new RewardUnavailable(`${answer.reward_name} is out of stock.`)
    case 'wrong_channel':
      throw new RewardUnavailable(`${answer.reward_name} can be redeemed only on ${answer.reward_channels?.join(', ')}.`)
    case 'limit_reached':
      throw new RewardUnavailable(`${answer.reward_name} can be redeemed ${answer.per_member_limit} time(s) per member.`)
    case 'not_enough':
      throw new NotEnoughPoints(answer.member_id as string, answer.needed as number, answer.available as number)
    case 'already_settled':
      throw new RedemptionSettled(`The redemption is already ${answer.status}.`)
    case 'lapsed':
      throw new RedemptionSettled('The reservation lapsed and the points went back; reserve again.')
    default:
      throw new RewardUnavailable(`${answer.reward_name ?? 'The reward'} cannot be redeemed now.`)
  }
}

/**
 * Spends points on a reward, in the database's `redeem_reward` (sql/redemptions.sql): one round trip for
 * a till waiting on it. The member's balance row is locked first, so fifty redemptions at once
 * queue on it and can never spend more than there is. A merged member's id redeems for the member
 * it was merged into. A retry with the same key answers the first result.
 */
export async function redeem(deps: Pick<Deps, 'db' | 'clock' | 'config'>, request: RedeemRequest): Promise<Redemption> {
  return (await redeemOnce(deps, request)).redemption
}

/** As `redeem`, saying whether this call made the redemption (`replay`: a retry answered with the first). */
async function redeemOnce(deps: Pick<Deps, 'db' | 'clock' | 'config'>, request: RedeemRequest): Promise<{ redemption: Redemption; replay: boolean }> {
  const { db, clock, config } = deps
  const redemptionId = newId()
  const [answer] = await queryRows<Answer>(
    db,
    sql`select * from redeem_reward(${request.memberId}::uuid, ${request.rewardId}::uuid, ${request.sentBy}, ${request.idempotencyKey}, ${request.channel}, ${request.storeCode ?? null},
                             ${request.reserve}, ${clock.now().toISOString()}::timestamptz, ${config.reservationMinutes}::int, ${config.pointsExpiryMonths}::int,
                             ${redemptionId}::uuid, ${newId()}::uuid, ${discountCode()})`,
  )
  const redemption = await redemptionOrRefusal(db, clock.now(), answer, request)
  // The function answers a key seen before with its first redemption: it must be this request's retry.
  if (redemption.rewardId !== request.rewardId || (redemption.storeCode ?? null) !== (request.storeCode ?? null))
    throw new IdempotencyKeyReused(
      `Idempotency key "${request.idempotencyKey}" was used for a redemption of another reward or at another store; a retry must send the same request, a new redemption a new key.`,
      'headers/idempotency-key',
    )
  // A new redemption carries the id offered; a replay carries the first one's.
  return { redemption, replay: redemption.id !== redemptionId }
}

/** The till's sale went through: the held points are spent. Confirming twice is harmless. */
export async function confirmRedemption(deps: Pick<Deps, 'db' | 'clock' | 'config'>, redemptionId: string, actor?: Principal) {
  return settle(deps, redemptionId, 'confirmed', actor)
}

/** The sale did not happen: the held points go back (also what a lapsed hold does). */
export async function cancelRedemption(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  redemptionId: string,
  status: 'cancelled' | 'expired' = 'cancelled',
  actor?: Principal,
) {
  return settle(deps, redemptionId, status, actor)
}

/** In the database's `settle_redemption`: the balance and the redemption locked together, one round trip; a caller's settling is audited with it. */
async function settle(deps: Pick<Deps, 'db' | 'clock' | 'config'>, redemptionId: string, outcome: 'confirmed' | 'cancelled' | 'expired', actor?: Principal) {
  const { clock, config } = deps
  return deps.db.transaction(async (db) => {
    const entryId = newId()
    const [answer] = await queryRows<Answer>(
      db,
      sql`select * from settle_redemption(${redemptionId}::uuid, ${outcome}, ${clock.now().toISOString()}::timestamptz, ${config.pointsExpiryMonths}::int, ${entryId}::uuid)`,
    )
    const redemption = redemptionFrom(answer, { redemptionId })
    if (!actor) return redemption
    // Settling twice the same way answers the redemption and posts nothing: nothing changed, nothing to audit.
    const [{ posted }] = await queryRows<{ posted: boolean }>(
      db,
      sql`select exists (select 1 from ledger_entries where member_id = ${redemption.memberId} and id = ${entryId}::uuid) as posted`,
    )
    if (posted)
      await recordAudit(db, clock.now(), actor, {
        action: `redemption.${outcome}`,
        targetKind: 'redemption',
        targetId: redemptionId,
        memberId: redemption.memberId,
        after: { status: redemption.status },
      })
    return redemption
  })
}

/** The member's own redemptions, latest first, each with the reward it was for (a reward since deleted keeps its id). */
export async function redemptionsOf(db: Db, memberId: string) {
  return db
    .select({ ...getTableColumns(redemptions), rewardName: rewards.name, rewardKind: rewards.kind })
    .from(redemptions)
    .leftJoin(rewards, eq(rewards.id, redemptions.rewardId))
    .where(eq(redemptions.memberId, memberId))
    .orderBy(sql`${redemptions.reservedAt} desc`, sql`${redemptions.id} desc`)
    .limit(50)
}

/** A till (associate or key) redeeming for a member, audited with the redemption in one transaction. */
export async function redeemAtTill(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  request: Omit<RedeemRequest, 'reserve' | 'channel' | 'sentBy'>,
  actor: Principal,
) {
  return redeemAudited(deps, { ...request, sentBy: senderOf(actor), channel: 'store', reserve: true }, actor, 'reward.redeemed_at_till')
}

/** A member redeeming online for themself: spent at once, audited like a till's. */
export async function redeemOnline(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  request: Omit<RedeemRequest, 'reserve' | 'channel' | 'sentBy'>,
  actor: Principal,
) {
  return redeemAudited(deps, { ...request, sentBy: senderOf(actor), channel: 'web', reserve: false }, actor, 'reward.redeemed_online')
}

async function redeemAudited(deps: Pick<Deps, 'db' | 'clock' | 'config'>, request: RedeemRequest, actor: Principal, action: string) {
  return deps.db.transaction(async (db) => {
    const { redemption, replay } = await redeemOnce({ ...deps, db }, request)
    if (replay) return redemption // a retry changes nothing, so it writes no second audit entry
    await recordAudit(db, deps.clock.now(), actor, {
      action,
      targetKind: 'member',
      targetId: redemption.memberId,
      memberId: redemption.memberId,
      after: redemption,
    })
    return redemption
  })
}
