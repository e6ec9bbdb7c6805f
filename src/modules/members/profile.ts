import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { type Db, insertMany, queryRows } from '../../platform/db/index.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { type IdentifierKind, normaliseIdentifier } from './identifiers.js'
import { type ConsentPurpose, consentEvents, consentPurposes, consentStates, memberIdentifiers, members } from './schema.js'
import { resolveMemberId } from './service.js'

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

/** An email, phone or card that is not one: refused on the field, in the words the person reads. */
export class InvalidContact extends DomainError {
  constructor(field: string, kind: string) {
    const said = { email: 'email', phone: 'phone number', card: 'card number', loyalty_id: 'loyalty id' }[kind] ?? kind.replace(/_/g, ' ')
    const message = `That ${said} doesn't look right`
    super('/problems/invalid-request', 400, 'The request is not valid', { errors: [{ field: `body/${field}`, message }] }, `${message}.`)
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
    if (!normalised) throw new InvalidContact(field, field)
    set[field] = normalised
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(members).where(eq(members.id, id)).for('update')
    const [after] = await tx.update(members).set(set).where(eq(members.id, id)).returning()
    return { before, after }
  })
}

/** What the member is shown for each purpose; each ledger event keeps the wording it was given under. */
export const consentWording: Record<ConsentPurpose, string> = {
  marketing: 'Send me offers and news about the shops.',
  profiling: 'Use what I buy and do to suggest things for me and to tell staff my tastes.',
  social_visibility: 'Let other members see my name, reviews and ideas.',
}

/** Each purpose's consent (channel `all`) with when it was last given or withdrawn and the wording; never asked = not given. */
export async function consentsOf(db: Db, memberId: string) {
  const rows = await db
    .select()
    .from(consentStates)
    .where(and(eq(consentStates.memberId, memberId), eq(consentStates.channel, 'all')))
  return consentPurposes.map((purpose) => {
    const row = rows.find((r) => r.purpose === purpose)
    return { purpose, granted: row?.granted ?? false, changedAt: row?.changedAt ?? null, wording: consentWording[purpose] }
  })
}

/** Where a consent was given and on which channel; the wording defaults to what the home page shows. */
export interface ConsentRecord {
  source: string
  channel?: string
  wording?: Partial<Record<ConsentPurpose, string>>
}

/**
 * Gives or withdraws consent per purpose, as new ledger events; a purpose set to what it already is
 * records nothing (and keeps its time). Two requests racing may both record: the later one wins.
 */
/**
 * Consents given at signup, for many members in one statement (an import, the demo): each grants the
 * purposes with today's wording, on every channel.
 */
export async function recordSignupConsents(db: Db, signups: { memberId: string; at: Date }[], purposes: ConsentPurpose[]) {
  const events = signups.flatMap(({ memberId, at }) =>
    purposes.map((purpose) => ({ memberId, id: newId(), purpose, channel: 'all', granted: true, at, source: 'signup', wording: consentWording[purpose] })),
  )
  await insertMany(db, consentEvents, events)
}

export async function setConsents(
  db: Db,
  memberId: string,
  choices: Partial<Record<ConsentPurpose, boolean>>,
  at: Date,
  record: ConsentRecord = { source: 'member_home' },
) {
  const channel = record.channel ?? 'all'
  const current = await db
    .select()
    .from(consentStates)
    .where(and(eq(consentStates.memberId, memberId), eq(consentStates.channel, channel)))
  const events = Object.entries(choices)
    .filter(([purpose, granted]) => granted !== undefined && (current.find((c) => c.purpose === purpose)?.granted ?? null) !== granted)
    .map(([purpose, granted]) => ({
      memberId,
      id: newId(),
      purpose: purpose as ConsentPurpose,
      channel,
      granted: granted as boolean,
      at,
      source: record.source,
      wording: record.wording?.[purpose as ConsentPurpose] ?? consentWording[purpose as ConsentPurpose],
    }))
  if (events.length) await db.insert(consentEvents).values(events)
  return consentsOf(db, memberId)
}

/** The channels a member may allow marketing by one at a time; each answer overrides marketing's own (`all`) for that channel. */
export const marketingChannels = ['email', 'sms', 'push'] as const
export type MarketingChannel = (typeof marketingChannels)[number]
export const channelWording: Record<MarketingChannel, string> = {
  email: 'Send me offers and news by email.',
  sms: 'Send me offers and news by text message.',
  push: 'Send me offers and news as notifications in the app.',
}

/**
 * Marketing by each channel as it stands: the channel's own latest answer (`own`), else marketing's
 * (`all`), as consentGiven reads it; never asked = not given.
 */
