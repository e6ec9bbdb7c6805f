import { Type } from 'typebox'
import { Count, Id, Nullable, Text, Timestamp } from '../../../platform/http/schemas.js'

// What the moderation routes take and answer. The web app imports these types (a leaf: typebox and
// platform/http/schemas.ts only).

export const ContentKind = Type.Union(
  [
    Type.Literal('review'),
    Type.Literal('question'),
    Type.Literal('answer'),
    Type.Literal('reply'),
    Type.Literal('idea'),
    Type.Literal('comment'),
    Type.Literal('poll_option'),
  ],
  { description: 'review, question, answer, reply, idea, comment or poll_option' },
)
export const ReportReason = Type.Union(
  [
    Type.Literal('spam'),
    Type.Literal('offensive'),
    Type.Literal('off_topic'),
    Type.Literal('personal_information'),
    Type.Literal('misleading'),
    Type.Literal('other'),
  ],
  { description: 'spam, offensive, off_topic, personal_information, misleading or other' },
)

export const NewReport = Type.Object(
  {
    kind: ContentKind,
    contentId: Id,
    reason: ReportReason,
    note: Type.Optional(Nullable(Text({ maxLength: 500, description: 'What the moderators should know' }))),
  },
  { additionalProperties: false },
)
export const Report = Type.Object({ reportId: Id, reportedAt: Timestamp })

export const QueueItem = Type.Object({
  kind: Type.String(),
  kindName: Type.String({ description: 'The kind in words: review, poll option…' }),
  contentId: Id,
  status: Type.Union([Type.Literal('published'), Type.Literal('held')]),
  reasons: Type.Array(Type.String(), { description: 'Why it is held, in words' }),
  text: Type.String({ description: 'The text as it stands now: plain text, to be shown as text' }),
  about: Nullable(Type.String()),
  link: Nullable(Type.String()),
  postedAt: Timestamp,
  store: Nullable(Type.Object({ storeId: Id, name: Type.String() })),
  author: Type.Object({
    memberId: Id,
    name: Type.String(),
    posts: Count({ description: 'Posts of theirs moderation has seen' }),
    hidden: Count({ description: 'Of those, hidden by moderators' }),
    banned: Type.Boolean(),
  }),
  reports: Type.Array(Type.Object({ reason: Type.String(), reasonName: Type.String(), note: Nullable(Type.String()), reportedAt: Timestamp })),
  history: Type.Array(Type.Object({ action: Type.String(), by: Type.String(), at: Timestamp, reason: Nullable(Type.String()) })),
})
export const ModerationQueue = Type.Object({ items: Type.Array(QueueItem) }, { $id: 'ModerationQueue' })

export const Decision = Type.Object(
  { reason: Type.Optional(Nullable(Text({ maxLength: 500, description: 'Told to the author' }))) },
  { additionalProperties: false },
)
export const Decided = Type.Object({
  kind: Type.String(),
  contentId: Id,
  status: Type.Union([Type.Literal('published'), Type.Literal('held'), Type.Literal('hidden')]),
  reportsSettled: Count(),
})

export const NewBan = Type.Object(
  {
    memberId: Id,
    storeId: Type.Optional(Nullable(Id)),
    days: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 3650, description: 'How long; absent or null: until lifted' }))),
    reason: Text({ minLength: 3, maxLength: 500, description: 'Told to the member' }),
  },
  { additionalProperties: false },
)
export const Ban = Type.Object({
  banId: Id,
  memberId: Id,
  storeId: Nullable(Id),
  store: Nullable(Type.String()),
  reason: Type.String(),
  startsAt: Timestamp,
  endsAt: Nullable(Timestamp),
})

export const WordFilter = Type.Object({
  filterId: Id,
  term: Type.String(),
  matches: Type.String({ description: 'The term as it is matched: folded case, accents and look-alikes' }),
  action: Type.Union([Type.Literal('hold'), Type.Literal('refuse')]),
  createdAt: Timestamp,
})
export const WordFilters = Type.Object({ items: Type.Array(WordFilter) })
export const NewWordFilter = Type.Object(
  {
    term: Text({ minLength: 1, maxLength: 100, description: 'A word or phrase; end it with * to match words that start with it' }),
    action: Type.Union([Type.Literal('hold'), Type.Literal('refuse')], { description: 'hold: a moderator looks first; refuse: the member rewords it' }),
  },
  { additionalProperties: false },
)
export const Settings = Type.Object(
  {
    holdFirstPosts: Type.Integer({ minimum: 0, maximum: 100, description: 'How many of a new member’s first posts a moderator sees first (0: none)' }),
    ratePosts: Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many posts…' }),
    rateMinutes: Type.Integer({ minimum: 1, maximum: 1440, description: '…in this many minutes' }),
  },
  { additionalProperties: false },
)
