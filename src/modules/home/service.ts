import { Type } from 'typebox'
import { recordAudit } from '../../platform/audit/index.js'
import { CodeExpired } from '../../platform/auth/one-time.js'
import type { Principal } from '../../platform/auth/principal.js'
import type { Db } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js'
import { NotFound } from '../../platform/http/problems.js'
import { Id, Timestamp } from '../../platform/http/schemas.js'
import { claimParkedActivities, listStores, memberSummary, memberTimeline } from '../activity/index.js'
import { forgetWithdrawn } from '../insights/index.js'
import {
  addIdentifier,
  type ConsentPurpose,
  checkIdentifierCode,
  consentHistory,
  consentsOf,
  type IdentifierKind,
  isProvable,
  type MarketingChannel,
  marketingChannelsOf,
  markIdentifierVerified,
  memberProfile,
  normaliseIdentifier,
  type ProfileChange,
  type ProvableKind,
  resolveMemberId,
  sendIdentifierCode,
  setConsents,
  setMarketingChannels,
  updateProfile,
} from '../members/index.js'

const iso = (d: Date | null) => d?.toISOString() ?? null

/** The member card, as the member sees it at home and staff see it in the console. */
export async function memberCard(db: Db, memberId: string) {
  const [{ member, identifiers }, stores] = await Promise.all([memberProfile(db, memberId), listStores(db)])
  const [found, consents, channels] = await Promise.all([memberSummary(db, member.id), consentsOf(db, member.id), marketingChannelsOf(db, member.id)])
  if (!found) throw new NotFound('Member', memberId)
  const { memberId: _, ...summary } = found
  return {
    member: {
      id: member.id,
      givenName: member.givenName,
      familyName: member.familyName,
      displayName: member.displayName,
      email: member.email,
      phone: member.phone,
      birthDate: member.birthDate,
      homeStoreId: member.homeStoreId,
      homeStoreName: stores.find((s) => s.id === member.homeStoreId)?.name ?? null,
      preferredChannel: member.preferredChannel,
      language: member.language,
      joinedAt: member.joinedAt.toISOString(),
      joinedChannel: member.joinedChannel,
      addressLine: member.addressLine,
      postcode: member.postcode,
      city: member.city,
    },
    identifiers: identifiers.map((i) => ({ ...i, addedAt: i.addedAt.toISOString() })),
    consents: consents.map((c) => ({ ...c, changedAt: iso(c.changedAt) })),
    marketingChannels: channels.map((c) => ({ ...c, changedAt: iso(c.changedAt) })),
    summary: { ...summary, firstPurchaseAt: iso(summary.firstPurchaseAt), lastActivityAt: iso(summary.lastActivityAt) },
  }
}

/** Summary only: what a till or integration needs to greet a member. */
export async function memberSummaryById(db: Db, memberId: string) {
  const summary = await memberSummary(db, memberId)
  if (!summary) throw new NotFound('Member', memberId)
  return { ...summary, firstPurchaseAt: iso(summary.firstPurchaseAt), lastActivityAt: iso(summary.lastActivityAt) }
}

/** One page of a member's timeline, newest first; `cursor` is the previous page's `nextCursor`. */
export async function timelinePage(db: Db, memberId: string, query: { limit?: number; cursor?: string; kind?: string; channel?: string }) {
  const id = await resolveMemberId(db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const [occurredAt, activityId] = decodeCursor(query.cursor, Type.Tuple([Timestamp, Id])) ?? []
  const before = occurredAt && activityId ? { occurredAt, id: activityId } : undefined
  const { items, next } = await memberTimeline(db, id, { limit: query.limit ?? 50, before, kind: query.kind, channel: query.channel })
  return {
    items: items.map((a) => ({ ...a, occurredAt: a.occurredAt.toISOString() })),
    nextCursor: next ? encodeCursor([next.occurredAt, next.id]) : null,
  }
}

/**
 * Links an identifier to a member. An email or phone is proved by a code sent to it, whoever typed it
 * (a member at home, or an associate at the till taking it down); a card or other identifier an
 * associate or integration links is vouched for by them. Parked guest activity attaches only once
 * the identifier is verified: a member cannot claim a stranger's orders by typing their email.
 */
export async function linkIdentifier(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'delivery' | 'wiring'>,
  memberId: string,
  kind: IdentifierKind,
  value: string,
  actor: Principal,
) {
  const id = await resolveMemberId(deps.db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const provable = isProvable(kind)
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const linked = await addIdentifier(tx, id, kind, value, {
      defaultRegion: deps.config.defaultRegion,
      at: now,
      verified: actor.kind !== 'member' && !provable,
      yieldToProof: provable && actor.kind === 'member',
    })
    const claimed = linked.newlyVerified ? await claimParkedActivities({ ...deps, db: tx }, id, [linked], now) : 0
    const codeSent = isProvable(kind) && !linked.verified
    if (codeSent) await sendIdentifierCode({ ...deps, db: tx }, id, kind, linked.value)
    if (linked.added || linked.newlyVerified) {
      await recordAudit(tx, now, actor, {
        action: 'member.identifier_added',
        targetKind: 'member',
        targetId: id,
        memberId: id,
        after: { kind, value: linked.value, verified: linked.verified },
      })
    }
    return { kind, value: linked.value, verified: linked.verified, codeSent, claimedActivities: claimed }
  })
}

