import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { type Db, insertMany, queryRows } from '../../platform/db/index.js'
import { NotFound } from '../../platform/http/problems.js'
import { type IdentifierKind, normaliseIdentifier } from './identifiers.js'
import { memberIdentifiers, members } from './schema.js'

export type Member = typeof members.$inferSelect

const displayName = (m: Pick<Member, 'givenName' | 'familyName' | 'id'>) => [m.givenName, m.familyName].filter(Boolean).join(' ') || `Member ${m.id.slice(-6)}`

/**
 * Follows merge redirects, so an old id still finds the member it became: the database's
 * `live_member` (drizzle/0009), which the till's redemptions also call inside their one statement.
 */
export async function resolveMemberId(db: Db, memberId: string): Promise<string | undefined> {
  const [row] = await queryRows<{ id: string | null }>(db, sql`select live_member(${memberId}::uuid) as id`)
  return row.id ?? undefined
}

/** A member's profile and identifiers, or NotFound. */
export async function memberProfile(db: Db, memberId: string) {
  const id = await resolveMemberId(db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const [[member], identifiers] = await Promise.all([
    db.select().from(members).where(eq(members.id, id)),
    db.select().from(memberIdentifiers).where(eq(memberIdentifiers.memberId, id)).orderBy(asc(memberIdentifiers.kind), asc(memberIdentifiers.value)),
  ])
  return {
    member: { ...member, displayName: displayName(member) },
    identifiers: identifiers.map((i) => ({ kind: i.kind, value: i.value, addedAt: i.addedAt, verified: i.verifiedAt !== null })),
  }
}

export interface MemberListItem {
  id: string
  displayName: string
  email: string | null
  phone: string | null
  loyaltyId: string | null
  homeStoreId: string | null
  joinedAt: Date
}

async function listItems(db: Db, rows: Member[]): Promise<MemberListItem[]> {
  if (rows.length === 0) return []
  const loyalty = await db
    .select({ memberId: memberIdentifiers.memberId, value: memberIdentifiers.value })
    .from(memberIdentifiers)
    .where(
      and(
        eq(memberIdentifiers.kind, 'loyalty_id'),
        inArray(
          memberIdentifiers.memberId,
          rows.map((r) => r.id),
        ),
      ),
    )
  const loyaltyOf = new Map(loyalty.map((l) => [l.memberId, l.value]))
  return rows.map((m) => ({
    id: m.id,
    displayName: displayName(m),
    email: m.email,
    phone: m.phone,
    loyaltyId: loyaltyOf.get(m.id) ?? null,
    homeStoreId: m.homeStoreId,
    joinedAt: m.joinedAt,
  }))
}

/**
 * Staff search by a fragment of a name, email, phone, card or loyalty id; pages by member id.
 * Identifier fragments match from the start of the stored (normalised) value.
 */
export async function searchMembers(db: Db, { q, limit, after, defaultRegion }: { q?: string; limit: number; after?: string; defaultRegion: string }) {
  const text = q?.trim() ?? ''
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const prefixes = [
    ...new Set([text, text.toLowerCase(), text.replace(/[\s-]/g, '').toUpperCase(), normaliseIdentifier('phone', text, defaultRegion)].filter(Boolean)),
  ] as string[]
  const matches = text
    ? sql`(
        (coalesce(${members.givenName}, '') || ' ' || coalesce(${members.familyName}, '')) ilike ${like}
        or ${members.email} ilike ${like}
        or exists (select 1 from ${memberIdentifiers} i where i.member_id = ${members.id}
                   and (${sql.join(
                     prefixes.map((p) => sql`i.value like ${`${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`),
                     sql` or `,
                   )})))`
    : undefined
  const rows = await db
    .select()
    .from(members)
    .where(and(isNull(members.mergedInto), matches, after ? gt(members.id, after) : undefined))
    .orderBy(asc(members.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  return { items: await listItems(db, page), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null }
}

/**
 * The till's lookup: exactly one member by one identifier (normalised first), or NotFound; with
 * whether that identifier is verified, so the associate knows to ask for proof before trusting it.
 */
export async function lookupMember(db: Db, kind: IdentifierKind, raw: string, defaultRegion: string) {
  const value = normaliseIdentifier(kind, raw, defaultRegion)
  const [hit] = value
    ? await db
        .select()
        .from(memberIdentifiers)
        .where(and(eq(memberIdentifiers.kind, kind), eq(memberIdentifiers.value, value)))
    : []
  const id = hit && (await resolveMemberId(db, hit.memberId))
  if (!id) throw new NotFound('Member with that identifier')
  const [member] = await db.select().from(members).where(eq(members.id, id))
  const [item] = await listItems(db, [member])
  return { ...item, identifier: { kind, value: hit.value, verified: hit.verifiedAt !== null } }
}

export interface Enrolment {
  member: typeof members.$inferInsert
  identifiers: { kind: IdentifierKind; value: string }[]
}

/**
 * Enrols members in bulk with their identifiers (normalised). An identifier another member already
 * holds is never moved (moving one is a merge, and merges are reviewed). An enrolment whose every
 * identifier is already held is not created: the returned map sends its planned id to the holder,
 * which is how two channels enrolling the same new card at once end up with one member.
 */
export async function enrolMembers(db: Db, enrolments: Enrolment[], { defaultRegion, at }: { defaultRegion: string; at: Date }): Promise<Map<string, string>> {
  const lostTo = new Map<string, string>()
  for (let i = 0; i < enrolments.length; i += 5000) {
    const batch = enrolments.slice(i, i + 5000)
    const identifiers = batch.flatMap((e) =>
      e.identifiers.flatMap(({ kind, value }) => {
        const normalised = normaliseIdentifier(kind, value, defaultRegion)
        return normalised ? [{ kind, value: normalised, memberId: e.member.id as string }] : []
      }),
    )
    // One lock order for racing enrolments, so two of them never deadlock.
    identifiers.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    const won = new Set<string>()
    if (identifiers.length) {
      const inserted = await queryRows<{ member_id: string }>(
        db,
        // Identifiers a channel or import enrols with are vouched for by that source: verified.
        sql`insert into ${memberIdentifiers} (kind, value, member_id, added_at, verified_at)
            select kind, value, member_id, ${at}, ${at} from unnest(${sql.param(identifiers.map((x) => x.kind))}::text[], ${sql.param(identifiers.map((x) => x.value))}::text[],
                                                               ${sql.param(identifiers.map((x) => x.memberId))}::uuid[]) as u(kind, value, member_id)
            on conflict do nothing returning member_id`,
      )
      for (const row of inserted) won.add(row.member_id)
    }
    const losers = identifiers.filter((x) => !won.has(x.memberId))
    if (losers.length) {
      const holders = await resolveIdentifiers(db, losers)
      for (const l of losers) {
        const holder = holders.get(`${l.kind}:${l.value}`)
        if (holder) lostTo.set(l.memberId, holder)
      }
    }
    const created = batch.filter((e) => !lostTo.has(e.member.id as string))
    if (created.length)
      await insertMany(
        db,
        members,
        created.map((e) => e.member),
        sql`on conflict do nothing`,
      )
  }
  return lostTo
}

/** Who holds each (already normalised) identifier: a map from "kind:value" to member id. */
export async function resolveIdentifiers(db: Db, identifiers: { kind: IdentifierKind; value: string }[]): Promise<Map<string, string>> {
  const holders = await identifierHolders(db, identifiers)
  return new Map([...holders].map(([key, holder]) => [key, holder.memberId]))
}

/** Who holds each (already normalised) identifier, and whether they proved it: keyed by "kind:value". */
export async function identifierHolders(db: Db, identifiers: { kind: IdentifierKind; value: string }[]) {
  const found = new Map<string, { memberId: string; verified: boolean }>()
  for (let i = 0; i < identifiers.length; i += 10_000) {
    const chunk = identifiers.slice(i, i + 10_000)
    // A join against two arrays: one plan and an index probe per identifier, whatever the count.
    const rows = await queryRows<{ kind: string; value: string; member_id: string; verified: boolean }>(
      db,
      sql`select i.kind, i.value, i.member_id, i.verified_at is not null as verified from ${memberIdentifiers} i
            join unnest(${sql.param(chunk.map((c) => c.kind))}::text[], ${sql.param(chunk.map((c) => c.value))}::text[]) as wanted(kind, value)
              on i.kind = wanted.kind and i.value = wanted.value`,
    )
    for (const r of rows) found.set(`${r.kind}:${r.value}`, { memberId: r.member_id, verified: r.verified })
  }
  return found
}
