import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditChoices, auditPage } from '../../../platform/audit/index.js'
import type { Deps } from '../../../platform/deps.js'
import { Nullable, PageQuery, Text, Timestamp } from '../../../platform/http/schemas.js'
import { AuditChoices, AuditEntry } from '../api-schemas.js'
import { admins } from './access.js'

/** The audit trail of staff and admin actions, and the choices its filters offer. */
export const auditRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
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
    async (request) => auditPage(deps, request.query),
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
