import { Type } from 'typebox'
import { Count, Id, Money, Nullable, NullableTimestamp, Text, Timestamp } from '../../../platform/http/schemas.js'

// What the ideas routes take and answer. The web app imports these types (a leaf: typebox and
// platform/http/schemas.ts only), so a field changed here fails its type check.

const L = Type.Literal
export const IdeaKind = Type.Union([L('product'), L('range'), L('service')])
export const IdeaScope = Type.Union([L('retailer'), L('region'), L('store'), L('category')])
export const IdeaStatus = Type.Union([L('new'), L('under_review'), L('planned'), L('in_stock'), L('declined'), L('merged')])
export const SettableStatus = Type.Union([L('under_review'), L('planned'), L('in_stock'), L('declined')])
const Step = Type.Union([L('would_buy'), L('pledge')])

export const NewIdea = Type.Object(
  {
    kind: IdeaKind,
    title: Text({ minLength: 4, maxLength: 120, description: 'What you would like, in a line' }),
    body: Text({ minLength: 1, maxLength: 4000, description: 'Why, and what it would be like' }),
    scope: IdeaScope,
    storeId: Type.Optional(Id),
    region: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
    category: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'The category it is about; purchases in it weigh votes' })),
  },
  { additionalProperties: false },
)

export const IdeaSummary = Type.Object(
  {
    id: Id,
    kind: IdeaKind,
    title: Type.String(),
    body: Type.String(),
    scope: IdeaScope,
    region: Nullable(Type.String()),
    storeId: Nullable(Id),
    storeName: Nullable(Type.String()),
    category: Nullable(Type.String()),
    status: IdeaStatus,
    statusReason: Nullable(Type.String()),
    support: Type.Number({ description: 'Weighted support: the sum of its voters’ weights' }),
    voters: Count(),
    createdAt: Timestamp,
    statusChangedAt: Timestamp,
    mergedInto: Nullable(Id),
    myVote: Type.Boolean(),
    following: Type.Boolean(),
    byMe: Type.Boolean(),
  },
  { $id: 'IdeaSummary' },
)

export const IdeasBoard = Type.Object({ ideas: Type.Array(IdeaSummary), nextOffset: Nullable(Type.Integer()) }, { $id: 'IdeasBoard' })

const Demand = Type.Object({
  priceMinor: Nullable(Type.Integer()),
  currency: Type.String(),
  size: Nullable(Type.String()),
  quantity: Type.Integer(),
  recordedAt: Timestamp,
})

export const IdeaPage = Type.Object(
  {
    idea: IdeaSummary,
    weight: Type.Object({
      inWords: Type.String({ description: 'The weight formula as members read it' }),
      formula: Type.Object({ base: Type.Number(), relationship: Type.Number(), purchases: Type.Number(), purchaseCap: Type.Integer() }),
      mine: Nullable(
        Type.Object({
          weight: Type.Number(),
          score: Nullable(Type.Integer({ description: 'My relationship score, 0–100' })),
          purchases: Type.Integer({ description: 'My verified purchases in the idea’s category' }),
        }),
      ),
    }),
    ladder: Type.Object({
      support: Type.Number(),
      steps: Type.Array(Type.Object({ step: Step, threshold: Type.Number(), open: Type.Boolean() })),
    }),
    demand: Type.Object({
      wouldBuy: Count(),
      pledges: Count(),
      pledgedUnits: Count(),
      medianPriceMinor: Nullable(Type.Integer()),
      currency: Nullable(Type.String()),
    }),
    history: Type.Array(Type.Object({ status: IdeaStatus, reason: Nullable(Type.String()), at: Timestamp })),
    products: Type.Array(Type.Object({ sku: Type.String(), name: Nullable(Type.String()), linkedAt: Timestamp })),
    comments: Type.Array(
      Type.Object({
        id: Id,
        body: Type.String(),
        createdAt: Timestamp,
        by: Type.Union([L('member'), L('staff')]),
        mine: Type.Boolean(),
        hidden: Type.Boolean(),
      }),
    ),
    mine: Nullable(
      Type.Object({
        vote: Nullable(Type.Object({ weight: Type.Number(), castAt: Timestamp, returned: Type.Boolean() })),
        following: Type.Boolean(),
        wouldBuy: Nullable(Demand),
        pledge: Nullable(Demand),
      }),
    ),
  },
  { $id: 'IdeaPage' },
)

export const Budget = Type.Object({ votes: Count(), used: Count(), left: Count(), period: Type.String() })
export const VoteResult = Type.Object({ support: Type.Number(), voters: Count(), weight: Type.Number(), budget: Budget, first: Type.Boolean() })
export const Counts = Type.Object({ support: Type.Number(), voters: Count() })

export const MyVotes = Type.Object(
  {
    budget: Budget,
    votes: Type.Array(
      Type.Object({
        ideaId: Id,
        title: Type.String(),
        status: IdeaStatus,
        weight: Type.Number(),
        period: Type.String(),
        castAt: Timestamp,
        returnedAt: NullableTimestamp,
      }),
    ),
  },
  { $id: 'MyVotes' },
)

