/** A browser session: `csrfSecret` checks the x-csrf-token header on state-changing requests. */
export interface SessionBound {
  via: 'session'
  sessionId: string
  csrfSecret: string
}

/** Who is calling: a staff member, a member (shopper) or a channel integration's API key. */
export type StaffRole = 'associate' | 'manager' | 'admin'

export type Principal =
  | ({ kind: 'staff'; userId: string; displayName: string; role: StaffRole; storeIds: string[] } & SessionBound)
  | ({ kind: 'member'; userId: string; displayName: string; memberId: string } & SessionBound)
  | { kind: 'apiKey'; keyId: string; name: string; scopes: string[]; via: 'apiKey' }

/** Who sent a request, as idempotency keys are scoped: an API key (`apikey:<id>`) or a login (`user:<id>`). */
export const senderOf = (principal: Principal) => (principal.kind === 'apiKey' ? `apikey:${principal.keyId}` : `user:${principal.userId}`)

/**
 * The scopes an API key can hold, with what each allows: the one list that route access, key
 * validation, the CLI and docs/api.md follow. `store:<code>` is added to limit a key to stores.
 */
export const apiScopes = {
  'members:read': 'look members up and read their profile, history and points',
  'members:write': 'change member profiles and identifiers',
  'activity:write': 'record purchases, returns, visits and other activity',
  'catalog:write': 'change products and stock',
  'rewards:redeem': 'redeem rewards at the till',
  'insights:read': 'read insights reports and member insights',
  'suggestions:read': 'read suggestions for a member or a basket',
  'demand:read': 'read the merchandising demand feed (ideas, pledges, wishlists, sales per category, store and region)',
} as const
export type ApiScope = keyof typeof apiScopes
export const storeScopePattern = '^store:[A-Za-z0-9_-]{1,50}$'

/** The scopes a key may not hold, for a clear refusal (an empty list when all are known). */
export function unknownScopes(scopes: string[]): string[] {
  const store = new RegExp(storeScopePattern)
  return scopes.filter((scope) => !(scope in apiScopes) && !store.test(scope))
}

/**
 * Who may call a route. Every /v1 route declares one (the app refuses to start otherwise).
 * `staff` is the least role allowed: associate < manager < admin. `scopes`: an API key needs any one of them.
 */
export interface Access {
  public?: true
  staff?: StaffRole
  member?: true
  scopes?: string[]
}

const staffRank: Record<StaffRole, number> = { associate: 1, manager: 2, admin: 3 }

export function isAllowed(access: Access, principal: Principal | undefined): boolean {
  if (access.public) return true
  if (!principal) return false
  switch (principal.kind) {
    case 'staff':
      return access.staff !== undefined && staffRank[principal.role] >= staffRank[access.staff]
    case 'member':
      return access.member === true
    case 'apiKey':
      return (access.scopes ?? []).some((scope) => principal.scopes.includes(scope))
  }
}

/** Who may call, in words, for 403 details and the OpenAPI description. */
export function describeAccess(access: Access): string {
  if (access.public) return 'anyone'
  const who: string[] = []
  if (access.staff) who.push(access.staff === 'associate' ? 'staff' : `${access.staff}s and above`)
  if (access.member) who.push('the member themself')
  if (access.scopes?.length) who.push(`API keys with scope ${access.scopes.join(' or ')}`)
  return who.join(', ')
}

/**
 * The stores a caller is held to: a staff login naming stores (admins never are), or an API key
 * with `store:<code>` scopes. Undefined: every store.
 */
export function storeScopeOf(principal: Principal | undefined): { storeIds: string[] } | { storeCodes: string[] } | undefined {
  if (principal?.kind === 'staff') return principal.role !== 'admin' && principal.storeIds.length ? { storeIds: principal.storeIds } : undefined
  if (principal?.kind !== 'apiKey') return undefined
  const storeCodes = principal.scopes.filter((s) => s.startsWith('store:')).map((s) => s.slice(6))
  return storeCodes.length ? { storeCodes } : undefined
}
