import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { callerOf } from '../../../platform/auth/caller.js'
import { sessionCookie } from '../../../platform/auth/hooks.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, Text } from '../../../platform/http/schemas.js'
import { Accepted, Sent, SignedIn } from '../api-schemas.js'
import { finishJoining, startJoining } from '../joining.js'
import { inviteMember, requestPasswordLink, resetStaffPassword, setPasswordWithLink } from '../password-links.js'
import { publicUser, startSession, type User } from '../service.js'

const Channel = Type.Union([Type.Literal('email'), Type.Literal('phone')])
const Address = Text({ minLength: 3, maxLength: 320, description: 'The email or phone number' })
const NewPassword = Text({ minLength: 10, maxLength: 200, description: 'Checked against common and guessable passwords' })
const Code = Type.String({ pattern: '^\\s*[0-9]{6}\\s*$', maxLength: 20, description: 'The six digits we sent' })
const perAddress = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } })

/** Joining, forgotten passwords, links an admin or associate sends: everything that gets a person a password without SQL. */
export const selfServiceRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  const anyone = { access: { public: true as const } }
  // Work left running after its answer; the server waits for it before closing.
  const pending = new Set<Promise<void>>()
  const afterAnswer = (request: FastifyRequest, work: () => Promise<void>) => {
    const running = work()
      .catch((err) => request.log.error({ err }, 'work after the answer failed'))
      .finally(() => pending.delete(running))
    pending.add(running)
  }
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending])
  })
  const signIn = async (reply: FastifyReply, user: User) => {
    const session = await startSession(deps, user.id)
    reply.setCookie(sessionCookie, session.token, { httpOnly: true, sameSite: 'lax', secure: deps.config.behindTls, path: '/', expires: session.expiresAt })
    return { user: publicUser(user), csrfToken: session.csrfToken }
  }

  app.post(
    '/auth/signup',
    {
      config: { ...anyone, ...perAddress(20) },
      schema: {
        tags: ['auth'],
        summary: 'Join as a member with an email or phone: a code goes to it (the answer is the same if it already has a login)',
        body: Type.Object(
          { kind: Channel, value: Address, displayName: Text({ minLength: 1, maxLength: 200 }), password: NewPassword },
          { additionalProperties: false },
        ),
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      await startJoining(deps, request.body)
      return reply.code(202).send({ status: 'accepted', detail: `If ${request.body.value} can join, a code is on its way. It works for 15 minutes.` })
    },
  )

  app.post(
    '/auth/signup/verify',
    {
      config: { ...anyone, ...perAddress(30) },
      schema: {
        tags: ['auth'],
        summary: 'Finish joining with the code: creates the login (joining the member who already holds that address, if any) and logs in',
        body: Type.Object({ kind: Channel, value: Address, code: Code }, { additionalProperties: false }),
        response: { 201: SignedIn },
      },
    },
    async (request, reply) => {
      const user = await finishJoining(deps, request.body.kind, request.body.value, request.body.code)
      return reply.code(201).send(await signIn(reply, user))
    },
  )

  app.post(
    '/auth/password-reset',
    {
      config: { ...anyone, ...perAddress(20) },
      schema: {
        tags: ['auth'],
        summary: 'Forgot my password: a one-time link goes to the login’s email (or by text, when a phone is given)',
        body: Type.Object(
          { login: Text({ minLength: 3, maxLength: 320, description: 'Email, or the phone a member joined with' }) },
          { additionalProperties: false },
        ),
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      // Answered before the login is even looked up: known or unknown, the answer takes the same
      // time and says the same; the link is made and sent after it.
      afterAnswer(request, () => requestPasswordLink(deps, request.body.login))
      return reply
        .code(202)
        .send({ status: 'accepted', detail: 'If that is a login here, a link to choose a new password is on its way. It works for an hour.' })
    },
  )

  app.post(
    '/auth/password-reset/confirm',
    {
      config: { ...anyone, ...perAddress(30) },
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with a one-time link (forgotten, reset by an admin, or an invitation); ends every session of the login',
        body: Type.Object({ token: Text({ minLength: 20, maxLength: 100 }), newPassword: NewPassword }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await setPasswordWithLink(deps, request.body.token, request.body.newPassword)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/users/:id/password-reset',
    {
      config: { access: { staff: 'admin' as const } },
      schema: {
        tags: ['admin'],
        summary: 'Reset a staff password: the old one stops working, sessions end, and a one-time link goes to their email (audited)',
        params: IdParams,
        response: { 202: Sent },
      },
    },
    async (request, reply) => {
      const sent = await resetStaffPassword(deps, request.params.id, callerOf(request))
      return reply.code(202).send({ sentTo: sent.sentTo, expiresAt: sent.expiresAt.toISOString() })
    },
  )

  app.post(
    '/members/:id/invitation',
    {
      config: { access: { staff: 'associate' as const } },
      schema: {
        tags: ['members'],
        summary: 'Invite a member to their member page: a login on their verified email or phone, and a link to choose a password (audited)',
        params: IdParams,
        response: { 201: Sent },
      },
    },
    async (request, reply) => {
      const sent = await inviteMember(deps, request.params.id, callerOf(request))
      return reply.code(201).send({ sentTo: sent.sentTo, expiresAt: sent.expiresAt.toISOString() })
    },
  )
}
