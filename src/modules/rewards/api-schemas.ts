import { type Static, Type } from 'typebox'
import { Id, Int, Nullable, NullableTimestamp, Ref, Text, Timestamp, timestampPattern } from '../../platform/http/schemas.js'
import { ruleAwards, ruleConditions, ruleFields } from './rule-vocabulary.js'
import { tierFields, tierPolicyFields } from './tier-vocabulary.js'

// What the rewards routes take and answer. The web app imports these types (a leaf: typebox,
// platform/http/schemas.ts and the *-vocabulary.ts files only), so a field changed here fails its type check.

export const RewardKind = Type.Union([Type.Literal('discount_code'), Type.Literal('free_product'), Type.Literal('experience')])

const { channels, stores, categories, brands, minSpend, weekdays, tiers } = ruleConditions
const { perCurrencyUnit, flat, multiplier } = ruleAwards

/**
 * An earning rule as admins write it: when it applies and what it awards. Validated by this schema
 * (the rule builder checks the same bounds, from rule-vocabulary.ts), versioned, and evaluated by a
 * pure function so a draft can be replayed against past activity without writing anything.
 */
export const RuleDocument = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: ruleFields.name.maxLength }),
    description: Type.Optional(Text({ maxLength: ruleFields.description.maxLength })),
    when: Type.Object(
      {
        kinds: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{1,49}$' }), {
          minItems: 1,
          maxItems: ruleFields.kinds.maxItems,
          description: 'Activity kinds: purchase, store_visit, review…',
        }),
        channels: Type.Optional(Type.Array(Text({ maxLength: 50 }), { minItems: 1, maxItems: channels.maxItems })),
        stores: Type.Optional(Type.Array(Text({ maxLength: 50 }), { minItems: 1, maxItems: stores.maxItems, description: 'Store codes' })),
        categories: Type.Optional(
          Type.Array(Text({ maxLength: 100 }), {
            minItems: 1,
            maxItems: categories.maxItems,
            description: 'Category names; a line counts when its category path contains one',
          }),
        ),
        brands: Type.Optional(Type.Array(Text({ maxLength: 100 }), { minItems: 1, maxItems: brands.maxItems })),
        minSpend: Type.Optional(
          Type.Integer({
            minimum: minSpend.minimum,
            maximum: minSpend.maximum,
            description: 'Minor units: only when the matching lines come to at least this, after discounts',
          }),
        ),
        weekdays: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: weekdays.maxItems, description: '0 is Sunday' })),
        hours: Type.Optional(
          Type.Object(
            {
              from: Type.Integer({ minimum: ruleFields.hoursFrom.minimum, maximum: ruleFields.hoursFrom.maximum }),
              to: Type.Integer({ minimum: ruleFields.hoursTo.minimum, maximum: ruleFields.hoursTo.maximum }),
            },
            { additionalProperties: false },
          ),
        ),
        firstTimeOnly: Type.Optional(Type.Boolean({ description: 'Only the first time a member earns from this rule' })),
        tiers: Type.Optional(
          Type.Array(Text({ maxLength: 50 }), {
            minItems: 1,
            maxItems: tiers.maxItems,
            description: 'Tier codes: a tier benefit, e.g. a multiplier for the top tier',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    award: Type.Object(
      {
        perCurrencyUnit: Type.Optional(
          Type.Number({
            minimum: perCurrencyUnit.minimum,
            maximum: perCurrencyUnit.maximum,
            description: 'Points per pound (or euro…) of matching lines, after discounts',
          }),
        ),
        flat: Type.Optional(Type.Integer({ minimum: flat.minimum, maximum: flat.maximum })),
        multiplier: Type.Optional(
          Type.Number({ minimum: multiplier.minimum, maximum: multiplier.maximum, description: 'Multiplies the points other rules give the same activity' }),
        ),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
    caps: Type.Optional(
      Type.Object(
        {
          perActivity: Type.Optional(Int({ minimum: 1 })),
          perMemberPerDay: Type.Optional(Int({ minimum: 1 })),
          perMemberPerMonth: Type.Optional(Int({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    pendingDays: Type.Optional(
      Type.Integer({
        minimum: ruleFields.pendingDays.minimum,
        maximum: ruleFields.pendingDays.maximum,
        description: 'Hold the points this many days (a return window) before they can be spent',
      }),
    ),
    explanation: Text({
      minLength: 1,
      maxLength: ruleFields.explanation.maxLength,
      description: 'What the member reads; {points}, {product}, {store} and {kind} are filled in',
    }),
  },
  { additionalProperties: false, $id: 'RuleDocument' },
)
export type RuleDocument = Static<typeof RuleDocument>

export const Points = Type.Object(
  {
    available: Type.Integer({ description: 'Spendable now' }),
    pending: Type.Integer({ description: 'Held until purchases’ return windows close' }),
    reserved: Type.Integer({ description: 'Held by a till for a reward being redeemed' }),
    owed: Type.Integer({ description: 'Zero or below: points taken back by returns after they were spent; the next earnings pay it off' }),
    lifetimeEarned: Type.Integer(),
    expiringSoon: Type.Array(Type.Object({ points: Type.Integer(), expiresAt: Timestamp })),
  },
  { $id: 'Points' },
)
export const PointsHistory = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Id,
        kind: Type.String(),
        occurredAt: Timestamp,
        explanation: Type.String(),
        points: Type.Integer({ description: 'What the entry changed for the member: available, pending and owed together (never 0)' }),
        pendingUntil: NullableTimestamp,
        available: Type.Integer(),
        pending: Type.Integer(),
        rule: Nullable(Type.Object({ id: Id, version: Nullable(Type.Integer()) })),
      }),
    ),
  },
  { $id: 'PointsHistory' },
)
export const RewardInput = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Text({ maxLength: 500 })),
    kind: RewardKind,
    cost: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    stock: Type.Optional(Nullable(Int({ minimum: 0 }))),
    perMemberLimit: Type.Optional(Nullable(Int({ minimum: 1 }))),
    channels: Type.Optional(Type.Array(Text({ maxLength: 50 }), { maxItems: 50, description: 'Where it can be redeemed; empty for everywhere' })),
    active: Type.Optional(Type.Boolean()),
    validFrom: Type.Optional(Nullable(Type.String({ format: 'date-time', pattern: timestampPattern, description: 'Redeemable from then; empty for at once' }))),
    validUntil: Type.Optional(
      Nullable(Type.String({ format: 'date-time', pattern: timestampPattern, description: 'Redeemable until then (not including); empty for no end' })),
    ),
    tiers: Type.Optional(
      Type.Array(Text({ minLength: 1, maxLength: 50 }), { maxItems: 20, description: 'Tier codes whose members may redeem it; empty for everyone' }),
    ),
    imageUrl: Type.Optional(Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 1000, description: 'A picture of it, by http(s) URL' }))),
  },
  { additionalProperties: false },
)
export const Reward = Type.Object(
  {
    id: Id,
    name: Type.String(),
    description: Type.String(),
    kind: RewardKind,
    cost: Type.Integer(),
    stock: Nullable(Type.Integer()),
    perMemberLimit: Nullable(Type.Integer()),
    channels: Type.Array(Type.String()),
    active: Type.Boolean(),
    validFrom: NullableTimestamp,
    validUntil: NullableTimestamp,
    tiers: Type.Array(Type.String()),
    imageUrl: Nullable(Type.String()),
  },
  { $id: 'Reward' },
)
export const Redemption = Type.Object(
  {
    id: Id,
    memberId: Id,
    rewardId: Id,
    points: Type.Integer(),
    status: Type.String(),
    channel: Type.String(),
    storeCode: Nullable(Type.String()),
    code: Nullable(Type.String({ description: 'The discount code, for discount rewards' })),
    reservedAt: Timestamp,
    expiresAt: NullableTimestamp,
  },
  { $id: 'Redemption' },
)
/** The catalogue at the till for one member: what they can have now, why not otherwise, and their open holds. */
export const TillRewards = Type.Object(
  {
    available: Type.Integer({ description: 'Points the member can spend now' }),
    rewards: Type.Array(
      Type.Object({
        ...Reward.properties,
        redeemable: Type.Boolean({ description: 'The member can have it at this till now' }),
        reason: Nullable(Type.String({ description: 'Why not, in words: "Needs 60 more points", "Out of stock"' })),
      }),
    ),
    holds: Type.Array(
      Type.Object({
        id: Id,
        rewardId: Id,
        rewardName: Type.String(),
        points: Type.Integer(),
        storeCode: Nullable(Type.String()),
        reservedAt: Timestamp,
        expiresAt: NullableTimestamp,
      }),
      { description: 'Points held for a reward at one of your stores, waiting to be confirmed or cancelled' },
    ),
  },
  { $id: 'TillRewards' },
)
/** A redemption as the member who made it sees it: with the reward's name, the code and when a hold lapses. */
export const MyRedemption = Type.Object(
  {
    id: Id,
    rewardId: Id,
    rewardName: Type.String(),
    rewardKind: Nullable(RewardKind),
    points: Type.Integer(),
    status: Type.Union([Type.Literal('reserved'), Type.Literal('confirmed'), Type.Literal('cancelled'), Type.Literal('expired')], {
      description: 'reserved: held at a till until expiresAt; confirmed: spent (a code is ready to use); cancelled or expired: the points went back',
    }),
    channel: Type.String(),
    storeCode: Nullable(Type.String()),
    code: Nullable(Type.String({ description: 'The discount code, for discount rewards' })),
    reservedAt: Timestamp,
    expiresAt: NullableTimestamp,
    decidedAt: NullableTimestamp,
  },
  { $id: 'MyRedemption' },
)
export const MyRedemptions = Type.Object({ items: Type.Array(Ref(MyRedemption)) })
export const Rule = Type.Object(
  {
    id: Id,
    version: Type.Integer(),
    status: Type.String(),
    document: Ref(RuleDocument),
    startsAt: NullableTimestamp,
    endsAt: NullableTimestamp,
    createdAt: Timestamp,
    createdBy: Type.String(),
  },
  { $id: 'Rule' },
)

