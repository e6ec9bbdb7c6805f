import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, enrol } from '../../../../test/support/shop.js'
import { type TestApp, testApp } from '../../../../test/support/testing.js'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { queryRows } from '../../../platform/db/index.js'
import { categoriesBoughtBy, upsertProducts } from '../../activity/index.js'
import { mergeMembers, unmergeMembers } from '../../identity/index.js'
import { createIdea, ideasNear, visibleIdea } from './ideas.js'
import { recordDemand } from './ladder.js'
import { defaultIdeaSettings, saveIdeaSettings, weightInWords } from './settings.js'
import { changeStatus, ideaAudience, mergeIdeas } from './status.js'
import { budgetOf, castVote, withdrawVote } from './votes.js'

const admin: StaffPrincipal = {
  kind: 'staff',
  userId: '00000000-0000-7000-8000-000000000001',
  displayName: 'Ada Admin',
  role: 'admin',
  storeIds: [],
  via: 'session',
  sessionId: 's',
  csrfSecret: 'c',
}

let t: TestApp
let stores: Record<string, string>
const idea = (memberId: string, extra: Partial<Parameters<typeof createIdea>[2]> = {}) =>
  createIdea(t.deps, memberId, { kind: 'product', title: 'Oat milk flat whites', body: 'Please stock oat milk.', scope: 'retailer', ...extra })
const support = async (ideaId: string) => (await visibleIdea(t.deps.db, ideaId, undefined)).support / 100
const activityKinds = (memberId: string) =>
  queryRows<{ kind: string; n: number }>(
    t.deps.db,
    sql`select kind, count(*)::int as n from activities where member_id = ${memberId} group by kind order by kind`,
  )

beforeAll(async () => {
  t = await testApp('2026-12-03T10:00:00Z')
  stores = await addStores(t, [{ code: 'S01', name: 'Camden', region: 'London' }])
  await upsertProducts(t.deps.db, [{ sku: 'BEANS-1', name: 'House beans', category: ['Coffee', 'Beans'], priceMinor: 900 }])
}, 180_000) // a loaded machine takes longer than the default minute to start the app
afterAll(() => t.close())

/** A member with a relationship score and purchases of coffee (verified: recorded activity). */
async function shopper(score: number | null, coffeePurchases: number) {
  const [memberId] = await enrol(t, [{ givenName: 'Shopper' }])
  if (score !== null) {
    await t.deps.db.execute(sql`insert into member_insights (member_id, as_of, score, parts, joined_month, channels, orders, spend_minor)
                                values (${memberId}, now(), ${score}, '{}', '2026-01-01', 1, 0, 0)`)
  }
  for (let i = 0; i < coffeePurchases; i++) {
    const id = crypto.randomUUID()
    await t.deps.db.execute(sql`insert into activities (id, member_id, kind, channel, store_id, occurred_at, recorded_at, source, idempotency_key)
                                values (${id}, ${memberId}, 'purchase', 'store', ${stores.S01}, now(), now(), 'test', ${id})`)
    await t.deps.db.execute(
      sql`insert into activity_lines (member_id, activity_id, line_no, sku, quantity, unit_price_minor) values (${memberId}, ${id}, 1, 'BEANS-1', 1, 900)`,
    )
  }
  return memberId
}

describe('ideas near a member', () => {
  it('shows a category idea to members who buy in that category, at any level of its path, and to nobody else', async () => {
    const [author, newcomer, coffeeBuyer] = [await shopper(null, 0), await shopper(null, 0), await shopper(null, 1)]
    const coffee = await idea(author, { scope: 'category', category: 'Coffee', title: 'Single-origin coffee of the month' })
    const beans = await idea(author, { scope: 'category', category: 'beans', title: 'Decaf beans' })
    const tea = await idea(author, { scope: 'category', category: 'Tea', title: 'Loose-leaf tea' })
    const near = async (memberId: string) =>
      (await ideasNear(t.deps.db, { kind: 'member', memberId } as never, [], await categoriesBoughtBy(t.deps.db, memberId), 100)).map((n) => n.idea.id)
    expect(await near(coffeeBuyer)).toEqual(expect.arrayContaining([coffee, beans]))
    expect(await near(coffeeBuyer)).not.toContain(tea)
    for (const id of [coffee, beans, tea]) expect(await near(newcomer)).not.toContain(id)
  })
})

