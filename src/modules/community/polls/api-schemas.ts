import { Type } from 'typebox'
import { Count, Id, Nullable, Text, Timestamp } from '../../../platform/http/schemas.js'

// What the poll routes take and answer; the web app imports these types (a leaf: typebox and platform/http/schemas.ts only).

const Kind = Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('pairwise')], {
  description: 'single or multiple choice, or pairwise: "which do you prefer?", two options at a time',
})
const Scope = Type.Union([Type.Literal('retailer'), Type.Literal('region'), Type.Literal('store'), Type.Literal('category')], {
  description: 'who it is for: everyone, a region, a store (scopeValue its id) or a category',
})
const OptionStatus = Type.Union([Type.Literal('published'), Type.Literal('pending'), Type.Literal('declined')])

const PollFields = {
  id: Id,
  kind: Kind,
  question: Type.String(),
  description: Nullable(Type.String()),
  scope: Scope,
  scopeValue: Nullable(Type.String()),
  endsAt: Timestamp,
  open: Type.Boolean(),
  suggestionsOpen: Type.Boolean(),
}
export const Option = Type.Object({ id: Id, label: Type.String(), status: OptionStatus, suggested: Type.Boolean({ description: 'Suggested by a member' }) })

export const NewPoll = Type.Object(
  {
    kind: Kind,
    question: Text({ minLength: 3, maxLength: 200 }),
    description: Type.Optional(Text({ maxLength: 1000 })),
    scope: Scope,
    scopeValue: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
    endsAt: Timestamp,
    options: Type.Array(Text({ minLength: 1, maxLength: 120 }), { minItems: 2, maxItems: 60 }),
    suggestionsOpen: Type.Optional(Type.Boolean({ description: 'Pairwise: members may suggest options (held until staff approve)' })),
  },
  { additionalProperties: false },
)
export const Poll = Type.Object({ ...PollFields, options: Type.Array(Option) }, { $id: 'Poll' })
export const PollList = Type.Object({ items: Type.Array(Type.Object({ ...PollFields, voices: Count() })) })

export const NearbyPolls = Type.Object({
  items: Type.Array(Type.Object({ ...PollFields, answered: Count({ description: 'My answers: 1 for a poll I answered, pairs for a survey' }) })),
})
export const MyPoll = Type.Object({ poll: Poll, myAnswer: Nullable(Type.Array(Id)) })
export const Answer = Type.Object({ optionIds: Type.Array(Id, { minItems: 1, maxItems: 60 }) }, { additionalProperties: false })

const Shown = Type.Object({ id: Id, label: Type.String() })
export const NextPair = Type.Object({
  poll: Poll,
  pair: Nullable(Type.Array(Shown, { minItems: 2, maxItems: 2, description: 'The two options to choose between; null once every pair is answered' })),
  answered: Count({ description: 'Pairs I have answered or skipped' }),
  pairs: Count({ description: 'Pairs there are' }),
})
export const PairChoice = Type.Object(
  { optionA: Id, optionB: Id, winnerId: Type.Union([Id, Type.Null()], { description: 'The one I prefer; null to skip the pair' }) },
  { additionalProperties: false },
)
export const Suggestion = Type.Object({ label: Text({ minLength: 2, maxLength: 120 }) }, { additionalProperties: false })
export const SuggestedOption = Type.Object({ id: Id, label: Type.String(), status: OptionStatus })
export const Review = Type.Object({ decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]) }, { additionalProperties: false })

const OptionResult = Type.Object({
  id: Id,
  label: Type.String(),
  score: Type.Number({ description: 'Pairwise: chance (0–1) of beating a random other option; classic: share of members choosing it' }),
  low: Type.Number({ description: '95% interval, low end' }),
  high: Type.Number({ description: '95% interval, high end' }),
  count: Count({ description: 'Pairwise: choices won; classic: members choosing it' }),
})
const Group = Type.Object({ key: Type.String(), name: Type.String(), voices: Count(), options: Type.Array(OptionResult) })
export const PollResults = Type.Object(
  {
    poll: Poll,
    overall: Group,
    bySegment: Type.Array(Group, { description: 'Price-driven, relationship-driven, fluctuating… members (insights segments)' }),
    byStore: Type.Array(Group, { description: 'By the voter’s home store when they answered' }),
    method: Type.String(),
    pending: Type.Array(Option, { description: 'Members’ suggestions awaiting review' }),
  },
  { $id: 'PollResults' },
)
