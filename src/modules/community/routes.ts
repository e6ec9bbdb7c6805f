import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../platform/deps.js'
import { demandRoutes, ideasRoutes } from './ideas/index.js'
import { moderationRoutes } from './moderation/routes.js'
import { notificationRoutes } from './notifications/routes.js'
import { pollRoutes } from './polls/index.js'
import { questionRoutes, reviewRoutes } from './reviews/index.js'

/** Every community part's routes, registered once by app.ts. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, { prefix: _prefix, ...deps }: Deps & { prefix?: string }) => {
  // The prefix is this plugin's already: the parts register under it.
  for (const part of [ideasRoutes, demandRoutes, reviewRoutes, questionRoutes, moderationRoutes, notificationRoutes, pollRoutes]) await app.register(part, deps)
}
