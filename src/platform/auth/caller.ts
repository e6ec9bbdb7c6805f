import { Forbidden, Unauthenticated } from '../http/problems.js'
import type { Principal } from './principal.js'

/** Who is calling, as a handler reads it: the access hook has already refused anyone its route does not allow. */
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>
export type MemberPrincipal = Extract<Principal, { kind: 'member' }>
export type UserPrincipal = StaffPrincipal | MemberPrincipal

interface Called {
  principal?: Principal
}

/** The caller of a route that is not public. */
export function callerOf(request: Called): Principal {
  if (!request.principal) throw new Unauthenticated()
  return request.principal
}

/** The caller of a public route, if signed in (what they may see can depend on who they are). */
export const callerIfAny = (request: Called): Principal | undefined => request.principal

/** A staff login; any other caller is refused (a route that also lets others in reads `callerOf`). */
export function staffOf(request: Called): StaffPrincipal {
  const caller = callerOf(request)
  if (caller.kind !== 'staff') throw new Forbidden('This needs a staff login.')
  return caller
}

/** The member themself; staff and API keys are refused, never served an empty member. */
export function memberOf(request: Called): MemberPrincipal {
  const caller = callerOf(request)
  if (caller.kind !== 'member') throw new Forbidden('This needs a member login: it acts on the member who is signed in.')
  return caller
}

/** The signed-in member's id, for the `/me/…` routes. */
export const myMemberId = (request: Called): string => memberOf(request).memberId

/** A person signed in with a session (staff or member); API keys are refused. */
export function userOf(request: Called): UserPrincipal {
  const caller = callerOf(request)
  if (caller.kind === 'apiKey') throw new Unauthenticated('This needs a login session, not an API key.')
  return caller
}

/** Whose requests a rate limit counts together: an API key, a login, or else the address it came from. */
export function rateKeyOf(request: Called & { ip: string }): string {
  const caller = request.principal
  if (caller?.kind === 'apiKey') return `key:${caller.keyId}`
  return caller?.userId ?? request.ip
}

/** The signed-in member's id on a route anyone may call (a public page that says "yours"); null for anyone else. */
export const memberIdIfAny = (request: Called): string | null => (request.principal?.kind === 'member' ? request.principal.memberId : null)
