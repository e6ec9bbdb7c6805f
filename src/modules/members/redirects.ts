import type { FastifyInstance } from 'fastify'
import type { Db } from '../../platform/db/index.js'
import { NotFound } from '../../platform/http/problems.js'
import { resolveMemberId } from './service.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route takes `:id` as given: its service follows the redirect itself inside its one
     * statement (the till's redemption), or it is about that very id (the merges it took part in).
     */
    memberIdAsGiven?: boolean
  }
}

/**
 * Every `/members/:id…` route acts on the live member: an id merged away is followed to its
 * survivor here, once, before the handler runs, so no module has to remember to; an id that names
 * no member is a 404. Sessions resolve their member the same way (accounts), and identifiers move
 * to the survivor with the merge.
 */
export function followMergeRedirects(app: FastifyInstance, db: Db) {
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.url?.startsWith('/v1/members/:id') || request.routeOptions.config?.memberIdAsGiven) return
    const params = request.params as { id: string }
    const live = await resolveMemberId(db, params.id)
    if (!live) throw new NotFound('Member', params.id)
    params.id = live
  })
}
