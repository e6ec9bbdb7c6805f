import type { Principal } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { type IdentifierKind, lookupMember, memberProfile } from '../members/index.js'
import { pointsSummary, tierOf } from '../rewards/index.js'
import { recordFeedback, suggestionsFor, talkingPoints } from './suggestions.js'
import { tasteProfile } from './taste.js'

type AdvisorDeps = Pick<Deps, 'db' | 'clock' | 'wiring'>
const dayMs = 86_400_000

/** For the associate in front of a member: what to suggest, and what to talk about. */
export async function adviceFor(deps: AdvisorDeps, memberId: string, k?: number) {
  const taste = await tasteProfile(deps, memberId)
  const [items, points] = await Promise.all([suggestionsFor(deps, memberId, { k }), talkingPoints(deps.db, memberId, taste.learned)])
  return { items, talkingPoints: points }
}

/** Feedback from staff or a till: a key is a till, a login the associate console. */
export async function recordStaffFeedback(
  deps: Pick<Deps, 'db' | 'clock'>,
  memberId: string,
  input: { sku: string; event: Parameters<typeof recordFeedback>[2]['event'] },
  actor: Principal,
) {
  return recordFeedback(deps, memberId, { ...input, surface: actor.kind === 'apiKey' ? 'till' : 'console' }, actor)
}

/** At checkout: the till names the card and the basket, and gets what to offer. */
export async function checkoutSuggestions(
  deps: AdvisorDeps & Pick<Deps, 'config'>,
  request: { member: { kind: IdentifierKind; value: string }; basket?: string[]; k?: number },
) {
  const found = await lookupMember(deps.db, request.member.kind, request.member.value, deps.config.defaultRegion)
  return { memberId: found.id, items: await suggestionsFor(deps, found.id, { k: request.k ?? 3, basket: request.basket }) }
}

/** The weekly digest for e-mail or the app: suggestions, points expiring and the tier; the week starts on Monday (UTC). */
export async function weeklyDigest(deps: AdvisorDeps, memberId: string) {
  const [{ member }, items, points, tier] = await Promise.all([
    memberProfile(deps.db, memberId),
    suggestionsFor(deps, memberId, { k: 5 }),
    pointsSummary(deps.db, memberId, deps.clock.now()),
    tierOf(deps.db, memberId),
  ])
  const now = deps.clock.now()
  return {
    memberId: member.id,
    name: member.givenName ?? 'there',
    weekOf: new Date(now.getTime() - ((now.getUTCDay() + 6) % 7) * dayMs).toISOString().slice(0, 10),
    suggestions: items,
    points: { available: points.available, expiringSoon: points.expiringSoon.reduce((sum, e) => sum + e.points, 0) },
    tier: tier ? { name: tier.name, next: tier.next?.name ?? null, needed: tier.next?.needed ?? null } : null,
  }
}
