import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../../platform/auth/caller.js'
import { apiScopes, storeScopePattern } from '../../../platform/auth/principal.js'
import type { Deps } from '../../../platform/deps.js'
import { IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { ApiKey, ApiKeyScope } from '../api-schemas.js'
import { apiKeyScopes, createApiKey, listApiKeys, revokeApiKey } from '../service.js'
import { admins } from './access.js'

const Scope = Type.String({
  pattern: `^(${Object.keys(apiScopes).join('|')}|${storeScopePattern.slice(1, -1)})$`,
  maxLength: 60,
  description: `${Object.keys(apiScopes).join(', ')}, or store:<code> to limit the key to that store`,
})
const apiKeyOut = (key: Awaited<ReturnType<typeof listApiKeys>>[number]) => ({
  ...key,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
})

/** Channel integrations' API keys: listing, creating (the key shown once) and revoking them. */
export const apiKeyRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/api-keys',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Channel integration keys (never the keys themselves)',
        response: { 200: Type.Object({ items: Type.Array(Ref(ApiKey)) }) },
      },
    },
    async () => ({
      items: (await listApiKeys(deps.db)).map(apiKeyOut),
    }),
  )
  app.get(
    '/api-keys/scopes',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'The scopes an API key can hold (the list a new key is checked against), with one store scope per store',
        response: { 200: Type.Object({ items: Type.Array(ApiKeyScope) }) },
      },
    },
    async () => ({ items: await apiKeyScopes(deps.db) }),
  )
  app.post(
    '/api-keys',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; the key is in this response only',
        body: Type.Object(
          { name: Text({ minLength: 1, maxLength: 200 }), scopes: Type.Array(Scope, { minItems: 1, maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ apiKey: Ref(ApiKey), key: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { apiKey, key } = await createApiKey(deps, request.body, callerOf(request))
      return reply.code(201).send({ apiKey: apiKeyOut(apiKey), key })
    },
  )
  app.delete(
    '/api-keys/:id',
    { config: admins, schema: { tags: ['admin'], summary: 'Revoke an API key', params: IdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await revokeApiKey(deps, request.params.id, callerOf(request))
      return reply.code(204).send(null)
    },
  )
}