describe('weighted votes', () => {
  it('weighs a vote by the relationship score and verified purchases in the idea’s category, as the words say', async () => {
    const [author, newcomer, regular] = [await shopper(null, 0), await shopper(null, 0), await shopper(80, 10)]
    const coffee = await idea(author, { scope: 'category', category: 'coffee' })
    expect((await castVote(t.deps, newcomer, coffee)).weight).toBe(1)
    // 1 + 1 × 80/100 + 1 × min(10, 5)/5 = 2.8
    expect((await castVote(t.deps, regular, coffee)).weight).toBe(2.8)
    expect(await support(coffee)).toBe(3.8)
    expect(weightInWords(defaultIdeaSettings)).toMatch(/^Members who shop with us count more; one person, one voice across all their cards and accounts/)
    // Purchases of coffee do not weigh on an idea about another category.
    const tea = await idea(author, { scope: 'category', category: 'Tea' })
    expect((await castVote(t.deps, regular, tea)).weight).toBe(1.8)
  })

  it('counts a person once however many of their accounts vote, and keeps one vote when two voters are merged', async () => {
    const [a, b, author] = [await shopper(null, 0), await shopper(50, 0), await shopper(null, 0)]
    const ideaId = await idea(author)
    await castVote(t.deps, a, ideaId)
    await castVote(t.deps, b, ideaId)
    expect(await support(ideaId)).toBe(2.5)
    const merge = await mergeMembers(t.deps, b, a, admin)
    expect(await support(ideaId)).toBe(1.5) // b's vote stays, a's is the same person's second
    expect((await visibleIdea(t.deps.db, ideaId, undefined)).voters).toBe(1)
    // a's old card now votes as b: nothing changes.
    const again = await castVote(t.deps, a, ideaId)
    expect(again).toMatchObject({ support: 1.5, voters: 1, first: false })
    await unmergeMembers(t.deps, merge.id, admin)
    expect(await support(ideaId)).toBe(2.5)
  })

  it('records idea_shared and vote_cast on the timeline once, however often the vote is taken back and cast again', async () => {
    const [author, voter] = [await shopper(null, 0), await shopper(null, 0)]
    const ideaId = await idea(author)
    await castVote(t.deps, voter, ideaId)
    await withdrawVote(t.deps, voter, ideaId)
    await castVote(t.deps, voter, ideaId)
    await castVote(t.deps, voter, ideaId)
    expect(await activityKinds(author)).toEqual([{ kind: 'idea_shared', n: 1 }])
    expect(await activityKinds(voter)).toEqual([{ kind: 'vote_cast', n: 1 }])
    expect(await support(ideaId)).toBe(1)
  })
})

