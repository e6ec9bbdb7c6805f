import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.js'
import { consentEvents, memberIdentifiers, members } from './schema.js'

const fillable = ['givenName', 'familyName', 'birthDate', 'email', 'phone', 'addressLine', 'postcode', 'city', 'homeStoreId', 'preferredChannel'] as const
type Fillable = (typeof fillable)[number]

export interface MembersMoved {
  identifiers: { kind: string; value: string }[]
  consents: string[]
  filled: Partial<Record<Fillable, string | null>>
}

/** Locks both members (in id order, so concurrent merges queue instead of deadlocking). */
export async function lockMembers(db: Db, ids: string[]) {
  return db.select().from(members).where(inArray(members.id, ids)).orderBy(members.id).for('update')
}

/**
 * Moves a member's identifiers to the survivor, copies into the survivor's consent ledger the merged
 * member's consents for purposes (and channels) it never answered, gives it the merged member's
 * profile details where the survivor has none, then makes the merged member a redirect (and those
 * merged into it earlier, `mergedEarlier`, redirects to the survivor). Returns exactly what moved, for unmerge.
 */
export async function foldMemberInto(db: Db, mergedId: string, survivorId: string, mergedEarlier: string[] = []): Promise<MembersMoved> {
  const identifiers = await db
    .update(memberIdentifiers)
    .set({ memberId: survivorId })
    .where(eq(memberIdentifiers.memberId, mergedId))
    .returning({ kind: memberIdentifiers.kind, value: memberIdentifiers.value })
  // The merged member's latest word per purpose and channel, as new events in the survivor's ledger.
  const consents = await db.execute(sql`
    insert into ${consentEvents} (member_id, id, purpose, channel, granted, at, source, wording)
    select ${survivorId}, gen_random_uuid(), m.purpose, m.channel, m.granted, m.changed_at, 'merge', m.wording
      from member_consent_states m
     where m.member_id = ${mergedId}
       and not exists (select 1 from consent_events s where s.member_id = ${survivorId} and s.purpose = m.purpose and s.channel = m.channel)
    returning purpose`)
  const [[survivor], [merged]] = await Promise.all([
    db.select().from(members).where(eq(members.id, survivorId)),
    db.select().from(members).where(eq(members.id, mergedId)),
  ])
  const filled: MembersMoved['filled'] = {}
  for (const field of fillable) if (survivor[field] === null && merged[field] !== null) filled[field] = merged[field]
  if (Object.keys(filled).length) await db.update(members).set(filled).where(eq(members.id, survivorId))
  // Chains stay one hop long: whoever was merged into this member now points at the survivor, so
  // `merged_into` always names a live member and every reader follows at most one redirect.
  await db
    .update(members)
    .set({ mergedInto: survivorId })
    .where(inArray(members.id, [mergedId, ...mergedEarlier]))
  return {
    identifiers,
    consents: (consents as unknown as { rows: { purpose: string }[] }).rows.map((r) => r.purpose),
    filled,
  }
}

/** Undoes foldMemberInto: identifiers go back, copied consents and filled-in details are removed, those merged into it earlier (`mergedEarlier`) point at it again. */
export async function unfoldMember(db: Db, mergedId: string, survivorId: string, moved: MembersMoved, mergedEarlier: string[] = []) {
  for (const { kind, value } of moved.identifiers) {
    await db
      .update(memberIdentifiers)
      .set({ memberId: mergedId })
      .where(and(eq(memberIdentifiers.kind, kind as never), eq(memberIdentifiers.value, value), eq(memberIdentifiers.memberId, survivorId)))
  }
  if (moved.consents.length)
    await db
      .delete(consentEvents)
      .where(and(eq(consentEvents.memberId, survivorId), eq(consentEvents.source, 'merge'), inArray(consentEvents.purpose, moved.consents as never[])))
  const [survivor] = await db.select().from(members).where(eq(members.id, survivorId))
  // A detail staff changed since the merge stays as they left it.
  const unchanged = Object.fromEntries(
    Object.entries(moved.filled)
      .filter(([field, value]) => String(survivor[field as Fillable]) === String(value))
      .map(([field]) => [field, null]),
  )
  if (Object.keys(unchanged).length) await db.update(members).set(unchanged).where(eq(members.id, survivorId))
  await db
    .update(members)
    .set({ mergedInto: null })
    .where(and(eq(members.id, mergedId), eq(members.mergedInto, survivorId)))
  if (mergedEarlier.length)
    await db
      .update(members)
      .set({ mergedInto: mergedId })
      .where(and(inArray(members.id, mergedEarlier), eq(members.mergedInto, survivorId)))
}
