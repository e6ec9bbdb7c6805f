import { and, eq, isNull, sql } from 'drizzle-orm'
import { recordAudit } from '../../../platform/audit/index.js'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError, Forbidden } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { knownSkus } from '../../activity/index.js'
import { notify } from '../notifications/index.js'
import { IdeaClosed, type IdeaRow, isClosed } from './ideas.js'
import { ideaProducts, ideaStatusChanges, ideas, ideaVotes } from './schema.js'
import { recountIdeas } from './votes.js'

export type SettableStatus = 'under_review' | 'planned' | 'in_stock' | 'declined'

export const statusWords: Record<IdeaRow['status'], string> = {
  new: 'new',
  under_review: 'under review',
  planned: 'planned',
  in_stock: 'in stock now',
  declined: 'declined',
  merged: 'merged into another idea',
}

export class ReasonNeeded extends DomainError {
  constructor() {
    super(
      '/problems/decline-reason',
      400,
      'Say why the idea is declined',
      { errors: [{ field: 'body/reason', message: 'Say why the idea is declined: everyone who voted or followed reads it' }] },
      'Everyone who voted or followed reads the reason.',
    )
  }
}

export class UnknownProducts extends DomainError {
  constructor(skus: string[]) {
    super('/problems/unknown-products', 400, 'Some products are not in the catalogue', {
      skus,
      errors: [{ field: 'body/skus', message: `The catalogue has no product ${skus.join(', ')}` }],
    })
  }
}

export class CannotMergeIdeas extends DomainError {
  constructor(detail: string) {
    super('/problems/cannot-merge-ideas', 409, 'These ideas cannot be merged', {}, detail)
  }
}

/**
 * A store-held associate or manager answers their stores' ideas only; the retailer's, a region's
 * and a category's ideas are for staff held to no store.
 */
export function assertMayAnswer(actor: StaffPrincipal, idea: IdeaRow) {
  if (actor.role === 'admin' || actor.storeIds.length === 0) return
  if (idea.scope === 'store' && idea.storeId && actor.storeIds.includes(idea.storeId)) return
  throw new Forbidden('This idea is not for one of your stores: staff who look after every store answer it.')
}

/** Everyone to tell of a change: who voted (and did not take it back) or follows, as live members, once each. */
export async function ideaAudience(db: Db, ideaId: string): Promise<string[]> {
  const rows = await queryRows<{ member_id: string }>(
    db,
    sql`select member_id from idea_votes where idea_id = ${ideaId} and withdrawn_at is null
        union select member_id from idea_follows where idea_id = ${ideaId}`,
  )
  return rows.map((r) => r.member_id).sort()
}

/** Tells the idea's audience of its new status, in the change's transaction: the notification centre delivers it once per person (by key). */
async function announceStatus(db: Db, now: Date, idea: Pick<IdeaRow, 'id' | 'title'>, status: IdeaRow['status'], reason: string | null, changeId: string) {
  const recipients = await ideaAudience(db, idea.id)
  await notify(
    { db, clock: { now: () => now } },
    {
      recipients: recipients.map((memberId) => ({ memberId })),
      kind: 'status',
      title: `“${idea.title}” is ${statusWords[status]}`,
      body: reason,
      link: `/ideas/${idea.id}`,
      key: `idea-status:${changeId}`,
    },
  )
  return recipients
}

/** Closing gives every live vote's budget back; the votes still count in the idea's support. */
async function returnBudgets(db: Db, ideaId: string, now: Date) {
  await db
    .update(ideaVotes)
    .set({ returnedAt: now })
    .where(and(eq(ideaVotes.ideaId, ideaId), isNull(ideaVotes.withdrawnAt), isNull(ideaVotes.returnedAt)))
}

/**
 * Staff move an idea on: under review, planned, in stock now (with the products that answered it) or
 * declined with a reason. Each change is kept in its history, is the idea's first answer if it had
 * none, and reaches everyone who voted or followed.
 */
export async function changeStatus(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: StaffPrincipal,
  idea: IdeaRow,
  change: { status: SettableStatus; reason?: string; skus?: string[] },
) {
  assertMayAnswer(actor, idea)
  if (isClosed(idea.status)) throw new IdeaClosed(idea.status)
  const reason = change.reason?.trim() || null
  if (change.status === 'declined' && !reason) throw new ReasonNeeded()
  const skus = [...new Set(change.skus ?? [])]
  const known = await knownSkus(deps.db, skus)
  if (known.length < skus.length) throw new UnknownProducts(skus.filter((s) => !known.includes(s)))
  const now = deps.clock.now()
  const closing = isClosed(change.status)
  return deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(ideas)
      .set({
        status: change.status,
        statusReason: reason,
        statusChangedAt: now,
        firstAnsweredAt: sql`coalesce(${ideas.firstAnsweredAt}, ${now})`,
        closedAt: closing ? now : null,
      })
      .where(and(eq(ideas.id, idea.id), sql`${ideas.status} not in ('in_stock', 'declined', 'merged')`))
      .returning()
    if (!updated) throw new IdeaClosed('closed')
    const changeId = newId()
    await tx.insert(ideaStatusChanges).values({ ideaId: idea.id, id: changeId, status: change.status, reason, byUserId: actor.userId, at: now })
    if (skus.length)
      await tx
        .insert(ideaProducts)
        .values(skus.map((sku) => ({ ideaId: idea.id, sku, linkedAt: now })))
        .onConflictDoNothing()
    if (closing) await returnBudgets(tx, idea.id, now)
    const notified = await announceStatus(tx, now, idea, change.status, reason, changeId)
    await recordAudit(tx, now, actor, {
      action: 'idea.status_changed',
      targetKind: 'idea',
      targetId: idea.id,
      before: { status: idea.status },
      after: { status: change.status, reason, skus },
    })
    return { idea: updated, notified }
  })
}