export const NewComment = Type.Object({ body: Text({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false })

export const WouldBuy = Type.Object(
  {
    priceMinor: Money({ description: 'What you would pay, in minor units (pence, cents)' }),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    size: Type.Optional(Text({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
)
export const Pledge = Type.Object(
  {
    quantity: Type.Integer({ minimum: 1, maximum: 999 }),
    priceMinor: Type.Optional(Money()),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    size: Type.Optional(Text({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
)
export const DemandRecorded = Type.Object({ kind: Step, ...Demand.properties })

export const StatusChange = Type.Object(
  {
    status: SettableStatus,
    reason: Type.Optional(Text({ minLength: 1, maxLength: 1000, description: 'Needed to decline; shown to everyone who voted or followed' })),
    skus: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 100 }), { maxItems: 50, description: 'Products that answered it' })),
  },
  { additionalProperties: false },
)
export const StatusChanged = Type.Object({ idea: IdeaSummary, notified: Count({ description: 'Members told of the change' }) })
export const LinkProducts = Type.Object(
  { skus: Type.Array(Text({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
)
export const MergeIdea = Type.Object({ into: Id }, { additionalProperties: false })
export const IdeaMerged = Type.Object({ idea: IdeaSummary, carriedVotes: Count() })

export const Voters = Type.Object({
  voters: Type.Array(Type.Object({ memberId: Id, weight: Type.Number(), castAt: Timestamp, carriedFrom: Nullable(Id), returned: Type.Boolean() })),
})

const Term = Type.Object({ term: Type.String(), reviews: Count({ description: 'Reviews it appears in' }) })
const FindingPlace = { category: Nullable(Type.String()), storeId: Nullable(Id), region: Type.Optional(Nullable(Type.String())) }
export const DemandFinding = Type.Union([
  Type.Object(
    {
      ...FindingPlace,
      kind: L('poll'),
      pollId: Id,
      question: Type.String(),
      pollKind: Type.Union([L('single'), L('multiple'), L('pairwise')]),
      voices: Count({ description: 'Live members who answered' }),
      endsAt: Timestamp,
      options: Type.Array(
        Type.Object({
          label: Type.String(),
          score: Type.Number({ description: 'Pairwise: the chance it beats a random other option; classic: the share of voices choosing it (0–1)' }),
          low: Type.Number({ description: '95% interval' }),
          high: Type.Number(),
        }),
        { description: 'Best first' },
      ),
    },
    { description: 'What a poll’s voters chose' },
  ),
  Type.Object(
    {
      ...FindingPlace,
      kind: L('review_themes'),
      sku: Type.String(),
      product: Type.String(),
      reviews: Count(),
      lowRatings: Count({ description: '1–2★ reviews' }),
      highRatings: Count({ description: '4–5★ reviews' }),
      complaints: Type.Array(Term, { description: 'Terms in at least two 1–2★ reviews, more frequent there than in 4–5★ ones' }),
      praise: Type.Array(Term, { description: 'Terms in at least two 4–5★ reviews, more frequent there than in 1–2★ ones' }),
    },
    { description: 'What a product’s reviews complain of and praise' },
  ),
  Type.Object(
    { ...FindingPlace, kind: L('back_in_stock'), sku: Type.String(), product: Type.String(), members: Count({ description: 'Members waiting for it' }) },
    { description: 'A product out of stock that members wished for and have not bought' },
  ),
])

export const DemandFeed = Type.Object(
  {
    since: Timestamp,
    generatedAt: Timestamp,
    grain: Type.Union([L('category'), L('store'), L('region')]),
    sources: Type.Array(Type.String(), { description: 'The demand sources combined: ideas, wishlists, sales, and polls or reviews where they are installed' }),
    measures: Type.Array(Type.String()),
    rows: Type.Array(
      Type.Object({
        category: Nullable(Type.String()),
        storeId: Nullable(Id),
        storeCode: Nullable(Type.String()),
        storeName: Nullable(Type.String()),
        region: Nullable(Type.String()),
        currency: Type.String({ description: 'The currency of this row’s money measures (sales, price points), in minor units' }),
        measures: Type.Record(Type.String(), Type.Number(), {
          description:
            'ideas, idea_support, would_buy, would_buy_price, pledges, pledged_units, pledge_price, wishlist_adds, back_in_stock_requests, poll_voices, reviews, low_ratings, high_ratings, units_sold, sales, and other sources’ measures',
        }),
        findings: Type.Array(DemandFinding, { description: 'Poll results, products awaited back in stock and review themes at this place' }),
      }),
    ),
  },
  { $id: 'DemandFeed' },
)

export const LoopFigures = Type.Object(
  {
    since: Timestamp,
    answeredWithinDays: Type.Integer(),
    ideasShared: Count(),
    ideasDue: Count({ description: 'Ideas at least N days old: they all had the chance to be answered in time' }),
    answeredInTimeShare: Nullable(Type.Number({ description: 'Of the ideas due, the share answered within N days' })),
    answered: Count(),
    medianDaysToFirstAnswer: Nullable(Type.Number()),
    launched: Count(),
    becameProductsShare: Nullable(Type.Number()),
    currency: Type.String(),
    months: Type.Array(Type.Object({ month: Type.String(), ideasShared: Count(), answered: Count(), launched: Count(), salesMinor: Type.Integer() })),
  },
  { $id: 'LoopFigures' },
)

export const IdeaPlaces = Type.Object({
  stores: Type.Array(Type.Object({ id: Id, name: Type.String(), region: Nullable(Type.String()) })),
  regions: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
})
