import { Type } from 'typebox'
import { Count, Nullable } from '../../platform/http/schemas.js'

// What the insights routes answer. The web app imports the types of these (type-only), so a field
// changed here fails its type check: this file imports typebox and platform/http/schemas.ts only.

export const segmentNames = ['new', 'relationship_driven', 'fluctuating', 'price_driven', 'lapsed'] as const
export type SegmentName = (typeof segmentNames)[number]
export const Segment = Type.Enum(segmentNames)

export const Overview = Type.Object(
  {
    members: Type.Integer(),
    activeMembers90d: Type.Integer(),
    repeatRate: Type.Number({ minimum: 0, maximum: 1 }),
    salesByMonth: Type.Array(Type.Object({ month: Type.String(), salesMinor: Type.Integer(), orders: Type.Integer(), members: Type.Integer() })),
    channelMix: Type.Array(Type.Object({ channel: Type.String(), members: Type.Integer(), salesMinor: Type.Integer() })),
    storeSales: Type.Array(Type.Object({ storeCode: Type.String(), storeName: Type.String(), salesMinor: Type.Integer(), orders: Type.Integer() })),
    currency: Type.String(),
  },
  { $id: 'InsightsOverview' },
)

const SalesFigures = Type.Object({
  salesMinor: Type.Integer({ description: 'Every sale, linked to a member or not, net of returns' }),
  orders: Type.Integer(),
  averageOrderMinor: Nullable(Type.Integer()),
  memberOrders: Type.Integer(),
  memberSalesMinor: Type.Integer(),
  captureRate: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Share of orders linked to a member' })),
})
export const SalesSummary = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  lastYear: Type.Object({ from: Type.String(), to: Type.String() }),
  monthToDate: Type.Boolean({ description: 'No period asked for: this month so far' }),
  current: SalesFigures,
  previous: SalesFigures,
  currency: Type.String(),
})

export const ScorecardFigures = Type.Object({
  membersServed: Type.Integer(),
  returningMembers: Type.Integer({ description: 'Served on two or more days in the period' }),
  orders: Type.Integer(),
  salesMinor: Type.Integer(),
  storeVisits: Type.Integer(),
  averageScore: Nullable(Type.Integer()),
  relationshipDriven: Type.Integer(),
  conversations: Type.Integer({ description: 'Conversations logged (associates, stores)' }),
  notes: Type.Integer({ description: 'Notes written (associates, stores)' }),
  suggestionsAccepted: Type.Integer({ description: 'Conversations that ended in a suggestion taken or a purchase' }),
})

/** The figures a manager may set a monthly target for. */
export const targetFigures = [
  'membersServed',
  'returningMembers',
  'orders',
  'salesMinor',
  'storeVisits',
  'conversations',
  'notes',
  'suggestionsAccepted',
] as const
export type TargetFigure = (typeof targetFigures)[number]
export const TargetFigureSchema = Type.Enum(targetFigures)
const Targets = Type.Object(
  Object.fromEntries(targetFigures.map((f) => [f, Type.Optional(Type.Integer())])) as Record<
    TargetFigure,
    ReturnType<typeof Type.Optional<ReturnType<typeof Type.Integer>>>
  >,
  {
    description: 'Monthly targets a manager set, per figure (sales in minor units)',
  },
)

export const Scorecard = Type.Object(
  {
    dimension: Type.String(),
    period: Type.Object({ from: Type.String(), to: Type.String() }),
    previous: Type.Object({ from: Type.String(), to: Type.String() }),
    rows: Type.Array(
      Type.Object({
        key: Type.String(),
        name: Type.String(),
        detail: Nullable(Type.String()),
        current: ScorecardFigures,
        previous: ScorecardFigures,
        targets: Targets,
      }),
    ),
  },
  { $id: 'Scorecard' },
)

export const ScorecardTarget = Type.Object({
  id: Type.String(),
  dimension: Type.Union([Type.Literal('store'), Type.Literal('associate')]),
  key: Type.String(),
  name: Type.String({ description: 'The store or the associate' }),
  store: Type.String({ description: 'Store code' }),
  figure: TargetFigureSchema,
  monthly: Type.Integer(),
})
export const ScorecardTargets = Type.Object({ items: Type.Array(ScorecardTarget) })

export const SegmentMix = Type.Object({
  quarter: Nullable(Type.String()),
  refreshedAt: Nullable(Type.String()),
  segments: Type.Array(Segment),
  mix: Type.Array(Type.Object({ segment: Segment, members: Type.Integer() })),
  byQuarter: Type.Array(
    Type.Object({ quarter: Type.String(), new: Count(), relationship_driven: Count(), fluctuating: Count(), price_driven: Count(), lapsed: Count() }),
  ),
  transitions: Type.Array(Type.Object({ from: Type.Union([Segment, Type.Literal('none')]), to: Segment, members: Type.Integer() })),
  thresholds: Type.Object({
    priceShare: Type.Number(),
    participationBelow: Type.Integer(),
    lookbackQuarters: Type.Integer(),
    lapsedAfterQuarters: Type.Integer(),
  }),
})

