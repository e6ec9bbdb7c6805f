import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, PageQuery, Ref, Text } from '../../../platform/http/schemas.js'
import { Timeline } from '../api-schemas.js'
import { timelinePage } from '../service.js'
import { me, staff } from './access.js'

const TimelineQuery = Type.Object({
  ...PageQuery.properties,
  kind: Type.Optional(Text({ maxLength: 50 })),
  channel: Type.Optional(Text({ maxLength: 50 })),
})

/** A member's history across channels, for the member and for staff. */
export const timelineRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/me/timeline',
    {
      config: me,
      schema: {
        tags: ['member home'],
        summary: 'My history across channels, newest first',
        querystring: TimelineQuery,
        response: { 200: Ref(Timeline) },
      },
    },
    async (request) => timelinePage(deps.db, myMemberId(request), request.query),
  )
  app.get(
    '/members/:id/timeline',
    {
      config: staff,
      schema: {
        tags: ['members'],
        summary: 'A member’s history across channels, newest first',
        params: IdParams,
        querystring: TimelineQuery,
        response: { 200: Ref(Timeline) },
      },
    },
    async (request) => timelinePage(deps.db, request.params.id, request.query),
  )
}
