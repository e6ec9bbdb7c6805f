import Tokens from '@fastify/csrf'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Forbidden, Unauthenticated } from '../http/problems.js'
import { type Access, apiScopes, describeAccess, isAllowed, type Principal } from './principal.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    principal?: Principal
  }
  interface FastifyInstance {
    /** Every route with who may call it: for the access tests and docs/api.md. */
    routeAccess: { method: string; url: string; access: Access }[]
  }
}

export const sessionCookie = 'regulars_session'

export interface PrincipalResolvers {
  fromSession(token: string): Promise<Principal | undefined>
  fromApiKey(key: string): Promise<Principal | undefined>
}

const csrfTokens = Tokens()
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** A fresh CSRF secret for a new session; the token derived from it goes to the browser. */
export const newCsrfSecret = (): string => csrfTokens.secretSync()
export const csrfTokenFor = (secret: string): string => csrfTokens.create(secret)

/**
 * Who is calling and may they: runs on every request before the body is read, so a caller who may
 * not use a route learns nothing about its schema. Cookie sessions must also carry the CSRF token
 * on state-changing requests; API keys travel in a header a browser never adds by itself.
 */
export function registerAccessControl(app: FastifyInstance, resolvers: PrincipalResolvers) {
  app.decorate('routeAccess', [])
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (!access && route.url.startsWith('/v1')) throw new Error(`Route ${route.method} ${route.url} declares no access`)
    const unknown = access?.scopes?.filter((scope) => !(scope in apiScopes))
    if (unknown?.length) throw new Error(`Route ${route.method} ${route.url} names scopes no API key can hold: ${unknown.join(', ')}`)
    if (access) for (const method of [route.method].flat()) if (method !== 'HEAD') app.routeAccess.push({ method, url: route.url, access })
    if (access && route.schema) {
      route.schema.description = [route.schema.description, `Who may call: ${describeAccess(access)}.`].filter(Boolean).join('\n\n')
      if (!access.public) route.schema.security = [{ session: [] }, { apiKey: [] }]
    }
  })

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const access = request.routeOptions.config?.access
    if (!access) return
    request.principal = await identify(request, resolvers)
    if (!isAllowed(access, request.principal)) {
      if (!request.principal) throw new Unauthenticated()
      throw new Forbidden(`This needs ${describeAccess(access)}.`)
    }
    const principal = request.principal
    if (principal?.via === 'session' && unsafeMethods.has(request.method)) {
      const token = request.headers['x-csrf-token']
      if (typeof token !== 'string' || !csrfTokens.verify(principal.csrfSecret, token)) {
        throw new Forbidden('Send the x-csrf-token header you got at login or from GET /v1/auth/me.')
      }
    }
  })
}

async function identify(request: FastifyRequest, resolvers: PrincipalResolvers): Promise<Principal | undefined> {
  const authorization = request.headers.authorization
  if (authorization) {
    const [scheme, key] = authorization.split(' ', 2)
    if (scheme?.toLowerCase() !== 'bearer' || !key) throw new Unauthenticated('Send the API key as "Authorization: Bearer <key>".')
    const principal = await resolvers.fromApiKey(key)
    if (!principal) throw new Unauthenticated('The API key is unknown or revoked.')
    return principal
  }
  const token = request.cookies[sessionCookie]
  return token ? resolvers.fromSession(token) : undefined
}
