import { sql } from 'drizzle-orm'
import type { Principal } from '../../platform/auth/principal.js'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { type ActivityRow, announceActivities, type RecordedActivity, recordResolvedActivities, registerActivityKind } from '../activity/index.js'
import { type RuleDocument, saveReward, saveRule, saveTierSetup, type TierSetup } from '../rewards/index.js'

/** Engagement the demo retailer rewards besides buying: each an activity kind channels can send. */
export const participationKinds = [
  ['review', 'Wrote a review'],
  ['review_posted', 'Reviewed a product'],
  ['question_answered', 'Answered another shopper’s question'],
  ['idea_shared', 'Shared an idea for the shop'],
  ['co_shopping_session', 'Shopped live with friends'],
  ['referral_completed', 'Brought a friend who bought'],
  ['referred_welcome', 'Joined on a friend’s invitation'],
  ['profile_completed', 'Completed their profile'],
] as const

const rules: RuleDocument[] = [
  {
    name: 'Points on purchases',
    when: { kinds: ['purchase'] },
    award: { perCurrencyUnit: 1 },
    pendingDays: 30,
    explanation: '+{points} for your purchase at {store}',
  },
  {
    name: 'Coffee Tuesdays',
    description: 'An extra point a pound on coffee and tea every Tuesday',
    when: { kinds: ['purchase'], categories: ['Coffee & Tea'], weekdays: [2] },
    award: { perCurrencyUnit: 1 },
    pendingDays: 30,
    explanation: '+{points} Coffee Tuesday bonus on {product}',
  },
  {
    name: 'Dropping in',
    when: { kinds: ['store_visit'] },
    award: { flat: 5 },
    caps: { perMemberPerDay: 5 },
    explanation: '+{points} for dropping in at {store}',
  },
  {
    name: 'Reviews',
    // `review`: reviews a channel sends; `review_posted`: reviews written in Regulars (community).
    when: { kinds: ['review', 'review_posted'] },
    award: { flat: 40 },
    caps: { perMemberPerMonth: 200 },
    explanation: '+{points} for your review of {product}',
  },
  {
    name: 'Helping other shoppers',
    when: { kinds: ['question_answered'] },
    award: { flat: 20 },
    caps: { perMemberPerDay: 60 },
    explanation: '+{points} for answering a shopper’s question',
  },
  { name: 'Ideas', when: { kinds: ['idea_shared'] }, award: { flat: 30 }, caps: { perMemberPerMonth: 150 }, explanation: '+{points} for your idea' },
  {
    name: 'Shopping together',
    when: { kinds: ['co_shopping_session'] },
    award: { flat: 25 },
    caps: { perMemberPerDay: 50 },
    explanation: '+{points} for shopping with friends',
  },
  {
    name: 'Bringing a friend',
    when: { kinds: ['referral_completed'] },
    award: { flat: 200 },
    caps: { perMemberPerMonth: 1000 },
    explanation: '+{points} for bringing a friend',
  },
  { name: 'Welcome, friend', when: { kinds: ['referred_welcome'] }, award: { flat: 100 }, explanation: '+{points} welcome: a friend invited you' },
  {
    name: 'Complete profile',
    when: { kinds: ['profile_completed'], firstTimeOnly: true },
    award: { flat: 50 },
    explanation: '+{points} for completing your profile',
  },
]

const catalogue = [
  { name: '£5 off your next shop', description: 'A code for the web shop or any till', kind: 'discount_code' as const, cost: 500 },
  { name: 'Free bag of house coffee beans', description: '250 g, any roast', kind: 'free_product' as const, cost: 800, stock: 100 },
  { name: 'Early access to the winter sale', description: 'Shop the sale a day before everyone else', kind: 'experience' as const, cost: 300 },
  {
    name: 'Seat at the tasting evening',
    description: 'Coffee and cake with the roasters, in store',
    kind: 'experience' as const,
    cost: 1000,
    stock: 30,
    channels: ['store'],
  },
  {
    name: 'Styling session with an associate',
    description: 'An hour with one of our team',
    kind: 'experience' as const,
    cost: 1500,
    perMemberLimit: 1,
    channels: ['store'],
  },
]

export const demoTiers: TierSetup = {
  tiers: [
    { code: 'member', name: 'Member', threshold: 0, perks: ['Points on everything you buy and do with us'] },
    { code: 'regular', name: 'Regular', threshold: 400, perks: ['Early access to sales', 'Free coffee while you shop'] },
    {
      code: 'devoted',
      name: 'Devoted',
      threshold: 1500,
      perks: ['Half as many points again on purchases', 'A styling session each year', 'Invitations to tastings'],
    },
  ],
  policy: { spendWeight: 1, participationWeight: 2, windowMonths: 12, graceDays: 60 },
}

