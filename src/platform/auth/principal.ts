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