/** Checks the code sent to an identifier; proved, it is the member's and verified, and their parked activity attaches. */
export async function verifyIdentifier(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>,
  memberId: string,
  kind: ProvableKind,
  raw: string,
  code: string,
  actor: Principal,
) {
  const id = await resolveMemberId(deps.db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const value = normaliseIdentifier(kind, raw, deps.config.defaultRegion)
  if (!value) throw new CodeExpired()
  await checkIdentifierCode(deps, id, kind, value, code)
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    await markIdentifierVerified(tx, id, kind, value, now)
    const claimed = await claimParkedActivities({ ...deps, db: tx }, id, [{ kind, value }], now)
    await recordAudit(tx, now, actor, { action: 'member.identifier_verified', targetKind: 'member', targetId: id, memberId: id, after: { kind, value } })
    return { kind, value, verified: true, codeSent: false, claimedActivities: claimed }
  })
}

/** Edits a profile, audited with before and after whoever made it (staff, a key, the member). */
export async function editProfile(deps: Pick<Deps, 'db' | 'clock' | 'config'>, memberId: string, change: ProfileChange, actor: Principal) {
  const { before, after } = await updateProfile(deps.db, memberId, change, deps.config.defaultRegion)
  const changed = Object.keys(change) as (keyof ProfileChange)[]
  const pick = (row: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, row[k]]))
  await recordAudit(deps.db, deps.clock.now(), actor, {
    action: 'member.profile_updated',
    targetKind: 'member',
    targetId: after.id,
    memberId: after.id,
    before: pick(before),
    after: pick(after),
  })
  return memberCard(deps.db, after.id)
}

/** The member's own choice of channels for offers and news, as ledger events with the home page's wording. */
export async function changeMarketingChannels(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, choices: Partial<Record<MarketingChannel, boolean>>) {
  await setMarketingChannels(deps.db, memberId, choices, deps.clock.now(), { source: 'member_home' })
  return memberCard(deps.db, memberId)
}

/** Consents staff or an integration record for a member (said in store, on a paper form, in the app), with the wording shown. */
export interface RecordedConsents {
  purposes?: Partial<Record<ConsentPurpose, boolean>>
  marketingChannels?: Partial<Record<MarketingChannel, boolean>>
  /** What the member was shown or read, when not the home page's words. */
  wording?: string
}

/**
 * Records consents on a member's behalf, as ledger events (source `staff` or `integration`, the
 * wording shown) audited with who recorded them; withdrawn profiling drops their insights at once.
 */
export async function recordConsents(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, change: RecordedConsents, actor: Principal) {
  const id = await resolveMemberId(deps.db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const now = deps.clock.now()
  const source = actor.kind === 'apiKey' ? 'integration' : 'staff'
  const purposes = change.purposes ?? {}
  const wording = change.wording
    ? (Object.fromEntries(Object.keys(purposes).map((p) => [p, change.wording])) as Partial<Record<ConsentPurpose, string>>)
    : undefined
  // What each purpose and channel says, before and after, for the audit entry.
  const standing = async (db: Db) => ({
    purposes: Object.fromEntries((await consentsOf(db, id)).map((c) => [c.purpose, c.granted])),
    channels: Object.fromEntries((await marketingChannelsOf(db, id)).map((c) => [c.channel, c.granted])),
  })
  await deps.db.transaction(async (tx) => {
    const before = await standing(tx)
    await setConsents(tx, id, purposes, now, { source, wording })
    await setMarketingChannels(tx, id, change.marketingChannels ?? {}, now, { source, wording: change.wording })
    if (purposes.profiling === false) await forgetWithdrawn(tx, [id])
    const after = { ...(await standing(tx)), ...(change.wording ? { wording: change.wording } : {}) }
    await recordAudit(tx, now, actor, { action: 'member.consents_recorded', targetKind: 'member', targetId: id, memberId: id, before, after })
  })
  return memberCard(deps.db, id)
}

/** A member's consent ledger for staff, newest first; a merged-away id reads the member it became. */
export async function consentLedger(db: Db, memberId: string) {
  const id = await resolveMemberId(db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  return (await consentHistory(db, id)).map((e) => ({ ...e, at: e.at.toISOString() }))
}

/** The member's own consent choices, as ledger events; withdrawing profiling drops their insights at once, not at the next refresh. */
export async function changeConsents(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, choices: Partial<Record<ConsentPurpose, boolean>>) {
  await deps.db.transaction(async (tx) => {
    await setConsents(tx, memberId, choices, deps.clock.now(), { source: 'member_home' })
    if (choices.profiling === false) await forgetWithdrawn(tx, [memberId])
  })
  return memberCard(deps.db, memberId)
}