/** The demo's relationship programme: participation kinds, tiers, earning rules and a rewards catalogue. */
export async function seedProgramme(deps: Pick<Deps, 'db' | 'clock'>, actor: Principal) {
  await saveTierSetup(deps, demoTiers, actor)
  for (const [code, name] of participationKinds) await registerActivityKind(deps.db, code, name, deps.clock.now())
  for (const document of rules) await saveRule(deps, { document }, actor)
  for (const reward of catalogue) await saveReward(deps, reward, actor)
}

/** A few reviews by members of things they bought, so the programme rewards more than spend. */
export async function seedReviews(deps: Pick<Deps, 'db' | 'clock'>) {
  const bought = await queryRows<{ member_id: string; sku: string; name: string; occurred_at: Date }>(
    deps.db,
    sql`select distinct on (a.member_id) a.member_id, l.sku, p.name, a.occurred_at
          from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id join products p on p.sku = l.sku
         where a.kind = 'purchase' and abs(hashtext(a.member_id::text)) % 4 = 0
         order by a.member_id, a.occurred_at desc`,
  )
  const reviews: ActivityRow[] = bought.map((b) => ({
    id: newId(),
    memberId: b.member_id,
    kind: 'review',
    channel: 'web',
    storeId: null,
    occurredAt: new Date(new Date(b.occurred_at).getTime() + 3 * 86_400_000),
    recordedAt: deps.clock.now(),
    source: 'demo',
    idempotencyKey: `review:${b.member_id}`,
    details: { sku: b.sku, productName: b.name, rating: 4 + (b.sku.charCodeAt(b.sku.length - 1) % 2) },
  }))
  await recordResolvedActivities(
    deps.db,
    reviews.filter((r) => r.occurredAt < deps.clock.now()),
    [],
  )
}

/** Runs the programme over the demo history as if it had been live, so members have points to show. */
export async function earnOnHistory(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>) {
  const activities = await queryRows<RecordedActivity & { lines: RecordedActivity['lines'] | null }>(
    deps.db,
    sql`select a.id, a.member_id as "memberId", a.kind, a.channel, a.store_id as "storeId", a.occurred_at as "occurredAt", a.order_ref as "orderRef",
               a.return_of as "returnOf", a.total_minor as "totalMinor", a.details,
               (select json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPriceMinor', l.unit_price_minor, 'discountMinor', l.discount_minor))
                  from activity_lines l where l.member_id = a.member_id and l.activity_id = a.id) as lines
          from activities a order by a.occurred_at`,
  )
  for (let i = 0; i < activities.length; i += 2000) {
    const chunk = activities.slice(i, i + 2000).map((a) => ({ ...a, occurredAt: new Date(a.occurredAt), lines: a.lines ?? [] }))
    await deps.db.transaction((tx) => announceActivities({ ...deps, db: tx }, chunk, deps.clock.now()))
  }
}

const teamNames = ['Priya', 'Tom', 'Aisha', 'Ben', 'Chloe', 'Dev', 'Ella', 'Femi', 'Grace', 'Hugo']

/**
 * Two associates a store (the demo associate login is one of the first store's), and who served a
 * till order: the same order always names the same associate.
 */
export function demoTeam(storeCodes: string[], demoAssociate: string) {
  const associates = storeCodes.flatMap((store, i) =>
    [0, 1].map((k) => {
      const email = i === 0 && k === 0 ? demoAssociate : `${teamNames[(2 * i + k) % teamNames.length].toLowerCase()}.${store.toLowerCase()}@demo.regulars.dev`
      return { store, email, displayName: i === 0 && k === 0 ? 'Sam Associate' : `${teamNames[(2 * i + k) % teamNames.length]} (${store})` }
    }),
  )
  return {
    associates,
    servedBy(store: string, orderId: string) {
      const here = associates.filter((a) => a.store === store)
      let hash = 0
      for (const c of orderId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0
      return here.length ? here[hash % here.length].email : null
    },
  }
}

/** Regulars who take part: answers, ideas and shopping with friends, spread over their last year. */
export async function seedParticipation(deps: Pick<Deps, 'db' | 'clock'>, memberIds: string[]) {
  const now = deps.clock.now().getTime()
  const kinds = ['question_answered', 'idea_shared', 'co_shopping_session'] as const
  const rows: ActivityRow[] = []
  memberIds.forEach((memberId, i) => {
    for (let k = 0; k < 1 + (i % 4); k++) {
      const kind = kinds[(i + k) % kinds.length]
      rows.push({
        id: newId(),
        memberId,
        kind,
        channel: kind === 'co_shopping_session' ? 'app' : 'web',
        storeId: null,
        occurredAt: new Date(now - ((i * 37 + k * 91) % 330) * 86_400_000 - 3_600_000),
        recordedAt: deps.clock.now(),
        source: 'demo',
        idempotencyKey: `${kind}:${memberId}:${k}`,
        details: {},
      })
    }
  })
  await recordResolvedActivities(deps.db, rows, [])
}