const { code, name: tierName, threshold, perks } = tierFields
const policyField = (field: keyof typeof tierPolicyFields, description: string) =>
  Type.Integer({ minimum: tierPolicyFields[field].minimum, maximum: tierPolicyFields[field].maximum, description })
export const TierSetup = Type.Object(
  {
    tiers: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: `^[a-z][a-z0-9_]{1,${code.maxLength - 1}}$` }),
          name: Text({ minLength: 1, maxLength: tierName.maxLength }),
          threshold: Int({ minimum: threshold.minimum, description: 'Relationship score needed' }),
          perks: Type.Array(Text({ maxLength: perks.maxLength }), { maxItems: perks.maxItems }),
        },
        { additionalProperties: false },
      ),
      { minItems: tierFields.tiers.minItems, maxItems: tierFields.tiers.maxItems },
    ),
    policy: Type.Object(
      {
        spendWeight: policyField('spendWeight', 'Score per pound spent (net of returns) in the window'),
        participationWeight: policyField('participationWeight', 'Score per point earned for anything but buying'),
        windowMonths: policyField('windowMonths', 'The score counts over this many months'),
        graceDays: policyField('graceDays', 'How long a member keeps a tier after falling below it'),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'TierSetup' },
)
export const MemberTier = Type.Object(
  {
    tier: Type.String(),
    name: Type.String(),
    perks: Type.Array(Type.String()),
    score: Type.Integer(),
    since: NullableTimestamp,
    downgradeAt: NullableTimestamp,
    next: Nullable(Type.Object({ tier: Type.String(), name: Type.String(), threshold: Type.Integer(), needed: Type.Integer() })),
    highest: Type.Boolean({ description: 'The member holds the highest of several tiers (never true of a one-tier programme)' }),
    history: Type.Array(Type.Object({ from: Nullable(Type.String()), to: Type.String(), score: Type.Integer(), at: Timestamp })),
  },
  { $id: 'MemberTier' },
)

