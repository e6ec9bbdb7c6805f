import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, IdParams, Ref, Text } from '../../../platform/http/schemas.js'
import { StaffRole, User } from '../api-schemas.js'
import { createUser, listUsers, publicUser, updateUser } from '../service.js'
import { admins } from './access.js'
import { Password } from './auth.js'

/** Staff and member logins, as admins run them. */
export const userRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/users',
    {
      config: admins,
      schema: { tags: ['admin'], summary: 'Staff and member logins', response: { 200: Type.Object({ items: Type.Array(Ref(User)) }) } },
    },
    async () => ({
      items: (await listUsers(deps.db)).map(publicUser),
    }),
  )
  app.post(
    '/users',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Create a staff login',
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 320 }),
            displayName: Text({ minLength: 1, maxLength: 200 }),
            password: Password,
            role: StaffRole,
            storeIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ref(User) },
      },
    },
    async (request, reply) => reply.code(201).send(publicUser(await createUser(deps, request.body, callerOf(request)))),
  )
  app.patch(
    '/users/:id',
    {
      config: admins,
      schema: {
        tags: ['admin'],
        summary: 'Change a staff login: role, stores, name, or disable it',
        params: IdParams,
        body: Type.Object(
          {
            role: Type.Optional(StaffRole),
            storeIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
            disabled: Type.Optional(Type.Boolean()),
            displayName: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Ref(User) },
      },
    },
    async (request) => publicUser(await updateUser(deps, request.params.id, request.body, callerOf(request))),
  )
}