const N = Type.Number()
export const Models = Type.Object(
  {
    bgnbd: Type.Optional(
      Type.Object({ r: N, alpha: N, a: N, b: N, logLikelihood: N, customers: Type.Integer() }, { description: 'BG/NBD: purchase rates and drop-out' }),
    ),
    gammaGamma: Type.Optional(Type.Object({ p: N, q: N, gamma: N, logLikelihood: N, customers: Type.Integer() }, { description: 'Gamma-Gamma: spend' })),
  },
  { description: 'The value models the last full refresh fitted; empty until there is enough repeat buying' },
)

export const ValueSummary = Type.Object({
  refreshedAt: Nullable(Type.String()),
  models: Models,
  buyers: Type.Integer(),
  oneTimeBuyers: Type.Integer({ description: 'Buyers with no repeat purchase yet: P(alive) says nothing of them, so it leaves them out' }),
  oneTimeDrifting: Type.Integer({ description: 'One-time buyers away twice their store’s usual gap between purchases' }),
  totalClvMinor: Type.Integer(),
  averageClvMinor: Type.Integer(),
  averagePAlive: Type.Number({ description: 'Of repeat buyers' }),
  expectedPurchases: Type.Integer(),
  atRisk: Type.Integer({ description: 'Top-quarter value, probability alive under 0.5; one-time buyers: a top-quarter basket, away twice the usual gap' }),
  clvBuckets: Type.Array(Type.Object({ fromMinor: Type.Integer(), toMinor: Nullable(Type.Integer()), members: Type.Integer() })),
  pAliveBuckets: Type.Array(Type.Object({ from: Type.Number(), to: Type.Number(), members: Type.Integer() })),
})

const Curve = Type.Array(Nullable(Type.Number()), { description: 'Share of the cohort who bought N months after joining (null: too young)' })
export const RetentionSummary = Type.Object({
  refreshedAt: Nullable(Type.String()),
  months: Type.Integer(),
  byJoinMonth: Type.Array(Type.Object({ cohort: Type.String(), members: Type.Integer(), retained: Curve })),
  byChannel: Type.Array(Type.Object({ channel: Type.String(), members: Type.Integer(), retained: Curve })),
  repeatRate: Type.Number(),
  medianDaysBetweenPurchases: Nullable(Type.Integer()),
  omniVsSingle: Type.Array(
    Type.Object({
      group: Type.Union([Type.Literal('omni'), Type.Literal('single')]),
      members: Type.Integer(),
      averageSpendMinor: Type.Integer(),
      averageOrders: Type.Number(),
      repeatRate: Type.Number(),
      active90d: Type.Number(),
      averageScore: Type.Integer(),
    }),
  ),
})

export const ScoreSummary = Type.Object({
  averageScore: Type.Integer(),
  parts: Type.Record(Type.String(), Type.Number()),
  spread: Type.Array(Type.Object({ from: Type.Integer(), to: Type.Integer(), members: Type.Integer() })),
  trend: Type.Array(Type.Object({ month: Type.String(), averageScore: Type.Integer(), members: Type.Integer() })),
})

export const InsightMember = Type.Object({
  memberId: Type.String(),
  name: Type.String(),
  homeStore: Nullable(Type.String()),
  segment: Nullable(Segment),
  score: Type.Integer(),
  pAlive: Nullable(Type.Number({ description: 'Null for one-time buyers: BG/NBD says 1 for anyone without a repeat purchase' })),
  oneTimeBuyer: Type.Boolean(),
  clvMinor: Nullable(Type.Integer()),
  orders: Type.Integer(),
  spendMinor: Type.Integer(),
  lastPurchaseAt: Nullable(Type.String()),
  email: Nullable(Type.String({ description: 'Only when the member allows marketing by email' })),
  phone: Nullable(Type.String({ description: 'Only when the member allows marketing by text message' })),
})
export const InsightMemberList = Type.Object({ total: Type.Integer(), items: Type.Array(InsightMember) })

export const MemberFigures = Type.Object({
  refreshedAt: Nullable(Type.String()),
  score: Nullable(Type.Integer()),
  parts: Nullable(Type.Record(Type.String(), Type.Number())),
  segment: Nullable(Segment),
  pAlive: Nullable(Type.Number({ description: 'Null for one-time buyers: BG/NBD says 1 for anyone without a repeat purchase' })),
  oneTimeBuyer: Type.Boolean({ description: 'Bought on one day only' }),
  lastPurchaseAt: Nullable(Type.String()),
  drifting: Type.Boolean({ description: '"Valuable, drifting", as the dashboard counts it' }),
  expectedPurchases: Nullable(Type.Number()),
  clvMinor: Nullable(Type.Integer()),
  channels: Type.Integer(),
  orders12m: Type.Integer(),
  spend12mMinor: Type.Integer(),
  segments: Type.Array(
    Type.Object({
      quarter: Type.String(),
      segment: Segment,
      lean: Nullable(Type.String()),
      orders: Type.Integer(),
      promoShare: Nullable(Type.Number()),
      participation: Type.Integer(),
    }),
  ),
  scoreHistory: Type.Array(Type.Object({ month: Type.String(), score: Type.Integer() })),
})

export const RefreshResult = Type.Object({ kind: Type.String(), asOf: Type.String(), members: Type.Integer(), seconds: Type.Number(), models: Models })