/** Links products that answered an idea (a launched idea shows them). */
export async function linkProducts(deps: Pick<Deps, 'db' | 'clock'>, actor: StaffPrincipal, idea: IdeaRow, skus: string[]) {
  assertMayAnswer(actor, idea)
  const wanted = [...new Set(skus)]
  const known = await knownSkus(deps.db, wanted)
  if (known.length < wanted.length) throw new UnknownProducts(wanted.filter((s) => !known.includes(s)))
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(ideaProducts)
      .values(wanted.map((sku) => ({ ideaId: idea.id, sku, linkedAt: now })))
      .onConflictDoNothing()
    await recordAudit(tx, now, actor, { action: 'idea.products_linked', targetKind: 'idea', targetId: idea.id, after: { skus: wanted } })
  })
}

/**
 * Moderators merge a duplicate into the idea it repeats: its votes, follows and demand carry over,
 * but a person who voted for both keeps one vote (their duplicate vote's budget comes back), and the
 * duplicate closes as merged, pointing at the survivor.
 */
export async function mergeIdeas(deps: Pick<Deps, 'db' | 'clock'>, actor: StaffPrincipal, duplicate: IdeaRow, into: IdeaRow) {
  assertMayAnswer(actor, duplicate)
  assertMayAnswer(actor, into)
  if (duplicate.id === into.id) throw new CannotMergeIdeas('An idea cannot be merged into itself.')
  if (isClosed(duplicate.status)) throw new CannotMergeIdeas(`The duplicate is already ${statusWords[duplicate.status]}.`)
  if (isClosed(into.status)) throw new CannotMergeIdeas(`The idea to keep is ${statusWords[into.status]}: merge into an open idea.`)
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    // Only votes of people without a live vote on the survivor carry; the survivor's withdrawn rows take them back.
    const carried = await queryRows<{ member_id: string }>(
      tx,
      sql`insert into idea_votes (idea_id, member_id, weight, period, cast_at, carried_from)
          select ${into.id}, v.member_id, v.weight, v.period, v.cast_at, v.idea_id from idea_votes v
           where v.idea_id = ${duplicate.id} and v.withdrawn_at is null and v.returned_at is null
             and not exists (select 1 from idea_votes w where w.idea_id = ${into.id} and w.member_id = v.member_id and w.withdrawn_at is null)
          on conflict (idea_id, member_id) do update set weight = excluded.weight, period = excluded.period, cast_at = excluded.cast_at,
             withdrawn_at = null, returned_at = null, carried_from = excluded.carried_from
          returning member_id`,
    )
    await tx.execute(
      sql`insert into idea_follows (idea_id, member_id, since) select ${into.id}, member_id, since from idea_follows where idea_id = ${duplicate.id} on conflict do nothing`,
    )
    await tx.execute(
      sql`insert into idea_demand (idea_id, member_id, kind, price_minor, currency, size, quantity, recorded_at, cancelled_at)
          select ${into.id}, member_id, kind, price_minor, currency, size, quantity, recorded_at, cancelled_at from idea_demand where idea_id = ${duplicate.id}
          on conflict do nothing`,
    )
    await tx
      .update(ideas)
      .set({ status: 'merged', mergedInto: into.id, statusReason: `Merged into “${into.title}”`, statusChangedAt: now, closedAt: now })
      .where(eq(ideas.id, duplicate.id))
    const changeId = newId()
    await tx
      .insert(ideaStatusChanges)
      .values({ ideaId: duplicate.id, id: changeId, status: 'merged', reason: `Merged into “${into.title}”`, byUserId: actor.userId, at: now })
    await returnBudgets(tx, duplicate.id, now)
    await recountIdeas(tx, [into.id])
    await announceStatus(tx, now, duplicate, 'merged', `Merged into “${into.title}”`, changeId)
    await recordAudit(tx, now, actor, {
      action: 'idea.merged',
      targetKind: 'idea',
      targetId: duplicate.id,
      after: { into: into.id, carriedVotes: carried.length },
    })
    const [survivor] = await tx.select().from(ideas).where(eq(ideas.id, into.id))
    return { idea: survivor, carriedVotes: carried.length }
  })
}
