import { and, desc, eq, isNull, or, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { publish } from '../../platform/outbox/index.js'
import { moveActivity, moveActivityBack } from '../activity/index.js'
import { foldMemberInto, lockMembers, type MembersMoved, unfoldMember } from '../members/index.js'
import { duplicateCandidates, memberMerges } from './schema.js'

/**
 * A module whose member data follows a merge (points, friendships, notes…). `merge` moves the
 * merged member's rows to the survivor inside the merge's transaction and returns what it moved;
 * `unmerge` gets that back and moves exactly those rows home. Listed in src/composition.ts.
 */
export interface MergeParticipant {
  name: string
  merge(db: Db, mergedId: string, survivorId: string): Promise<unknown>
  unmerge(db: Db, mergedId: string, survivorId: string, moved: unknown): Promise<void>
}

/**
 * Everyone still merged into `memberId`, directly or through members merged into it: they follow
 * it when it is merged in turn (a merge is undone only while its survivor stands, so the active
 * merges form trees rooted at live members).
 */
async function mergedInto(db: Db, memberId: string) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with recursive earlier(id) as (
          select merged_id from ${memberMerges} where survivor_id = ${memberId} and unmerged_at is null
          union select m.merged_id from ${memberMerges} m join earlier e on m.survivor_id = e.id where m.unmerged_at is null)
        select id from earlier`,
  )
  return rows.map((r) => r.id)
}

declare module '../../platform/deps.js' {
  interface Wiring {
    /** Modules whose member data follows a merge, after identity's own (members, activity); undone in reverse. */
    mergeParticipants: MergeParticipant[]
  }
}

const ownParticipants: MergeParticipant[] = [
  {
    name: 'members',
    merge: async (db, merged, survivor) => foldMemberInto(db, merged, survivor, await mergedInto(db, merged)),
    unmerge: async (db, merged, survivor, moved) => unfoldMember(db, merged, survivor, moved as MembersMoved, await mergedInto(db, merged)),
  },
  { name: 'activity', merge: moveActivity, unmerge: (db, merged, survivor, moved) => moveActivityBack(db, moved as string[], survivor, merged) },
]

const participantsOf = (deps: Pick<Deps, 'wiring'>) => [...ownParticipants, ...deps.wiring.mergeParticipants]

export class CannotMerge extends DomainError {
  constructor(detail: string) {
    super('/problems/cannot-merge', 409, 'These members cannot be merged', {}, detail)
  }
}

const actorName = (actor: Principal) => (actor.kind === 'apiKey' ? `key:${actor.name}` : `${actor.kind}:${actor.userId}`)

/** Makes two members one: everything of `mergedId` moves to `survivorId`, which it then redirects to. */
export async function mergeMembers(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, survivorId: string, mergedId: string, actor: Principal) {
  if (survivorId === mergedId) throw new CannotMerge('A member cannot be merged into themself.')
  return deps.db.transaction(async (tx) => {
    const locked = await lockMembers(tx, [survivorId, mergedId])
    const survivor = locked.find((m) => m.id === survivorId)
    const merged = locked.find((m) => m.id === mergedId)
    if (!survivor) throw new NotFound('Member', survivorId)
    if (!merged) throw new NotFound('Member', mergedId)
    if (survivor.mergedInto || merged.mergedInto) throw new CannotMerge('One of them was already merged into someone else.')
    const moved: Record<string, unknown> = {}
    for (const participant of participantsOf(deps)) moved[participant.name] = await participant.merge(tx, mergedId, survivorId)
    const [merge] = await tx
      .insert(memberMerges)
      .values({ id: newId(), survivorId, mergedId, mergedAt: deps.clock.now(), mergedBy: actorName(actor), moved })
      .returning()
    await tx
      .update(duplicateCandidates)
      .set({ status: 'merged', decidedAt: deps.clock.now(), decidedBy: actorName(actor) })
      .where(
        or(
          and(eq(duplicateCandidates.memberA, survivorId), eq(duplicateCandidates.memberB, mergedId)),
          and(eq(duplicateCandidates.memberA, mergedId), eq(duplicateCandidates.memberB, survivorId)),
        ),
      )
    await publish(tx, deps.clock.now(), [{ topic: 'member.merged', memberId: survivorId, payload: { mergeId: merge.id, survivorId, mergedId } }])
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.merged',
      targetKind: 'member',
      targetId: survivorId,
      memberId: survivorId,
      before: { mergedId },
      after: { mergeId: merge.id, moved },
    })
    return merge
  })
}

/** Undoes a merge: what moved goes back, and the merged member stands on its own again. */
export async function unmergeMembers(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, mergeId: string, actor: Principal) {
  return deps.db.transaction(async (tx) => {
    const [merge] = await tx
      .select()
      .from(memberMerges)
      .where(and(eq(memberMerges.id, mergeId), isNull(memberMerges.unmergedAt)))
      .for('update')
    if (!merge) throw new NotFound('Merge', mergeId)
    const locked = await lockMembers(tx, [merge.survivorId, merge.mergedId])
    if (locked.find((m) => m.id === merge.survivorId)?.mergedInto) throw new CannotMerge('The survivor was merged again since; undo that merge first.')
    const moved = merge.moved as Record<string, unknown>
    for (const participant of participantsOf(deps).reverse()) {
      if (participant.name in moved) await participant.unmerge(tx, merge.mergedId, merge.survivorId, moved[participant.name])
    }
    const [undone] = await tx
      .update(memberMerges)
      .set({ unmergedAt: deps.clock.now(), unmergedBy: actorName(actor) })
      .where(eq(memberMerges.id, mergeId))
      .returning()
    await publish(tx, deps.clock.now(), [
      { topic: 'member.unmerged', memberId: merge.survivorId, payload: { mergeId, survivorId: merge.survivorId, mergedId: merge.mergedId } },
    ])
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.unmerged',
      targetKind: 'member',
      targetId: merge.mergedId,
      memberId: merge.mergedId,
      before: { mergeId },
      after: { survivorId: merge.survivorId },
    })
    return undone
  })
}

/** Merges a member took part in, newest first. */
export async function mergesOf(db: Db, memberId: string) {
  return db
    .select()
    .from(memberMerges)
    .where(or(eq(memberMerges.survivorId, memberId), eq(memberMerges.mergedId, memberId)))
    .orderBy(desc(memberMerges.mergedAt))
}
