import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../platform/auth/caller.js'
import type { Deps } from '../../platform/deps.js'
import { Nullable, Ref, Text } from '../../platform/http/schemas.js'
import { Channel, Product, ProductInput, Store, StoreInput } from './api-schemas.js'
import { listActivityKinds, listChannels, searchProducts } from './catalog.js'
import { changeChannel, feedStock, saveProducts, saveStores } from './catalog-changes.js'
import { listStores } from './service.js'

export const catalogRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(Store)
  app.addSchema(Channel)
  app.addSchema(Product)
  const staff = { access: { staff: 'associate' as const } }
  const admins = { access: { staff: 'admin' as const } }

  app.get(
    '/stores',
    {
      config: { access: { staff: 'associate', scopes: ['members:read', 'activity:write'] } },
      schema: { tags: ['stores'], summary: 'The retailer’s stores', response: { 200: Type.Object({ items: Type.Array(Ref(Store)) }) } },
    },
    async () => ({ items: await listStores(deps.db) }),
  )

  app.put(
    '/stores',
    {
      config: admins,
      schema: {
        tags: ['stores'],
        summary: 'Create or update stores by code (audited)',
        body: Type.Object({ items: Type.Array(StoreInput, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Ref(Store)) }) },
      },
    },
    async (request) => ({ items: await saveStores(deps, request.body.items, callerOf(request)) }),
  )

  app.get(
    '/channels',
    {
      config: staff,
      schema: {
        tags: ['stores'],
        summary: 'Channels and what each does with unknown identifiers',
        response: { 200: Type.Object({ items: Type.Array(Ref(Channel)) }) },
      },
    },
    async () => ({
      items: await listChannels(deps.db),
    }),
  )

  app.put(
    '/channels/:code',
    {
      config: admins,
      schema: {
        tags: ['stores'],
        summary: 'Add a channel, or change whether it enrols or parks unknown identifiers (audited)',
        params: Type.Object({ code: Channel.properties.code }),
        body: Type.Object({ name: Channel.properties.name, unknownIdentifier: Channel.properties.unknownIdentifier }, { additionalProperties: false }),
        response: { 200: Ref(Channel) },
      },
    },
    async (request) => changeChannel(deps, { code: request.params.code, ...request.body }, callerOf(request)),
  )

  app.get(
    '/activity-kinds',
    {
      config: staff,
      schema: {
        tags: ['activity'],
        summary: 'Activity kinds: built in and registered by admins',
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), custom: Type.Boolean() })) }) },
      },
    },
    async () => ({ items: await listActivityKinds(deps.db) }),
  )

  app.get(
    '/products',
    {
      config: { access: { staff: 'associate', scopes: ['members:read', 'catalog:write'] } },
      schema: {
        tags: ['products'],
        summary: 'Products by sku or name fragment',
        querystring: Type.Object({
          q: Type.Optional(Text({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Text({ maxLength: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Ref(Product)), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const page = await searchProducts(deps.db, { q: request.query.q, limit: request.query.limit ?? 50, after: request.query.cursor })
      return {
        items: page.items.map((p) => ({ ...p, attributes: p.attributes as Record<string, unknown>, backInStockAt: p.backInStockAt?.toISOString() ?? null })),
        nextCursor: page.nextCursor,
      }
    },
  )

  app.put(
    '/products',
    {
      config: { access: { staff: 'admin', scopes: ['catalog:write'] } },
      bodyLimit: 8 * 1_048_576,
      schema: {
        tags: ['products'],
        summary: 'Create or update up to 1,000 products by sku',
        body: Type.Object({ items: Type.Array(ProductInput, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ saved: Type.Integer() }) },
      },
    },
    async (request) =>
      saveProducts(
        deps,
        request.body.items.map((p) => ({ ...p, brand: p.brand ?? null, priceMinor: p.priceMinor ?? null, attributes: p.attributes ?? {} })),
        callerOf(request),
      ),
  )

  app.put(
    '/products/stock',
    {
      config: { access: { staff: 'admin', scopes: ['catalog:write'] } },
      bodyLimit: 4 * 1_048_576,
      schema: {
        tags: ['products'],
        summary: 'The stock system’s feed: which skus can be bought now (up to 10,000)',
        description:
          'Products out of stock are left out of suggestions; one coming back is marked back in stock, and associates see the members who wished for it on their outreach list. Unknown skus are reported, not created.',
        body: Type.Object(
          {
            items: Type.Array(Type.Object({ sku: Text({ minLength: 1, maxLength: 100 }), inStock: Type.Boolean() }, { additionalProperties: false }), {
              minItems: 1,
              maxItems: 10_000,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ changed: Type.Integer(), backInStock: Type.Array(Type.String()), unknown: Type.Array(Type.String()) }) },
      },
    },
    async (request) => feedStock(deps, request.body.items, callerOf(request)),
  )
}
