import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { recordAudit } from '../../platform/audit/index.js'
import { type Principal, senderOf, storeScopeOf } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, IdempotencyKeyReused } from '../../platform/http/problems.js'
import { Text } from '../../platform/http/schemas.js'
import type { IngestScope } from './checks.js'
import { recordActivities, registerActivityKind, reusedKeyField } from './ingest.js'
import { ActivityInput, IngestResult } from './inputs.js'

class ActivityRejected extends DomainError {
  constructor(reason: string, field: string) {
    super(
      '/problems/activity-rejected',
      422,
      'The activity was not recorded',
      { errors: [{ field: `body${field}`, message: reason }] },
      `body${field}: ${reason}`,
    )
  }
}

/**
 * A key scoped to stores (`store:S01`) writes only their activity; other callers are not limited.
 * Idempotency keys are the sending key's own: another integration's same key is another activity.
 */
function scopeOf(principal: Principal | undefined): IngestScope {
  const scope = storeScopeOf(principal)
  const sentBy = principal ? senderOf(principal) : undefined
  return { sentBy, ...(scope && 'storeCodes' in scope ? { storeCodes: scope.storeCodes } : {}) }
}

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(ActivityInput)
  app.addSchema(IngestResult)
  const writers = { access: { scopes: ['activity:write'] } }

  app.post(
    '/activities',
    {
      config: writers,
      schema: {
        tags: ['activity'],
        summary: 'Record one activity (purchase, return, visit…) naming the member by any identifier',
        description:
          '201 when recorded or parked; 200 with `replay: true` when this API key sent this source and key before with the same body (nothing changes); 409 when it sent them with a different body.',
        body: Type.Ref('ActivityInput'),
        response: { 200: Type.Ref('IngestResult'), 201: Type.Ref('IngestResult') },
      },
    },
    async (request, reply) => {
      const [result] = await recordActivities(deps, [request.body], scopeOf(request.principal))
      if (result.status === 'rejected' && result.field === reusedKeyField) throw new IdempotencyKeyReused(result.reason ?? '', 'body/idempotencyKey')
      if (result.status === 'rejected') throw new ActivityRejected(result.reason ?? 'rejected', result.field ?? '')
      return reply.code(result.replay ? 200 : 201).send(result)
    },
  )

  app.post(
    '/activities/batch',
    {
      config: writers,
      bodyLimit: 8 * 1_048_576,
      schema: {
        tags: ['activity'],
        summary: 'Record up to 1,000 activities; each item is answered on its own',
        description: 'Bad items are rejected with a reason while the good ones are kept. Results are in the order of the items.',
        // Items are checked one by one in the service (a bad one is rejected, its neighbours kept), so the
        // schema documents ActivityInput but lets any item through to that check.
        body: Type.Object(
          { items: Type.Array(Type.Union([Type.Ref('ActivityInput'), Type.Unknown()]), { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            results: Type.Array(Type.Ref('IngestResult')),
            recorded: Type.Integer(),
            parked: Type.Integer(),
            rejected: Type.Integer(),
            replayed: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const results = await recordActivities(deps, request.body.items, scopeOf(request.principal))
      const count = (status: string) => results.filter((r) => r.status === status && !r.replay).length
      return { results, recorded: count('recorded'), parked: count('parked'), rejected: count('rejected'), replayed: results.filter((r) => r.replay).length }
    },
  )

  app.post(
    '/activity-kinds',
    {
      config: { access: { staff: 'admin' } },
      schema: {
        tags: ['activity'],
        summary: 'Register a custom engagement kind, e.g. tasting_attended',
        body: Type.Object(
          { code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,49}$' }), name: Text({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await registerActivityKind(deps.db, request.body.code, request.body.name, deps.clock.now())
      await recordAudit(deps.db, deps.clock.now(), request.principal, {
        action: 'activity_kind.registered',
        targetKind: 'activity_kind',
        targetId: request.body.code,
        after: request.body,
      })
      return reply.code(204).send(null)
    },
  )
}
