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

const Choice = { inApp: Type.Boolean({ description: 'Shown in my notifications here' }), email: Type.Boolean({ description: 'Sent to my verified email' }) }
const KindCode = Type.Union([Type.Literal('status'), Type.Literal('answer'), Type.Literal('reply'), Type.Literal('moderation')])
export const NotificationSettings = Type.Object(
  {
    kinds: Type.Array(Type.Object({ kind: KindCode, label: Type.String(), description: Type.String(), ...Choice })),
    email: Type.Object({
      consent: Type.Boolean({ description: 'The consent ledger’s `notifications` / `email`: may notifications reach me by email at all' }),
      changedAt: Nullable(Timestamp),
      wording: Type.String(),
      verifiedEmail: Nullable(Type.String({ description: 'My verified email address, where emails go; null: none verified yet' })),
    }),
  },
  { $id: 'NotificationSettings' },
)
export const NotificationSettingsChange = Type.Object(
  {
    kinds: Type.Optional(
      Type.Partial(
        Type.Object({
          status: Type.Partial(Type.Object(Choice), { additionalProperties: false }),
          answer: Type.Partial(Type.Object(Choice), { additionalProperties: false }),
          reply: Type.Partial(Type.Object(Choice), { additionalProperties: false }),
          moderation: Type.Partial(Type.Object(Choice), { additionalProperties: false }),
        }),
        { additionalProperties: false },
      ),
    ),
    email: Type.Optional(Type.Boolean({ description: 'Give (true) or withdraw (false) consent to email notifications; giving needs a verified email' })),
  },
  { additionalProperties: false },
)
