import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../platform/deps.js'
import type { WithJobs } from '../../../platform/jobs/index.js'
import { Conversation, FollowUp, MemberNote, Preference, Suggestion, Taste } from '../api-schemas.js'
import { conversationRoutes, followUpRoutes, noteRoutes } from './clienteling.js'
import { outreachRoutes } from './outreach.js'
import { suggestionRoutes } from './suggestions.js'
import { tasteRoutes } from './taste.js'

/** The advisor's API, one file a resource; the shared shapes are registered once, here, for all of them. */
export const routes: FastifyPluginAsyncTypebox<Deps & WithJobs> = async (app, { prefix: _prefix, ...deps }: Deps & WithJobs & { prefix?: string }) => {
  for (const schema of [MemberNote, FollowUp, Conversation, Preference, Taste, Suggestion]) app.addSchema(schema)
  for (const resource of [suggestionRoutes, tasteRoutes, noteRoutes, followUpRoutes, conversationRoutes, outreachRoutes]) await app.register(resource, deps)
}
