import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../platform/deps.js'
import { ApiKey, User } from '../api-schemas.js'
import { apiKeyRoutes } from './api-keys.js'
import { auditRoutes } from './audit.js'
import { authRoutes } from './auth.js'
import { selfServiceRoutes } from './self-service.js'
import { userRoutes } from './users.js'

/** Logins, sessions, API keys and the audit trail, one file a resource; the shared shapes are registered once, here. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, { prefix: _prefix, ...deps }: Deps & { prefix?: string }) => {
  for (const schema of [User, ApiKey]) app.addSchema(schema)
  for (const resource of [selfServiceRoutes, authRoutes, userRoutes, apiKeyRoutes, auditRoutes]) await app.register(resource, deps)
}
