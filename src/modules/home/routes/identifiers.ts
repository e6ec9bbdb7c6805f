import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, Text } from '../../../platform/http/schemas.js'
import { IdentifierKindSchema } from '../../members/index.js'
import { Linked } from '../api-schemas.js'
import { linkIdentifier, verifyIdentifier } from '../service.js'
import { codeRate, me, staffWrite } from './access.js'

const NewIdentifier = Type.Object({ kind: IdentifierKindSchema, value: Text({ minLength: 1, maxLength: 320 }) }, { additionalProperties: false })
const CodeEntry = Type.Object(
  {
    kind: Type.Union([Type.Literal('email'), Type.Literal('phone')]),
    value: Text({ minLength: 1, maxLength: 320 }),
    code: Type.String({ pattern: '^\\s*[0-9]{6}\\s*$', maxLength: 20, description: 'The six digits sent to the email or phone' }),
  },
  { additionalProperties: false },
)
/** Cards, emails and phones on a membership, and proving an email or phone with its code. */
export const identifierRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.post(
    '/me/identifiers',
    {
      config: { ...me, ...codeRate },
      schema: {
        tags: ['member home'],
        summary: 'Add a card, email, phone or other identifier to my membership; an email or phone gets a code to verify it (adding it again sends a new one)',
        body: NewIdentifier,
        response: { 201: Linked },
      },
    },
    async (request, reply) => reply.code(201).send(await linkIdentifier(deps, myMemberId(request), request.body.kind, request.body.value, callerOf(request))),
  )
  app.post(
    '/me/identifiers/verify',
    {
      config: { ...me, ...codeRate },
      schema: {
        tags: ['member home'],
        summary: 'Prove an email or phone is mine with the code sent to it; attaches my parked guest activity',
        body: CodeEntry,
        response: { 200: Linked },
      },
    },
    async (request) => {
      const { kind, value, code } = request.body
      return verifyIdentifier(deps, myMemberId(request), kind, value, code, callerOf(request))
    },
  )
  app.post(
    '/members/:id/identifiers',
    {
      config: staffWrite,
      schema: {
        tags: ['members'],
        summary: 'Link an identifier to a member: a card is vouched for by the associate; an email or phone gets a code to verify it',
        params: IdParams,
        body: NewIdentifier,
        response: { 201: Linked },
      },
    },
    async (request, reply) => reply.code(201).send(await linkIdentifier(deps, request.params.id, request.body.kind, request.body.value, callerOf(request))),
  )
  app.post(
    '/members/:id/identifiers/verify',
    {
      config: { ...staffWrite, ...codeRate },
      schema: {
        tags: ['members'],
        summary: 'Enter the code the member received (read to the associate at the till); attaches their parked guest activity',
        params: IdParams,
        body: CodeEntry,
        response: { 200: Linked },
      },
    },
    async (request) => {
      const { kind, value, code } = request.body
      return verifyIdentifier(deps, request.params.id, kind, value, code, callerOf(request))
    },
  )
}