export async function marketingChannelsOf(db: Db, memberId: string) {
  const rows = await db
    .select()
    .from(consentStates)
    .where(and(eq(consentStates.memberId, memberId), eq(consentStates.purpose, 'marketing')))
  const all = rows.find((r) => r.channel === 'all')
  return marketingChannels.map((channel) => {
    const row = rows.find((r) => r.channel === channel)
    const answer = row ?? all
    return { channel, granted: answer?.granted ?? false, own: Boolean(row), changedAt: answer?.changedAt ?? null, wording: channelWording[channel] }
  })
}

/**
 * Allows or stops marketing by single channels, as ledger events with the wording shown (the home
 * page's per channel unless given); a channel set to what it already says records nothing.
 */
export async function setMarketingChannels(
  db: Db,
  memberId: string,
  choices: Partial<Record<MarketingChannel, boolean>>,
  at: Date,
  record: { source: string; wording?: string },
) {
  const current = await db
    .select()
    .from(consentStates)
    .where(and(eq(consentStates.memberId, memberId), eq(consentStates.purpose, 'marketing'), inArray(consentStates.channel, [...marketingChannels])))
  const events = Object.entries(choices)
    .filter(([channel, granted]) => granted !== undefined && (current.find((c) => c.channel === channel)?.granted ?? null) !== granted)
    .map(([channel, granted]) => ({
      memberId,
      id: newId(),
      purpose: 'marketing' as const,
      channel,
      granted: granted as boolean,
      at,
      source: record.source,
      wording: record.wording ?? channelWording[channel as MarketingChannel],
    }))
  if (events.length) await db.insert(consentEvents).values(events)
  return events.length
}

/** A member's consent ledger, newest first: every grant and withdrawal with its source and wording. */
export async function consentHistory(db: Db, memberId: string) {
  return db.select().from(consentEvents).where(eq(consentEvents.memberId, memberId)).orderBy(desc(consentEvents.at), desc(consentEvents.id))
}

/** Whether the member's latest word on a purpose for a channel is yes: the channel's own answer, else the purpose's (`all`). */
export async function consentGiven(db: Db, memberId: string, purpose: ConsentPurpose, channel = 'all'): Promise<boolean> {
  const rows = await db
    .select()
    .from(consentStates)
    .where(and(eq(consentStates.memberId, memberId), eq(consentStates.purpose, purpose), inArray(consentStates.channel, [channel, 'all'])))
  return (rows.find((r) => r.channel === channel) ?? rows.find((r) => r.channel === 'all'))?.granted ?? false
}

/** What a member agrees to when they let notifications reach them by email (the ledger keeps it with each event). */
export const notificationEmailWording =
  'Email me the notifications I choose: answers to my questions, replies to my reviews, news of ideas I follow and moderators’ decisions. Never offers.'

/** Whether the member lets notifications reach them by email, as the ledger says (`notifications`, channel `email`); never asked = no. */
export async function notificationEmailConsent(db: Db, memberId: string) {
  const [row] = await db
    .select()
    .from(consentStates)
    .where(and(eq(consentStates.memberId, memberId), eq(consentStates.purpose, 'notifications'), eq(consentStates.channel, 'email')))
  return { granted: row?.granted ?? false, changedAt: row?.changedAt ?? null, wording: notificationEmailWording }
}

/** Gives or withdraws it, as a ledger event with its wording; the same answer again records nothing. */
export async function setNotificationEmailConsent(db: Db, memberId: string, granted: boolean, at: Date, source = 'notification_settings') {
  const current = await notificationEmailConsent(db, memberId)
  if (current.changedAt !== null && current.granted === granted) return false
  if (current.changedAt === null && !granted) return false
  await db
    .insert(consentEvents)
    .values({ memberId, id: newId(), purpose: 'notifications', channel: 'email', granted, at, source, wording: notificationEmailWording })
  return true
}

/** The members among these whose email notifications may go: consent given, with their verified email address. */
export async function notificationEmailsOf(db: Db, memberIds: string[]): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map()
  const rows = await queryRows<{ member_id: string; email: string }>(
    db,
    sql`select distinct on (i.member_id) i.member_id, i.value as email
          from member_identifiers i
          join member_consent_states c on c.member_id = i.member_id and c.purpose = 'notifications' and c.channel = 'email' and c.granted
         where i.member_id = any(${sql.param(memberIds)}::uuid[]) and i.kind = 'email' and i.verified_at is not null
         order by i.member_id, i.verified_at desc`,
  )
  return new Map(rows.map((r) => [r.member_id, r.email]))
}

/** The member's verified email address, if they proved one (the newest). */
export async function verifiedEmailOf(db: Db, memberId: string): Promise<string | null> {
  const [row] = await queryRows<{ value: string }>(
    db,
    sql`select value from member_identifiers where member_id = ${memberId} and kind = 'email' and verified_at is not null order by verified_at desc limit 1`,
  )
  return row?.value ?? null
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
  if (!value) throw new InvalidContact('value', kind)
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
