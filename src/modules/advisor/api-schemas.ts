import { Type } from 'typebox'
import { DateOnly, Id, Nullable, Ref, Timestamp } from '../../platform/http/schemas.js'

// What the advisor routes answer. The web app imports these types (a leaf: typebox and
// platform/http/schemas.ts only); the tables in schema.ts take their enums from here.

export const contactOutcomes = ['talked', 'suggestion_accepted', 'bought', 'booked', 'no_answer', 'not_interested', 'messaged'] as const
export type ContactOutcome = (typeof contactOutcomes)[number]
export const preferenceKinds = ['like', 'dislike', 'size', 'note', 'never_suggest'] as const
export const preferenceSubjects = ['category', 'brand', 'sku', 'attribute', 'size', 'text'] as const
export const feedbackEvents = ['shown', 'clicked', 'bought', 'dismissed', 'not_for_me'] as const

export const MemberNote = Type.Object(
  {
    id: Id,
    memberId: Id,
    authorName: Type.String(),
    body: Type.String(),
    tags: Type.Array(Type.String()),
    shareable: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'MemberNote' },
)
export const FollowUp = Type.Object(
  {
    id: Id,
    memberId: Id,
    assigneeId: Id,
    title: Type.String(),
    dueOn: DateOnly,
    doneAt: Nullable(Timestamp),
    outcome: Nullable(Type.String()),
  },
  { $id: 'FollowUp' },
)
export const Outcome = Type.Enum(contactOutcomes)
export const Conversation = Type.Object(
  {
    id: Id,
    memberId: Id,
    associateName: Type.String({ description: 'Who talked with the member, by the name they go by (never their email)' }),
    at: Timestamp,
    reason: Type.String(),
    summary: Type.String(),
    outcome: Outcome,
  },
  { $id: 'Conversation' },
)

export const Preference = Type.Object(
  {
    id: Id,
    kind: Type.Enum(preferenceKinds),
    subjectKind: Type.Enum(preferenceSubjects),
    subject: Type.String(),
    recordedBy: Type.String(),
    createdAt: Timestamp,
  },
  { $id: 'TastePreference' },
)
export const Suggestion = Type.Object(
  {
    sku: Type.String(),
    name: Type.String(),
    category: Nullable(Type.String()),
    brand: Nullable(Type.String()),
    reason: Type.Object({ kind: Type.String({ description: 'repurchase, also-bought or popular' }), text: Type.String() }, { additionalProperties: true }),
  },
  { $id: 'Suggestion' },
)
export const Suggestions = Type.Object({ items: Type.Array(Ref(Suggestion)) })
export const Taste = Type.Object(
  {
    profiling: Type.Boolean({ description: 'Profiling consent: without it nothing is learnt, only what was said is used' }),
    learned: Type.Array(
      Type.Object({
        kind: Type.String(),
        subject: Type.String(),
        strength: Type.Number({ minimum: 0, maximum: 1 }),
        why: Type.String({ description: 'The evidence: "Bought 4 times; most recently 12 Oct 2026"' }),
      }),
    ),
    preferences: Type.Array(Ref(Preference)),
  },
  { $id: 'Taste' },
)
export const MemberSuggestions = Type.Object({ items: Type.Array(Ref(Suggestion)), talkingPoints: Type.Array(Type.String()) })
export const Digest = Type.Object({
  memberId: Id,
  name: Type.String(),
  weekOf: DateOnly,
  suggestions: Type.Array(Ref(Suggestion)),
  points: Type.Object({ available: Type.Integer(), expiringSoon: Type.Integer() }),
  tier: Nullable(Type.Object({ name: Type.String(), next: Nullable(Type.String()), needed: Nullable(Type.Integer()) })),
})
export const outreachReasons = ['follow_up', 'birthday', 'back_in_stock', 'new_arrival', 'drifting', 'long_absence'] as const
export const OutreachItem = Type.Object({
  memberId: Id,
  name: Type.String(),
  reason: Type.Enum(outreachReasons),
  why: Type.String(),
  assigned: Type.Boolean({ description: 'Assigned to you (a follow-up), rather than suggested for your stores' }),
  followUpId: Type.Optional(Id),
})
export const ContactOptions = Type.Object({
  channels: Type.Array(Type.Object({ channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]), to: Type.String() }), {
    description: 'Channels the member allows offers and news by, with a verified address',
  }),
  template: Type.Object({ subject: Type.String(), text: Type.String() }, { description: 'A message for the reason, to edit before sending' }),
})
export const Outreach = Type.Object({ items: Type.Array(OutreachItem) })