const DryRunFigures = Type.Object({
  activitiesAwarded: Type.Integer({ description: 'Activities it would have given points for' }),
  membersAffected: Type.Integer(),
  points: Type.Integer(),
  value: Type.Object(
    { minor: Type.Integer(), currency: Type.String() },
    { description: 'The points in money, at what a point costs the programme (REGULARS_POINT_VALUE_MINOR)' },
  ),
  topMembers: Type.Array(Type.Object({ memberId: Id, points: Type.Integer() })),
})
/** A dry run: what a draft would have given over a period, beside what the rule's current version would have. */
export const Simulation = Type.Object(
  {
    days: Type.Number({ description: 'The length of the period in days' }),
    from: Timestamp,
    to: Timestamp,
    activitiesReplayed: Type.Integer(),
    ...DryRunFigures.properties,
    current: Nullable(
      Type.Object(
        { version: Type.Integer(), status: Type.String(), ...DryRunFigures.properties },
        { description: 'The same replay of the rule’s current version (when ruleId names a rule)' },
      ),
    ),
  },
  { $id: 'Simulation' },
)
/** What the rule builder's lists hold: every value a condition can take today. */
export const RuleChoices = Type.Object(
  {
    kinds: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    channels: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    stores: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    categories: Type.Array(Type.String(), { description: 'Every category name the catalogue’s products carry, at any level' }),
    brands: Type.Array(Type.String()),
    tiers: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
    currency: Type.String(),
    pointValueMinor: Type.Number({ description: 'What one point costs the programme, in minor units' }),
  },
  { $id: 'RuleChoices' },
)
export const TierEvaluation = Type.Object({ evaluated: Type.Integer(), upgraded: Type.Integer(), downgraded: Type.Integer(), inGrace: Type.Integer() })
export const MyReferral = Type.Object({
  code: Type.String(),
  friends: Type.Array(Type.Object({ name: Type.String(), status: Type.String(), claimedAt: Timestamp })),
})
export const ReferralTree = Type.Object({
  items: Type.Array(
    Type.Object({ memberId: Id, name: Type.String(), referrerId: Id, referrerName: Type.String(), status: Type.String(), claimedAt: Timestamp }),
  ),
})
export const LedgerReport = Type.Object({
  liability: Type.Object({ available: Type.Integer(), pending: Type.Integer(), reserved: Type.Integer(), owed: Type.Integer() }),
  months: Type.Array(
    Type.Object({ month: Type.String(), issued: Type.Integer(), redeemed: Type.Integer(), expired: Type.Integer(), adjusted: Type.Integer() }),
  ),
})
