import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query'
import { get, type Role, type SignedIn, setCsrfToken } from './api'

/** The one query every page shares: who is logged in (and the CSRF token for their writes). */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async () => {
    const signedIn = await get<SignedIn>('/auth/me')
    setCsrfToken(signedIn.csrfToken)
    return signedIn
  },
  retry: false,
  staleTime: Number.POSITIVE_INFINITY,
})

export const useSession = () => useQuery(sessionQuery).data

/** The member's card as the service worker keeps it for offline use (web/vite.config.ts): gone with the session. */
export const forgetOfflineCard = () => ('caches' in window ? caches.delete('member-card') : Promise.resolve(false)).catch(() => false)

export const signedIn = (client: QueryClient, session: SignedIn) => {
  setCsrfToken(session.csrfToken)
  client.setQueryData(sessionQuery.queryKey, session)
}

/** The areas of the app, and who may use each: the nav shows only these. */
export const areas = [
  { key: 'home', label: 'Home', path: '/me', roles: ['member'] },
  { key: 'ideas', label: 'Ideas', path: '/ideas', roles: ['member', 'associate', 'manager', 'admin'] },
  { key: 'console', label: 'Console', path: '/associate', roles: ['associate', 'manager', 'admin'] },
  { key: 'insights', label: 'Insights', path: '/insights', roles: ['manager', 'admin'] },
  { key: 'admin', label: 'Admin', path: '/admin', roles: ['admin'] },
] as const satisfies readonly { key: string; label: string; path: string; roles: readonly Role[] }[]

export type AreaKey = (typeof areas)[number]['key']

export const areasFor = (role: Role) => areas.filter((area) => (area.roles as readonly Role[]).includes(role))
export const mayUse = (role: Role, key: AreaKey) => areasFor(role).some((area) => area.key === key)

/** Where each role starts: its own area. */
export const homePath = (role: Role) => ({ member: '/me', associate: '/associate', manager: '/insights', admin: '/admin' })[role]

export const isManager = (role: Role | undefined) => role === 'manager' || role === 'admin'
