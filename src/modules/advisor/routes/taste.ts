import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, myMemberId } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { Preference, preferenceKinds, preferenceSubjects, Taste } from '../api-schemas.js'
import { addPreference, removePreference, tasteProfile } from '../taste.js'
import { iso, member, staff } from './access.js'

const PreferenceInput = Type.Object(
  {
    kind: Type.Enum(preferenceKinds),
    subjectKind: Type.Enum(preferenceSubjects),
    subject: Text({ minLength: 1, maxLength: 200, description: 'A category path, brand, sku, "colour: navy", a size…' }),
  },
  { additionalProperties: false },
)
const tasteOut = (t: Awaited<ReturnType<typeof tasteProfile>>) => ({ ...t, preferences: t.preferences.map(iso) })

/** Taste profiles: what was learnt and why, and what the member said (to the app or to an associate). */
export const tasteRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/me/taste',
    {
      config: member,
      schema: { tags: ['advisor'], summary: 'My taste profile: what you learnt and why, and what I told you', response: { 200: Ref(Taste) } },
    },
    async (request) => tasteOut(await tasteProfile(deps, myMemberId(request))),
  )
  app.post(
    '/me/taste/preferences',
    {
      config: member,
      schema: {
        tags: ['advisor'],
        summary: 'Tell the shop a like, dislike, size or a product never to suggest',
        body: PreferenceInput,
        response: { 201: Ref(Preference) },
      },
    },
    async (request, reply) => reply.code(201).send(iso(await addPreference(deps, myMemberId(request), request.body, callerOf(request)))),
  )
  app.delete(
    '/me/taste/preferences/:id',
    { config: member, schema: { tags: ['advisor'], summary: 'Take back something I said', params: IdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await removePreference(deps, myMemberId(request), request.params.id, callerOf(request))
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/members/:id/taste',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: "A member's taste profile, for the associate advising them",
        params: IdParams,
        response: { 200: Ref(Taste) },
      },
    },
    async (request) => tasteOut(await tasteProfile(deps, request.params.id)),
  )
  app.post(
    '/members/:id/taste/preferences',
    {
      config: staff,
      schema: {
        tags: ['advisor'],
        summary: 'Record what the member told you: a like, dislike, size, or never suggest',
        params: IdParams,
        body: PreferenceInput,
        response: { 201: Ref(Preference) },
      },
    },
    // The id arrives live (members' followMergeRedirects): an unknown member is a 404 before this runs.
    async (request, reply) => reply.code(201).send(iso(await addPreference(deps, request.params.id, request.body, callerOf(request)))),
  )
  app.delete(
    '/members/:id/taste/preferences/:preferenceId',
    {
      config: staff,
      schema: { tags: ['advisor'], summary: 'Remove a recorded preference', params: Type.Object({ id: Id, preferenceId: Id }), response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await removePreference(deps, request.params.id, request.params.preferenceId, callerOf(request))
      return reply.code(204).send(null)
    },
  )
}
