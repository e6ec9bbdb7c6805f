import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../platform/auth/caller.js'
import type { Deps } from '../../platform/deps.js'
import { Id, IdParams } from '../../platform/http/schemas.js'
import type { Member } from '../members/index.js'
import { Candidate, DuplicateScan, Merge } from './api-schemas.js'
import { dismissDuplicate, listDuplicates, scanForDuplicates } from './duplicates.js'
import { mergeMembers, mergesOf, unmergeMembers } from './merge.js'

type Side = Member & { identifiers: { kind: string; value: string; verified: boolean }[]; orders: number; lastOrderAt: Date | null; points: number }
const side = (m: Side) => ({
  id: m.id,
  givenName: m.givenName,
  familyName: m.familyName,
  birthDate: m.birthDate,
  email: m.email,
  phone: m.phone,
  addressLine: m.addressLine,
  postcode: m.postcode,
  city: m.city,
  joinedAt: m.joinedAt.toISOString(),
  identifiers: m.identifiers,
  orders: m.orders,
  lastOrderAt: m.lastOrderAt?.toISOString() ?? null,
  points: m.points,
})
const mergeOut = (m: { id: string; survivorId: string; mergedId: string; mergedAt: Date; mergedBy: string; unmergedAt: Date | null }) => ({
  id: m.id,
  survivorId: m.survivorId,
  mergedId: m.mergedId,
  mergedAt: m.mergedAt.toISOString(),
  mergedBy: m.mergedBy,
  unmergedAt: m.unmergedAt?.toISOString() ?? null,
})

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  const staff = { access: { staff: 'associate' as const } }
  const managers = { access: { staff: 'manager' as const } }

  app.get(
    '/members/duplicates',
    {
      config: staff,
      schema: {
        tags: ['identity'],
        summary: 'Members who may be one person, most likely first, side by side',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('merged'), Type.Literal('dismissed')])),
        }),
        response: { 200: Type.Object({ items: Type.Array(Candidate) }) },
      },
    },
    async (request) => {
      const rows = await listDuplicates(deps, { limit: request.query.limit ?? 50, status: request.query.status })
      return {
        items: rows.map((c) => ({
          id: c.id,
          score: c.score,
          reasons: c.reasons,
          foundAt: c.foundAt.toISOString(),
          status: c.status,
          a: side(c.a),
          b: side(c.b),
        })),
      }
    },
  )

  app.post(
    '/members/duplicates/scan',
    {
      config: managers,
      schema: {
        tags: ['identity'],
        summary: 'Look for possible duplicates now (also runs nightly)',
        response: { 200: DuplicateScan },
      },
    },
    async () => scanForDuplicates(deps),
  )

  app.post(
    '/members/duplicates/:id/dismiss',
    {
      config: managers,
      schema: { tags: ['identity'], summary: 'They are different people: stop listing the pair (audited)', params: IdParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await dismissDuplicate(deps, request.params.id, callerOf(request))
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/members/merges',
    {
      config: managers,
      schema: {
        tags: ['identity'],
        summary: 'Merge two members: identifiers, history and everything else move to the survivor (audited)',
        body: Type.Object({ survivorId: Id, mergedId: Id }, { additionalProperties: false }),
        response: { 201: Merge },
      },
    },
    async (request, reply) => reply.code(201).send(mergeOut(await mergeMembers(deps, request.body.survivorId, request.body.mergedId, callerOf(request)))),
  )

  app.post(
    '/members/merges/:id/unmerge',
    { config: managers, schema: { tags: ['identity'], summary: 'Undo a merge: what moved goes back (audited)', params: IdParams, response: { 200: Merge } } },
    async (request) => mergeOut(await unmergeMembers(deps, request.params.id, callerOf(request))),
  )

  app.get(
    '/members/:id/merges',
    {
      config: { ...staff, memberIdAsGiven: true },
      schema: { tags: ['identity'], summary: 'Merges a member took part in', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Merge) }) } },
    },
    async (request) => ({
      items: (await mergesOf(deps.db, request.params.id)).map(mergeOut),
    }),
  )
}
