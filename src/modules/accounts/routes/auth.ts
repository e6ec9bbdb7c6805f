import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { userOf } from '../../../platform/auth/caller.js'
import { sessionCookie } from '../../../platform/auth/hooks.js'
import type { Deps } from '../../../platform/deps.js'
import { Text } from '../../../platform/http/schemas.js'
import { SignedIn } from '../api-schemas.js'
import { loginGuard } from '../login-limits.js'
import { authenticate, changePassword, endSession, publicUser, signedIn, startSession } from '../service.js'
import { anyLogin, anyone } from './access.js'

export const Password = Text({ minLength: 10, maxLength: 200 })
const loginAttemptKey = (request: { ip: string; body?: unknown }) =>
  `${request.ip}|${String((request.body as { email?: string })?.email ?? '')
    .trim()
    .toLowerCase()}`

/** Logging in and out, who is signed in, and changing one's own password. */
export const authRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
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
    async (request) => signedIn(deps.db, userOf(request)),
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
}
