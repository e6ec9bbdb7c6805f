import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { callerOf, memberOf, myMemberId } from '../../platform/auth/caller.js'
import { sessionCookie } from '../../platform/auth/hooks.js'
import type { Deps } from '../../platform/deps.js'
import { Id, IdParams, Ref, Text, Timestamp } from '../../platform/http/schemas.js'
import { sendErasureCode } from '../accounts/index.js'
import { Erasure, MemberData } from './api-schemas.js'
import { eraseMember, eraseMyself, exportMemberData, type MemberExport, zipMemberData } from './service.js'

const ExportQuery = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('zip')], { default: 'json', description: 'zip: member-data.json plus one CSV per table' }),
  ),
})

function sendExport(reply: FastifyReply, data: MemberExport, format: 'json' | 'zip' = 'json') {
  if (format === 'json') return reply.send(data)
  return reply
    .header('content-type', 'application/zip')
    .header('content-disposition', `attachment; filename="regulars-member-${data.memberId}.zip"`)
    .send(Buffer.from(zipMemberData(data)))
}

/** Privacy requests: a member's own export and erasure, and the same for managers on a member's verified request. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(MemberData)
  app.addSchema(Erasure)
  const me = { access: { member: true as const } }
  const managers = { access: { staff: 'manager' as const } }

  app.get(
    '/me/data',
    {
      config: me,
      schema: {
        tags: ['privacy'],
        summary: 'Download everything Regulars holds about me',
        querystring: ExportQuery,
        response: { 200: Type.Ref('MemberData') },
      },
    },
    async (request, reply) => sendExport(reply, await exportMemberData(deps, myMemberId(request), callerOf(request)), request.query.format),
  )
  app.post(
    '/me/erasure/code',
    {
      config: { ...me, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['privacy'],
        summary: 'Send me the code that confirms my erasure request, to my verified email (else phone)',
        response: {
          202: Type.Object({
            sentTo: Type.String({ description: 'The address, partly hidden' }),
            channel: Type.String({ description: 'email or phone' }),
            expiresAt: Timestamp,
          }),
        },
      },
    },
    async (request, reply) => reply.code(202).send(await sendErasureCode(deps, myMemberId(request))),
  )
  app.post(
    '/me/erasure',
    {
      config: { ...me, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['privacy'],
        summary: 'Erase my personal data and close my membership (my password again, and the code sent to me); ends my session',
        body: Type.Object(
          {
            password: Text({ minLength: 1, maxLength: 200 }),
            code: Text({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$', description: 'From POST /v1/me/erasure/code' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Ref(Erasure) },
      },
    },
    async (request, reply) => {
      const erasure = await eraseMyself(deps, memberOf(request), request.body)
      reply.clearCookie(sessionCookie, { path: '/' })
      return erasure
    },
  )
  app.get(
    '/members/:id/data',
    {
      config: managers,
      schema: {
        tags: ['privacy'],
        summary: 'Everything Regulars holds about a member, for their access request (audited)',
        params: IdParams,
        querystring: ExportQuery,
        response: { 200: Type.Ref('MemberData') },
      },
    },
    async (request, reply) => sendExport(reply, await exportMemberData(deps, request.params.id, callerOf(request)), request.query.format),
  )
  app.post(
    '/members/:id/erasure',
    {
      config: managers,
      schema: {
        tags: ['privacy'],
        summary: 'Erase a member’s personal data on their verified request (audited)',
        description: 'The manager confirms how the request was verified; the member’s id in the body guards against erasing the wrong one.',
        params: IdParams,
        body: Type.Object(
          {
            confirmMemberId: Id,
            verifiedBy: Type.Union([Type.Literal('in_person_id'), Type.Literal('signed_in_member'), Type.Literal('verified_email')], {
              description: 'How the member proved the request is theirs',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Ref(Erasure) },
      },
    },
    async (request) => eraseMember(deps, request.params.id, callerOf(request), request.body),
  )
}
