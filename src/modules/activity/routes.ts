import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../platform/auth/caller.js'
import type { Deps } from '../../platform/deps.js'
import { Int, Text, Timestamp } from '../../platform/http/schemas.js'
import { ActivityInput, IngestResult } from './inputs.js'
import { addActivityKind, recordActivity, recordActivityBatch } from './recording.js'
import { recordUnlinkedSales } from './unlinked-sales.js'

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
      const result = await recordActivity(deps, request.body, callerOf(request))
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
    async (request) => recordActivityBatch(deps, request.body.items, callerOf(request)),
  )

  app.post(
    '/sales/unlinked',
    {
      config: writers,
      schema: {
        tags: ['activity'],
        summary: 'Record sales that named no member (up to 1,000), for the member capture rate',
        description:
          'A till sends each sale made without a loyalty id as a total. A (source, key) this API key sent before records nothing again (`replayed`).',
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object(
                {
                  store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Store code' })),
                  channel: Text({ minLength: 1, maxLength: 50 }),
                  occurredAt: Timestamp,
                  source: Text({ minLength: 1, maxLength: 100 }),
                  idempotencyKey: Text({ minLength: 1, maxLength: 200 }),
                  total: Int({ minimum: -10_000_000_000, maximum: 10_000_000_000, description: 'After discounts, in minor units; negative for a return' }),
                  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 1000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ recorded: Type.Integer(), replayed: Type.Integer() }) },
      },
    },
    async (request) => recordUnlinkedSales(deps, callerOf(request), request.body.items),
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
      await addActivityKind(deps, request.body, callerOf(request))
      return reply.code(204).send(null)
    },
  )
}