describe('vote budgets', () => {
  it('refuses a vote past the budget, and gives the votes back when an idea closes', async () => {
    await saveIdeaSettings(t.deps, { ...defaultIdeaSettings, budget: { votes: 2, period: 'month' } }, admin)
    const [voter, author] = [await shopper(null, 0), await shopper(null, 0)]
    const [one, two, three] = [await idea(author), await idea(author), await idea(author)]
    await castVote(t.deps, voter, one)
    await castVote(t.deps, voter, two)
    await expect(castVote(t.deps, voter, three)).rejects.toMatchObject({ type: '/problems/vote-budget-spent', status: 409 })
    expect(await budgetOf(t.deps, voter)).toEqual({ votes: 2, used: 2, left: 0, period: '2026-12' })
    await changeStatus(t.deps, admin, await visibleIdea(t.deps.db, one, undefined), { status: 'declined', reason: 'Our supplier stopped making it' })
    expect(await budgetOf(t.deps, voter)).toMatchObject({ used: 1, left: 1 })
    expect(await support(one)).toBe(1) // a closed idea keeps the support it had
    await castVote(t.deps, voter, three)
    await expect(castVote(t.deps, voter, one)).rejects.toMatchObject({ type: '/problems/idea-closed' })
    await saveIdeaSettings(t.deps, defaultIdeaSettings, admin)
  })

  it('lets only one of two racing votes take the last vote in the budget', async () => {
    await saveIdeaSettings(t.deps, { ...defaultIdeaSettings, budget: { votes: 1, period: 'week' } }, admin)
    const [voter, author] = [await shopper(null, 0), await shopper(null, 0)]
    const ideas = [await idea(author), await idea(author), await idea(author)]
    const results = await Promise.allSettled(ideas.map((i) => castVote(t.deps, voter, i)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await budgetOf(t.deps, voter)).toMatchObject({ used: 1, left: 0, period: '2026-W49' })
    await saveIdeaSettings(t.deps, defaultIdeaSettings, admin)
  })
})

describe('statuses and merging duplicate ideas', () => {
  it('keeps the history and tells everyone who voted or followed, once each', async () => {
    const [author, voter, follower, withdrew] = [await shopper(null, 0), await shopper(null, 0), await shopper(null, 0), await shopper(null, 0)]
    const ideaId = await idea(author)
    await castVote(t.deps, voter, ideaId)
    await castVote(t.deps, author, ideaId)
    await castVote(t.deps, withdrew, ideaId)
    await withdrawVote(t.deps, withdrew, ideaId)
    await t.deps.db.execute(sql`insert into idea_follows (idea_id, member_id, since) values (${ideaId}, ${follower}, now())`)
    expect(await ideaAudience(t.deps.db, ideaId)).toEqual([author, voter, follower].sort())
    await changeStatus(t.deps, admin, await visibleIdea(t.deps.db, ideaId, undefined), { status: 'under_review' })
    const { notified } = await changeStatus(t.deps, admin, await visibleIdea(t.deps.db, ideaId, undefined), { status: 'in_stock', skus: ['BEANS-1'] })
    expect(notified).toHaveLength(3)
    const sent = await queryRows<{ payload: { title: string; recipients: { memberId: string }[] } }>(
      t.deps.db,
      sql`select payload from outbox_events where topic = 'community.notification' and payload->>'link' = ${`/ideas/${ideaId}`} order by id`,
    )
    expect(sent.map((e) => e.payload.title)).toEqual(['“Oat milk flat whites” is under review', '“Oat milk flat whites” is in stock now'])
    expect(sent[1].payload.recipients.map((r) => r.memberId).sort()).toEqual([author, voter, follower].sort())
    const history = await queryRows<{ status: string }>(t.deps.db, sql`select status from idea_status_changes where idea_id = ${ideaId} order by at, id`)
    expect(history.map((h) => h.status)).toEqual(['new', 'under_review', 'in_stock'])
    await expect(changeStatus(t.deps, admin, await visibleIdea(t.deps.db, ideaId, undefined), { status: 'planned' })).rejects.toMatchObject({
      type: '/problems/idea-closed',
    })
  })

  it('carries votes over to the idea kept without counting a person twice, and gives the doubled vote back', async () => {
    const [both, onlyDuplicate, onlyKept, author] = [await shopper(null, 0), await shopper(60, 0), await shopper(null, 0), await shopper(null, 0)]
    const [kept, duplicate] = [await idea(author), await idea(author, { title: 'Oat milk please' })]
    for (const m of [both, onlyKept]) await castVote(t.deps, m, kept)
    for (const m of [both, onlyDuplicate]) await castVote(t.deps, m, duplicate)
    expect(await support(kept)).toBe(2)
    const budgetBefore = (await budgetOf(t.deps, both)).used
    const merged = await mergeIdeas(t.deps, admin, await visibleIdea(t.deps.db, duplicate, undefined), await visibleIdea(t.deps.db, kept, undefined))
    expect(merged.carriedVotes).toBe(1)
    expect(merged.idea).toMatchObject({ support: 360, voters: 3 }) // 1 + 1 + 1.6, in hundredths
    expect((await budgetOf(t.deps, both)).used).toBe(budgetBefore - 1)
    expect((await budgetOf(t.deps, onlyDuplicate)).used).toBe(1)
    expect(await visibleIdea(t.deps.db, duplicate, undefined)).toMatchObject({ status: 'merged', mergedInto: kept })
  })
})

describe('the demand ladder', () => {
  it('opens “I’d buy it” and pledges at the scope’s thresholds', async () => {
    await saveIdeaSettings(t.deps, { ...defaultIdeaSettings, ladder: { ...defaultIdeaSettings.ladder, store: { wouldBuy: 2, pledge: 3 } } }, admin)
    const settings = { ...defaultIdeaSettings, ladder: { ...defaultIdeaSettings.ladder, store: { wouldBuy: 2, pledge: 3 } } }
    const [a, b, c] = [await shopper(null, 0), await shopper(null, 0), await shopper(null, 0)]
    const ideaId = await idea(a, { scope: 'store', storeId: stores.S01 })
    await castVote(t.deps, a, ideaId)
    await expect(recordDemand(t.deps, settings, a, await visibleIdea(t.deps.db, ideaId, undefined), 'would_buy', { priceMinor: 450 })).rejects.toMatchObject({
      type: '/problems/ladder-step-closed',
    })
    await castVote(t.deps, b, ideaId)
    const wish = await recordDemand(t.deps, settings, b, await visibleIdea(t.deps.db, ideaId, undefined), 'would_buy', { priceMinor: 450, size: 'large' })
    expect(wish).toMatchObject({ priceMinor: 450, currency: 'GBP', size: 'large' })
    await expect(recordDemand(t.deps, settings, b, await visibleIdea(t.deps.db, ideaId, undefined), 'pledge', { quantity: 2 })).rejects.toMatchObject({
      status: 409,
    })
    await castVote(t.deps, c, ideaId)
    expect(await recordDemand(t.deps, settings, c, await visibleIdea(t.deps.db, ideaId, undefined), 'pledge', { quantity: 2 })).toMatchObject({ quantity: 2 })
    await saveIdeaSettings(t.deps, defaultIdeaSettings, admin)
  })

  it('refuses ladder settings whose pledge step comes before “I’d buy it”', async () => {
    const bad = { ...defaultIdeaSettings, ladder: { ...defaultIdeaSettings.ladder, region: { wouldBuy: 50, pledge: 10 } } }
    await expect(saveIdeaSettings(t.deps, bad, admin)).rejects.toMatchObject({
      type: '/problems/invalid-idea-settings',
      details: { errors: [{ field: 'body/ladder/region/pledge' }] },
    })
  })
})
