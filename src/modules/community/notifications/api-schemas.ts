import { Type } from 'typebox'
import { Count, Id, Nullable, Timestamp } from '../../../platform/http/schemas.js'

// What the notification centre's routes answer; the web app imports these types.

export const NotificationItem = Type.Object({
  id: Id,
  kind: Type.String({ description: 'reply, answer, mention, status, moderation, report or question' }),
  title: Type.String(),
  body: Nullable(Type.String()),
  link: Nullable(Type.String({ description: 'A page of this app' })),
  createdAt: Timestamp,
  readAt: Nullable(Timestamp),
})
export const Notifications = Type.Object(
  { items: Type.Array(NotificationItem), unread: Count(), nextCursor: Nullable(Type.String()) },
  { $id: 'Notifications' },
)
export const Unread = Type.Object({ unread: Count() })
