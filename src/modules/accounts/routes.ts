import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditChoices, listAudit } from '../../platform/audit/index.js'
import { callerOf, userOf } from '../../platform/auth/caller.js'
import { sessionCookie } from '../../platform/auth/hooks.js'
import { apiScopes, storeScopePattern } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { Id, IdParams, Nullable, PageQuery, Ref, Text, Timestamp } from '../../platform/http/schemas.js'
import { ApiKey, ApiKeyScope, AuditChoices, AuditEntry, SignedIn, StaffRole, User } from './api-schemas.js'
import { loginGuard } from './login-limits.js'
import { selfServiceRoutes } from './self-service-routes.js'
import {
  apiKeyScopes,
  authenticate,
  changePassword,
  createApiKey,
  createUser,
  csrfTokenOf,
  endSession,
  listApiKeys,
  listUsers,
  publicUser,
  revokeApiKey,
  startSession,
  updateUser,
} from './service.js'

const Password = Text({ minLength: 10, maxLength: 200 })
const Scope = Type.String({
  pattern: `^(${Object.keys(apiScopes).join('|')}|${storeScopePattern.slice(1, -1)})$`,
  maxLength: 60,
  description: `${Object.keys(apiScopes).join(', ')}, or store:<code> to limit the key to that store`,
})
const loginAttemptKey = (request: { ip: string; body?: unknown }) =>
  `${request.ip}|${String((request.body as { email?: string })?.email ?? '')
    .trim()
    .toLowerCase()}`

const apiKeyOut = (key: Awaited<ReturnType<typeof listApiKeys>>[number]) => ({
  ...key,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
})

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(User)
  app.addSchema(ApiKey)
  const anyone = { access: { public: true as const } }
  const anyLogin = { access: { staff: 'associate' as const, member: true as const } }
  const admins = { access: { staff: 'admin' as const } }
  await app.register(selfServiceRoutes, { ...deps, prefix: '' })

  const guard = loginGuard(deps, deps.config.loginLimits)
  app.post(
    '/auth/login',
    {
      // Per address and email, so one busy store's shared address does not lock out its colleagues;
      // failures are limited per account and per address besides (login-limits.ts).
      config: { ...anyone, rateLimit: { max: 10, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: loginAttemptKey } },
      preHandler: guard.refuseIfLimited,
      onSend: guard.countFailure,
      schema: {
        tags: ['auth'],
        summary: 'Log in with email (or the phone a member joined with) and password; sets the session cookie',
        body: Type.Object(
          {
            email: Text({ minLength: 3, maxLength: 320, description: 'Email, or the phone a member joined with' }),
            password: Text({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SignedIn },
      },
    },
    async (request, reply) => {
      const user = await authenticate(deps, request.body.email, request.body.password)
      const session = await startSession(deps, user.id)
      reply.setCookie(sessionCookie, session.token, { httpOnly: true, sameSite: 'lax', secure: deps.config.behindTls, path: '/', expires: session.expiresAt })
      return { user: publicUser(user), csrfToken: session.csrfToken }
    },
  )

  app.get(
    '/auth/me',
    { config: anyLogin, schema: { tags: ['auth'], summary: 'Who is logged in, with the CSRF token for writes', response: { 200: SignedIn } } },
    async (request) => {
      const principal = userOf(request)
      const [user] = (await listUsers(deps.db)).filter((u) => u.id === principal.userId)
      return { user: publicUser(user), csrfToken: csrfTokenOf(principal) as string }
    },
  )

  app.post(
    '/auth/logout',
    { config: anyLogin, schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      await endSession(deps.db, userOf(request).sessionId)
      reply.clearCookie(sessionCookie, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/auth/password',
    {
      config: { ...anyLogin, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Change my password; ends my other sessions',
        body: Type.Object({ currentPassword: Text({ maxLength: 200 }), newPassword: Password }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await changePassword(deps, userOf(request), request.body.currentPassword, request.body.newPassword)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/users',
    {
      config: admins,
      schema: { tags: ['admin'], summary: 'Staff and member logins', response: { 200: Type.Object({ items: Type.Array(Ref(User)) }) } },
    },
    async () => ({
      items: (await listUsers(deps.db)).map(publicUser),
    }),
  )

  app.post(
    '/users',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Create a staff login',
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 320 }),
            displayName: Text({ minLength: 1, maxLength: 200 }),
            password: Password,
            role: StaffRole,
            storeIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ref(User) },
      },
    },
    async (request, reply) => reply.code(201).send(publicUser(await createUser(deps, request.body, request.principal))),
  )

  app.patch(
    '/users/:id',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Change a staff login: role, stores, name, or disable it',
        params: IdParams,
        body: Type.Object(
          {
            role: Type.Optional(StaffRole),
            storeIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
            disabled: Type.Optional(Type.Boolean()),
            displayName: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Ref(User) },
      },
    },
    async (request) => publicUser(await updateUser(deps, request.params.id, request.body, callerOf(request))),
  )

  app.get(
    '/api-keys',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Channel integration keys (never the keys themselves)',
        response: { 200: Type.Object({ items: Type.Array(Ref(ApiKey)) }) },
      },
    },
    async () => ({
      items: (await listApiKeys(deps.db)).map(apiKeyOut),
    }),
  )

  app.get(
    '/api-keys/scopes',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'The scopes an API key can hold (the list a new key is checked against), with one store scope per store',
        response: { 200: Type.Object({ items: Type.Array(ApiKeyScope) }) },
      },
    },
    async () => ({ items: await apiKeyScopes(deps.db) }),
  )

  app.post(
    '/api-keys',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; the key is in this response only',
        body: Type.Object(
          { name: Text({ minLength: 1, maxLength: 200 }), scopes: Type.Array(Scope, { minItems: 1, maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ apiKey: Ref(ApiKey), key: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { apiKey, key } = await createApiKey(deps, request.body, request.principal)
      return reply.code(201).send({ apiKey: apiKeyOut(apiKey), key })
    },
  )

  app.delete(
    '/api-keys/:id',
    { config: admins, schema: { tags: ['admin'], summary: 'Revoke an API key', params: IdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await revokeApiKey(deps, request.params.id, callerOf(request))
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/audit',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Audit log of staff and admin actions, newest first; by who (actorId), what (action, targetKind) and when (from, to)',
        querystring: Type.Object({
          limit: PageQuery.properties.limit,
          cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,14}$' })),
          actorId: Type.Optional(Text({ maxLength: 100 })),
          action: Type.Optional(Text({ maxLength: 100 })),
          targetKind: Type.Optional(Text({ maxLength: 100 })),
          from: Type.Optional(Timestamp),
          to: Type.Optional(Timestamp),
        }),
        response: { 200: Type.Object({ items: Type.Array(AuditEntry), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, from, to, ...filter } = request.query
      const { items, more } = await listAudit(deps, {
        ...filter,
        limit,
        before: cursor ? Number(cursor) : undefined,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
      })
      return { items: items.map((e) => ({ ...e, at: e.at.toISOString() })), nextCursor: more ? String(items.at(-1)?.id) : null }
    },
  )

  app.get(
    '/audit/choices',
    {
      config: admins,
      schema: { tags: ['admin'], summary: 'Who has acted and which actions the trail holds, for its filters', response: { 200: AuditChoices } },
    },
    async () => auditChoices(deps.db),
  )
}
