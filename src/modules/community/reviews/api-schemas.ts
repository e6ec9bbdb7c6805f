import { Type } from 'typebox'
import { Id, Nullable, Text, Timestamp } from '../../../platform/http/schemas.js'

// What the reviews and questions routes take and answer. The web app imports these types (a leaf:
// typebox and platform/http/schemas.ts only), so a field changed here fails its type check.

export const contentStatuses = ['published', 'held', 'hidden'] as const
export const fitFeedback = ['runs_small', 'true_to_size', 'runs_large'] as const

const Status = Type.Enum(contentStatuses, {
  description: 'published: everyone sees it; held: waiting for a moderator (only you see it); hidden: a moderator took it down',
})
const Fit = Type.Enum(fitFeedback, { description: 'How it fits: runs_small, true_to_size or runs_large' })
const Html = Type.String({ description: 'The Markdown as safe HTML: no scripts, styles, images or raw HTML; links carry rel="nofollow ugc noopener"' })

export const ReviewInput = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5, description: 'Stars, 1 to 5' }),
    title: Text({ minLength: 1, maxLength: 120 }),
    body: Text({ minLength: 1, maxLength: 5000, description: 'Markdown; raw HTML is shown as text' }),
    fit: Type.Optional(Nullable(Fit)),
  },
  { additionalProperties: false },
)

export const Reply = Type.Object({
  replyId: Id,
  authorName: Type.String(),
  storeName: Nullable(Type.String()),
  staffBadge: Type.Literal(true),
  body: Type.String(),
  bodyHtml: Html,
  repliedAt: Timestamp,
})

export const Review = Type.Object(
  {
    reviewId: Id,
    sku: Type.String(),
    productName: Type.String(),
    rating: Type.Integer(),
    title: Type.String(),
    body: Type.String({ description: 'The Markdown as written' }),
    bodyHtml: Html,
    fit: Nullable(Fit),
    author: Type.Object({
      name: Type.String({ description: '“Ada L.”, or “A member” for members who keep their name to themselves' }),
      verifiedPurchase: Type.Boolean({ description: 'The author bought this product, on any channel' }),
      memberId: Type.Optional(Id),
    }),
    mine: Type.Boolean(),
    status: Status,
    helpful: Type.Integer({ description: 'Members who found it helpful' }),
    votedHelpful: Type.Boolean(),
    edited: Type.Boolean(),
    postedAt: Timestamp,
    editedAt: Nullable(Timestamp),
    replies: Type.Array(Reply),
  },
  { $id: 'Review' },
)

/** The product as its page shows it: what it is, what it costs, whether it can be bought now. */
export const ProductShown = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  brand: Nullable(Type.String()),
  category: Type.Array(Type.String(), { description: 'The category path, broadest first: ["Clothing", "Scarves"]' }),
  priceMinor: Nullable(Type.Integer({ description: 'The catalogue price in minor units' })),
  currency: Type.String(),
  inStock: Type.Boolean({ description: 'Can be bought now, as the stock system last said' }),
})

export const ProductReviews = Type.Object(
  {
    product: ProductShown,
    summary: Type.Object({
      count: Type.Integer(),
      average: Nullable(Type.Number()),
      stars: Type.Record(Type.String(), Type.Integer(), { description: 'Published reviews per star, "1" to "5"' }),
      fit: Type.Object({ runs_small: Type.Integer(), true_to_size: Type.Integer(), runs_large: Type.Integer() }),
    }),
    reviews: Type.Array(Type.Unsafe({ $ref: 'Review' })),
  },
  { $id: 'ProductReviews' },
)

export const ReviewHistory = Type.Object({
  reviewId: Id,
  versions: Type.Array(
    Type.Object({ version: Type.Integer(), rating: Type.Integer(), title: Type.String(), bodyHtml: Html, fit: Nullable(Fit), writtenAt: Timestamp }),
    { description: 'Oldest first; the last is the review as it stands' },
  ),
})

export const ReplyInput = Type.Object({ body: Text({ minLength: 1, maxLength: 3000, description: 'Markdown' }) }, { additionalProperties: false })

export const QuestionInput = Type.Object(
  { body: Text({ minLength: 3, maxLength: 1000, description: 'The question, in Markdown' }) },
  { additionalProperties: false },
)
export const AnswerInput = Type.Object(
  { body: Text({ minLength: 1, maxLength: 3000, description: 'The answer, in Markdown' }) },
  { additionalProperties: false },
)
export const BestAnswer = Type.Object({ answerId: Id }, { additionalProperties: false })

export const Answer = Type.Object({
  answerId: Id,
  body: Type.String(),
  bodyHtml: Html,
  best: Type.Boolean({ description: 'The asker chose it as the best answer' }),
  status: Status,
  mine: Type.Boolean(),
  author: Type.Object({
    kind: Type.Union([Type.Literal('member'), Type.Literal('staff')]),
    name: Type.String({ description: 'A member’s public name, or the associate’s display name (never an email)' }),
    storeName: Nullable(Type.String({ description: 'The associate’s store' })),
    staffBadge: Type.Boolean({ description: 'Answered by one of our associates' }),
    boughtIt: Type.Boolean({ description: 'The member who answered bought this product' }),
    memberId: Type.Optional(Id),
  }),
  answeredAt: Timestamp,
})

export const Question = Type.Object(
  {
    questionId: Id,
    sku: Type.String(),
    productName: Type.String(),
    body: Type.String(),
    bodyHtml: Html,
    askedBy: Type.Object({ name: Type.String(), memberId: Type.Optional(Id) }),
    mine: Type.Boolean(),
    status: Status,
    askedAt: Timestamp,
    bestAnswerId: Nullable(Id),
    answers: Type.Array(Answer, { description: 'The best answer first, then oldest first' }),
  },
  { $id: 'Question' },
)

export const ProductQuestions = Type.Object(
  {
    product: ProductShown,
    mayAnswer: Type.Boolean({ description: 'The caller may answer: a member who bought the product (on any channel), or an associate' }),
    questions: Type.Array(Type.Unsafe({ $ref: 'Question' })),
  },
  { $id: 'ProductQuestions' },
)

export const ReviewImport = Type.Object(
  {
    csv: Text({
      minLength: 1,
      maxLength: 5_000_000,
      description: 'CSV with a header: sku, member (card:…, email:…, phone:… or a bare card number or email), rating, text, date; title optional',
    }),
  },
  { additionalProperties: false },
)
export const ReviewImportSummary = Type.Object({
  rows: Type.Integer(),
  imported: Type.Integer(),
  unchanged: Type.Integer({ description: 'Rows imported before: nothing changed' }),
  rejected: Type.Array(
    Type.Object({ line: Type.Integer({ description: 'The line in the file (the header is 1)' }), field: Type.String(), reason: Type.String() }),
  ),
})
