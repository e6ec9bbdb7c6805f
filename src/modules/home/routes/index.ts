import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../platform/deps.js'
import { MemberCard, Timeline } from '../api-schemas.js'
import { consentRoutes } from './consents.js'
import { identifierRoutes } from './identifiers.js'
import { profileRoutes } from './profile.js'
import { timelineRoutes } from './timeline.js'

/** The member home and the members' cards, one file a resource; the shared shapes are registered once, here. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, { prefix: _prefix, ...deps }: Deps & { prefix?: string }) => {
  for (const schema of [MemberCard, Timeline]) app.addSchema(schema)
  for (const resource of [profileRoutes, identifierRoutes, consentRoutes, timelineRoutes]) await app.register(resource, deps)
}
