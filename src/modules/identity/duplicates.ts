import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { type Member, memberIdentifiers, members, type PersonRecord, scorePair } from '../members/index.js'
import { duplicateCandidates } from './schema.js'

/** What another module knows of each member that helps tell two records apart (orders, points…). */
export type MemberEvidence = { orders?: number; lastOrderAt?: Date | null; points?: number }
/** Answers for many members at once: a fixed number of statements, whatever the number of pairs. */
export type EvidenceSource = (db: Db, memberIds: string[]) => Promise<Map<string, MemberEvidence>>

declare module '../../platform/deps.js' {
  interface Wiring {
    /** Figures shown beside each side of a duplicate pair (activity's orders, rewards' points). */
    duplicateEvidence: EvidenceSource[]
  }
}

/** Pairs scoring at least this are listed for review; the detector's own default decides "same person". */
export const reviewThreshold = 0.5
/** A block bigger than this (a very common name on one birthday) is too vague to compare inside. */
const largestBlock = 50

/**
 * Blocking in SQL: members sharing any of a few cheap keys become candidate pairs (each key is an
 * equality, so the scan is a few sorts over live members, not a comparison of everyone with everyone).
 */
async function candidatePairs(db: Db): Promise<{ a: string; b: string }[]> {
  return queryRows(
    db,
    sql`with live as (select * from ${members} where merged_into is null),
        keys as (
          select id, 'f' || lower(family_name) || birth_date::text as k from live where family_name is not null and birth_date is not null
          union all select id, 'g' || lower(given_name) || birth_date::text from live where given_name is not null and birth_date is not null
          union all select id, 'p' || upper(replace(postcode, ' ', '')) || lower(left(given_name, 1)) || lower(left(family_name, 1)) from live where postcode is not null and given_name is not null and family_name is not null
          union all select id, 'e' || lower(split_part(email, '@', 1)) from live where length(split_part(email, '@', 1)) >= 4
          union all select id, 't' || right(phone, 7) from live where length(phone) >= 9
        ),
        blocks as (select k from keys group by k having count(*) between 2 and ${largestBlock})
        select distinct a.id as a, b.id as b from keys a join keys b on a.k = b.k and a.id < b.id where a.k in (select k from blocks)`,
  )
}

const asPerson = (m: Member): PersonRecord => ({
  id: m.id,
  givenName: m.givenName,
  familyName: m.familyName,
  birthDate: m.birthDate,
  addressLine: m.addressLine,
  city: m.city,
  postcode: m.postcode,
  phone: m.phone,
  email: m.email,
})

/** Finds and scores possible duplicates; open candidates are refreshed, dismissed ones stay dismissed. */
export async function scanForDuplicates(deps: Pick<Deps, 'db' | 'clock'>) {
  const { db, clock } = deps
  const pairs = await candidatePairs(db)
  let listed = 0
  for (let i = 0; i < pairs.length; i += 2000) {
    const chunk = pairs.slice(i, i + 2000)
    const ids = [...new Set(chunk.flatMap((p) => [p.a, p.b]))]
    const rows = await db.select().from(members).where(inArray(members.id, ids))
    const byId = new Map(rows.map((m) => [m.id, asPerson(m)]))
    const found = chunk.flatMap(({ a, b }) => {
      const { score, reasons } = scorePair(byId.get(a) as PersonRecord, byId.get(b) as PersonRecord)
      return score >= reviewThreshold ? [{ id: newId(), memberA: a, memberB: b, score, reasons, foundAt: clock.now() }] : []
    })
    if (found.length === 0) continue
    await db
      .insert(duplicateCandidates)
      .values(found)
      .onConflictDoUpdate({
        target: [duplicateCandidates.memberA, duplicateCandidates.memberB],
        set: { score: sql`excluded.score`, reasons: sql`excluded.reasons`, foundAt: sql`excluded.found_at` },
        setWhere: sql`${duplicateCandidates.status} = 'open'`,
      })
    listed += found.length
  }
  return { pairsCompared: pairs.length, candidates: listed }
}

/** Open candidates, most likely first, each with both members side by side and the evidence staff compare. */
export async function listDuplicates(
  { db, wiring }: Pick<Deps, 'db' | 'wiring'>,
  { limit, status = 'open' }: { limit: number; status?: 'open' | 'merged' | 'dismissed' },
) {
  const candidates = await db
    .select()
    .from(duplicateCandidates)
    .where(eq(duplicateCandidates.status, status))
    .orderBy(desc(duplicateCandidates.score), duplicateCandidates.id)
    .limit(limit)
  const ids = [...new Set(candidates.flatMap((c) => [c.memberA, c.memberB]))]
  const rows = ids.length ? await db.select().from(members).where(inArray(members.id, ids)) : []
  const identifiers = ids.length
    ? await db
        .select({
          memberId: memberIdentifiers.memberId,
          kind: memberIdentifiers.kind,
          value: memberIdentifiers.value,
          verifiedAt: memberIdentifiers.verifiedAt,
        })
        .from(memberIdentifiers)
        .where(inArray(memberIdentifiers.memberId, ids))
        .orderBy(memberIdentifiers.kind, memberIdentifiers.value)
    : []
  const figures = await Promise.all((wiring.duplicateEvidence ?? []).map((source) => source(db, ids)))
  const byId = new Map(rows.map((m) => [m.id, m]))
  const evidenceOf = (id: string): Required<MemberEvidence> =>
    Object.assign({ orders: 0, lastOrderAt: null, points: 0 }, ...figures.map((f) => f.get(id) ?? {}))
  const sideOf = (id: string) => ({
    ...(byId.get(id) as Member),
    identifiers: identifiers.filter((i) => i.memberId === id).map(({ kind, value, verifiedAt }) => ({ kind, value, verified: verifiedAt !== null })),
    ...evidenceOf(id),
  })
  return candidates.map((c) => ({ ...c, a: sideOf(c.memberA), b: sideOf(c.memberB) }))
}

/** Staff decided the two are different people: the pair is not listed again. */
export async function dismissDuplicate(deps: Pick<Deps, 'db' | 'clock'>, candidateId: string, actor: Principal) {
  const actorName = actor.kind === 'apiKey' ? actor.name : actor.displayName
  const [row] = await deps.db
    .update(duplicateCandidates)
    .set({ status: 'dismissed', decidedAt: deps.clock.now(), decidedBy: actorName })
    .where(and(eq(duplicateCandidates.id, candidateId), eq(duplicateCandidates.status, 'open')))
    .returning()
  if (!row) throw new NotFound('Open duplicate candidate', candidateId)
  await recordAudit(deps.db, deps.clock.now(), actor, {
    action: 'duplicate.dismissed',
    targetKind: 'duplicate_candidate',
    targetId: candidateId,
    after: { memberA: row.memberA, memberB: row.memberB },
  })
  return row
}
