import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { myMemberId, userOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { decodeCursor, encodeCursor } from '../../../platform/http/cursor.js'
import { Id, PageQuery, Ref, Timestamp } from '../../../platform/http/schemas.js'
import { NotificationSettings, NotificationSettingsChange, Notifications, Unread } from './api-schemas.js'
import { notificationSettings, saveNotificationSettings } from './preferences.js'
import { markAllRead, markRead, notificationsOf, type Recipient, unreadNotifications } from './service.js'

/** A member's centre is their member's; a staff login's is their own. */
const recipientOf = (request: Parameters<typeof userOf>[0]): Recipient => {
  const user = userOf(request)
  return user.kind === 'member' ? { memberId: user.memberId } : { userId: user.userId }
}

/** The notification centre of whoever is signed in, member or staff: nobody reads anyone else's. */
export const notificationRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(Notifications)
  app.addSchema(NotificationSettings)
  const signedIn = { access: { member: true as const, staff: 'associate' as const } }
  const tags = ['notifications']

  app.get(
    '/notifications',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'My notifications, newest first, and how many are unread',
        querystring: Type.Object(
          { ...PageQuery.properties, unread: Type.Optional(Type.Boolean({ description: 'Only the unread ones' })) },
          { additionalProperties: false },
        ),
        response: { 200: Ref(Notifications) },
      },
    },
    async (request) => {
      const [at, id] = decodeCursor(request.query.cursor, Type.Tuple([Timestamp, Id])) ?? []
      const page = await notificationsOf(deps, recipientOf(request), {
        limit: request.query.limit ?? 30,
        before: at && id ? { at, id } : undefined,
        unreadOnly: request.query.unread ?? false,
      })
      return { items: page.items, unread: page.unread, nextCursor: page.next ? encodeCursor([page.next.at, page.next.id]) : null }
    },
  )
  app.get(
    '/notifications/unread',
    { config: signedIn, schema: { tags, summary: 'How many of my notifications are unread (the bell)', response: { 200: Unread } } },
    async (request) => unreadNotifications(deps, recipientOf(request)),
  )
  app.post(
    '/notifications/:notificationId/read',
    {
      config: signedIn,
      schema: { tags, summary: 'Mark one of my notifications read', params: Type.Object({ notificationId: Id }), response: { 200: Unread } },
    },
    async (request) => markRead(deps, recipientOf(request), request.params.notificationId),
  )
  app.post(
    '/notifications/read',
    { config: signedIn, schema: { tags, summary: 'Mark all my notifications read', response: { 200: Unread } } },
    async (request) => markAllRead(deps, recipientOf(request)),
  )
  // A member's own choices; staff have none (their centre is always on) and API keys never reach these.
  const member = { access: { member: true as const } }
  app.get(
    '/me/notification-settings',
    {
      config: member,
      schema: {
        tags,
        summary: 'What I hear about: each kind in the app and by email, and whether email can reach me',
        response: { 200: Ref(NotificationSettings) },
      },
    },
    async (request) => notificationSettings(deps.db, myMemberId(request)),
  )
  app.put(
    '/me/notification-settings',
    {
      config: member,
      schema: {
        tags,
        summary: 'Choose what I hear about, per kind and channel; `email` gives or withdraws consent to email (a ledger event)',
        body: NotificationSettingsChange,
        response: { 200: Ref(NotificationSettings) },
      },
    },
    async (request) => saveNotificationSettings(deps, myMemberId(request), request.body),
  )
}
