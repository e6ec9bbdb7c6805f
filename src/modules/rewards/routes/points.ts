import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { LedgerReport, Points, PointsHistory } from '../api-schemas.js'
import { adjustPoints, pointsHistory, pointsSummary } from '../points.js'
import { ledgerReport } from '../report.js'
import { managers, me, staffOrTill } from './access.js'

/** Balances, their history, goodwill adjustments and the programme's liability. */
export const pointsRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/me/points',
    { config: me, schema: { tags: ['rewards'], summary: 'My points: available, pending, expiring soon', response: { 200: Ref(Points) } } },
    async (request) => pointsSummary(deps.db, myMemberId(request), deps.clock.now()),
  )
  app.get(
    '/me/points/history',
    { config: me, schema: { tags: ['rewards'], summary: 'Every movement of my points, explained', response: { 200: Ref(PointsHistory) } } },
    async (request) => ({ items: await pointsHistory(deps.db, myMemberId(request)) }),
  )
  // `/members/:id…` ids arrive already following merges (members' followMergeRedirects).
  app.get(
    '/members/:id/points',
    { config: staffOrTill, schema: { tags: ['rewards'], summary: 'A member’s points', params: IdParams, response: { 200: Ref(Points) } } },
    async (request) => pointsSummary(deps.db, request.params.id, deps.clock.now()),
  )
  app.get(
    '/members/:id/points/history',
    {
      config: staffOrTill,
      schema: { tags: ['rewards'], summary: 'A member’s points history', params: IdParams, response: { 200: Ref(PointsHistory) } },
    },
    async (request) => ({ items: await pointsHistory(deps.db, request.params.id) }),
  )
  app.post(
    '/members/:id/points/adjustments',
    {
      config: managers,
      schema: {
        tags: ['rewards'],
        summary: 'Goodwill credit or correction, with the reason the member reads (managers; audited)',
        params: IdParams,
        body: Type.Object(
          { points: Type.Integer({ minimum: -100_000, maximum: 100_000, not: { const: 0 } }), reason: Text({ minLength: 3, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ available: Type.Integer(), pending: Type.Integer(), reserved: Type.Integer(), owed: Type.Integer() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await adjustPoints(deps, request.params.id, request.body.points, request.body.reason, callerOf(request))),
  )
  app.get(
    '/rewards/report',
    {
      config: managers,
      schema: {
        tags: ['rewards'],
        summary: 'Ledger report: points outstanding (the programme’s liability) and issued, redeemed, expired by the month they happened',
        response: { 200: LedgerReport },
      },
    },
    async () => ledgerReport(deps.db),
  )
}
