import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { type IdentifierKind, normaliseIdentifier } from './identifiers.js'
import { memberConsents, memberIdentifiers, members } from './schema.js'
import { resolveMemberId } from './service.js'

export const consentPurposes = ['marketing', 'profiling', 'social_visibility'] as const
export type ConsentPurpose = (typeof consentPurposes)[number]

export interface ProfileChange {
  givenName?: string | null
  familyName?: string | null
  birthDate?: string | null
  email?: string | null
  phone?: string | null
  addressLine?: string | null
  postcode?: string | null
  city?: string | null
  homeStoreId?: string | null
  preferredChannel?: string | null
  language?: string
}

export class InvalidContact extends DomainError {
  constructor(field: string, message: string) {
    super('/problems/invalid-request', 400, 'The request is not valid', { errors: [{ field: `body/${field}`, message }] }, `body/${field} ${message}`)
  }
}

/** Changes a member's profile; contact details are stored normalised. Returns before and after. */
export async function updateProfile(db: Db, memberId: string, change: ProfileChange, defaultRegion: string) {
  const id = await resolveMemberId(db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const set: ProfileChange = { ...change }
  for (const field of ['email', 'phone'] as const) {
    const value = change[field]
    if (value === undefined || value === null) continue
    const normalised = normaliseIdentifier(field, value, defaultRegion)
    if (!normalised) throw new InvalidContact(field, `is not a valid ${field}`)
    set[field] = normalised
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(members).where(eq(members.id, id)).for('update')
    const [after] = await tx.update(members).set(set).where(eq(members.id, id)).returning()
    return { before, after }
  })
}

/** Each purpose's consent with when it was last given or withdrawn; never asked = not given. */
export async function consentsOf(db: Db, memberId: string) {
  const rows = await db.select().from(memberConsents).where(eq(memberConsents.memberId, memberId))
  return consentPurposes.map((purpose) => {
    const row = rows.find((r) => r.purpose === purpose)
    return { purpose, granted: row?.granted === 'yes', changedAt: row?.changedAt ?? null }
  })
}

/** Gives or withdraws consent per purpose; a purpose set to what it already is keeps its time. */
export async function setConsents(db: Db, memberId: string, choices: Partial<Record<ConsentPurpose, boolean>>, at: Date) {
  const rows = Object.entries(choices).map(([purpose, granted]) => ({
    memberId,
    purpose: purpose as ConsentPurpose,
    granted: granted ? ('yes' as const) : ('no' as const),
    changedAt: at,
  }))
  if (rows.length) {
    await db
      .insert(memberConsents)
      .values(rows)
      .onConflictDoUpdate({
        target: [memberConsents.memberId, memberConsents.purpose],
        set: { granted: sql`excluded.granted`, changedAt: sql`excluded.changed_at` },
        setWhere: sql`${memberConsents.granted} <> excluded.granted`,
      })
  }
  return consentsOf(db, memberId)
}

export class IdentifierTaken extends DomainError {
  constructor(kind: string) {
    super(
      '/problems/identifier-taken',
      409,
      'Another member holds this identifier',
      { field: 'body/value' },
      `This ${kind} belongs to another member; staff can review the two for a merge.`,
    )
  }
}

/**
 * Links an identifier to a member, verified or not (see verification.ts). Linking one they already
 * hold changes nothing, except that a vouched link verifies one they held unproved. An identifier
 * another member holds unproved is left where it is when `yieldToProof` (the caller will send a code:
 * proving it moves it); otherwise, as when another member holds it verified, IdentifierTaken.
 */
export async function addIdentifier(
  db: Db,
  memberId: string,
  kind: IdentifierKind,
  raw: string,
  { defaultRegion, at, verified, yieldToProof = false }: { defaultRegion: string; at: Date; verified: boolean; yieldToProof?: boolean },
) {
  const value = normaliseIdentifier(kind, raw, defaultRegion)
  if (!value) throw new InvalidContact('value', `is not a valid ${kind}`)
  const verifiedAt = verified ? at : null
  const [inserted] = await db.insert(memberIdentifiers).values({ kind, value, memberId, addedAt: at, verifiedAt }).onConflictDoNothing().returning()
  if (inserted) return { kind, value, added: true, verified, newlyVerified: verified }
  const [holder] = await db
    .select()
    .from(memberIdentifiers)
    .where(and(eq(memberIdentifiers.kind, kind), eq(memberIdentifiers.value, value)))
    .for('update')
  if (holder?.memberId === memberId) {
    if (holder.verifiedAt || !verified) return { kind, value, added: false, verified: holder.verifiedAt !== null, newlyVerified: false }
    await db
      .update(memberIdentifiers)
      .set({ verifiedAt: at })
      .where(and(eq(memberIdentifiers.kind, kind), eq(memberIdentifiers.value, value)))
    return { kind, value, added: false, verified: true, newlyVerified: true }
  }
  if (holder && !holder.verifiedAt && yieldToProof) return { kind, value, added: false, verified: false, newlyVerified: false }
  throw new IdentifierTaken(kind)
}
