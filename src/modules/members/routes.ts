import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Deps } from '../../platform/deps.js'
import { Id, Nullable, PageQuery, Ref, Text } from '../../platform/http/schemas.js'
import { MemberListItemSchema, MemberLookup } from './api-schemas.js'
import { identifierKinds } from './schema.js'
import { lookupMember, type MemberListItem, searchMembers } from './service.js'

export const IdentifierKind = Type.Union(identifierKinds.map((k) => Type.Literal(k)))
const listItemOut = <T extends MemberListItem>(m: T) => ({ ...m, joinedAt: m.joinedAt.toISOString() })
const staff = { access: { staff: 'associate' as const, scopes: ['members:read'] } }

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(MemberListItemSchema)

  app.get(
    '/members',
    {
      config: staff,
      schema: {
        tags: ['members'],
        summary: 'Search members by a fragment of name, email, phone, card or loyalty id',
        querystring: Type.Object({ q: Type.Optional(Text({ maxLength: 200 })), limit: PageQuery.properties.limit, cursor: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(Ref(MemberListItemSchema)), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const { q, limit = 20, cursor } = request.query
      const page = await searchMembers(deps.db, { q, limit, after: cursor, defaultRegion: deps.config.defaultRegion })
      return { items: page.items.map(listItemOut), nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/members/lookup',
    {
      config: staff,
      schema: {
        tags: ['members'],
        summary: 'Find the one member an identifier belongs to (the till scans a card, types a phone…)',
        querystring: Type.Object({ kind: IdentifierKind, value: Text({ minLength: 1, maxLength: 320 }) }),
        response: { 200: MemberLookup },
      },
    },
    async (request) => listItemOut(await lookupMember(deps.db, request.query.kind, request.query.value, deps.config.defaultRegion)),
  )
}
