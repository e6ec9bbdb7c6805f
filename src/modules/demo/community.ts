import { sql } from 'drizzle-orm'
import type { StaffPrincipal } from '../../platform/auth/caller.js'
import type { Principal } from '../../platform/auth/principal.js'
import { fixedClock } from '../../platform/clock.js'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import {
  addWordFilter,
  answerPoll,
  answerQuestion,
  askQuestion,
  castVote,
  changeStatus,
  choosePair,
  createIdea,
  createPoll,
  deliverNotifications,
  followIdea,
  getIdeaSettings,
  recordDemand,
  replyToReview,
  reportContent,
  saveIdeaSettings,
  visibleIdea,
  writeReview,
} from '../community/index.js'

type CommunityDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>
const day = 86_400_000

/** What members said of a product, low ratings and high: themes come out of them as the feed counts them (docs/community.md). */
const said: [number, string, string][] = [
  [5, 'Lovely quality', 'Lovely quality and great value. Would buy again.'],
  [2, 'Arrived damaged', 'The box arrived damaged and the packaging was flimsy. Poor value for the price.'],
  [4, 'Great value', 'Great value, lovely quality and quick to arrive.'],
  [1, 'Not worth it', 'Poor value for the price, and mine arrived damaged.'],
  [5, 'Perfect gift', 'Bought it as a present: lovely quality, beautifully wrapped.'],
  [3, 'Fine', 'Does the job, nothing more.'],
  [4, 'Really good', 'Great value for everyday use.'],
  [2, 'Disappointed', 'Smaller than the picture suggests and the packaging was flimsy.'],
]

/**
 * The community of a shop that has listened for a while, written through the community's own
 * services as members and staff would (screened, recorded on timelines, earning, notifying): reviews
 * with a store reply, questions answered by a member and by an associate, ideas at every status and
 * ladder stage with weighted votes, a poll and a "which do you prefer?" survey, a post waiting in
 * the moderation queue, and the notifications all of that sends. Each thing is dated in the last
 * weeks (a clock of its own), so the pages read like a living shop.
 */
export async function seedCommunity(
  deps: CommunityDeps,
  { showcase, associate, admin }: { showcase: string; associate: StaffPrincipal; admin: StaffPrincipal },
) {
  const now = deps.clock.now().getTime()
  const at = (daysAgo: number, minutes = 0) => ({ ...deps, clock: fixedClock(new Date(now - daysAgo * day + minutes * 60_000)) })
  const store = associate.storeIds[0]
  // The products most bought, with their buyers (verified purchases), and who shops at the associate's store.
  const top = await queryRows<{ sku: string; name: string; category: string[]; buyers: string[] }>(
    deps.db,
    sql`select p.sku, p.name, p.category, (array_agg(distinct l.member_id::text))[1:12] as buyers
          from activity_lines l join products p on p.sku = l.sku
         where l.quantity > 0 and l.member_id <> ${showcase}
         group by p.sku, p.name, p.category order by count(distinct l.member_id) desc, p.sku limit 3`,
  )
  const locals = (
    await queryRows<{ id: string }>(
      deps.db,
      sql`select id from members where home_store_id = ${store} and merged_into is null and id <> ${showcase} order by joined_at, id limit 24`,
    )
  ).map((r) => r.id)
  if (top.length < 3 || locals.length < 16) return

  // Reviews: eight of the first product, five of the second, three of the third; the showcase member reviews the first too.
  const reviewIds: string[] = []
  for (const [p, product] of top.entries()) {
    const count = [5, 4, 2][p]
    for (let i = 0; i < count && i < product.buyers.length; i++) {
      const [rating, title, body] = said[(i + p * 3) % said.length]
      const review = await writeReview(at(40 - i * 4 - p, p), product.buyers[i], product.sku, { rating, title, body })
      reviewIds.push(review.reviewId)
    }
  }
  const mine = await writeReview(at(12), showcase, top[0].sku, { rating: 5, title: 'My favourite', body: 'Lovely quality, I buy it every month.' })
  await replyToReview(at(11), associate, mine.reviewId, 'Thank you! We have more coming in on Friday.')
  await replyToReview(at(30), associate, reviewIds[1], 'Sorry it reached you damaged: bring it to any of our shops and we will swap it.')

  // Questions: the showcase member's, answered by a member who bought it and by the associate; and one waiting for staff.
  const member = (memberId: string): Principal => ({
    kind: 'member',
    userId: memberId,
    displayName: 'Member',
    memberId,
    via: 'session',
    sessionId: 'demo',
    csrfSecret: '',
  })
  const question = await askQuestion(at(9), showcase, top[0].sku, 'Does it come gift wrapped?')
  await answerQuestion(at(8), member(top[0].buyers[0]), question.questionId, 'Mine came in a lovely box, ready to give.')
  await answerQuestion(at(8, 30), associate, question.questionId, 'Yes: ask at the till and we wrap it for free.')
  await askQuestion(at(2), top[1].buyers[0], top[1].sku, 'Is there a larger size?')

  // Ideas: the associate's store's thresholds are low enough that a neighbourhood's votes climb the ladder.
  const defaults = await getIdeaSettings(deps.db)
  await saveIdeaSettings(deps, { ...defaults, ladder: { ...defaults.ladder, store: { wouldBuy: 3, pledge: 6 } } }, admin)
  const settings = await getIdeaSettings(deps.db)
  const category = top[0].category[0] ?? null
  const ideas = [
    { who: showcase, daysAgo: 35, votes: 6, status: 'planned', title: 'Oat milk for the coffee bar', kind: 'product', scope: 'store', storeId: store },
    { who: locals[0], daysAgo: 28, votes: 3, status: 'under_review', title: 'A refill station for beans and grains', kind: 'service', scope: 'retailer' },
    { who: locals[1], daysAgo: 25, votes: 2, status: 'in_stock', title: `More of the ${top[1].name}`, kind: 'range', scope: 'retailer', skus: [top[1].sku] },
    { who: locals[2], daysAgo: 21, votes: 2, status: 'declined', title: 'Open until ten on Saturdays', kind: 'service', scope: 'store', storeId: store },
    {
      who: locals[3],
      daysAgo: 6,
      votes: 3,
      status: 'new',
      title: `A gift box of ${category ?? 'favourites'}`,
      kind: 'range',
      scope: category ? 'category' : 'retailer',
      category,
    },
  ] as const
  let voter = 4
  for (const idea of ideas) {
    const id = await createIdea(at(idea.daysAgo), idea.who, {
      kind: idea.kind,
      title: idea.title,
      body: 'Several of us have asked at the till: it would bring us in more often.',
      scope: idea.scope,
      ...('storeId' in idea ? { storeId: idea.storeId } : {}),
      ...('category' in idea && idea.category ? { category: idea.category } : {}),
    })
    const voters = [idea.who, ...locals.slice(voter, voter + idea.votes - 1)]
    voter = 4 + ((voter - 4 + idea.votes) % (locals.length - 4))
    for (const [i, v] of voters.entries()) await castVote(at(idea.daysAgo - 1, i), v, id)
    if (idea.who !== showcase && idea.status !== 'new') await followIdea(at(idea.daysAgo - 1), showcase, await visibleIdea(deps.db, id, undefined))
    if (idea.status === 'planned') {
      const row = await visibleIdea(deps.db, id, undefined)
      for (const [i, v] of voters.slice(0, 3).entries())
        await recordDemand(at(idea.daysAgo - 2, i), settings, v, row, 'would_buy', { priceMinor: 320 + i * 20, size: 'Regular' })
      for (const [i, v] of voters.slice(0, 2).entries()) await recordDemand(at(idea.daysAgo - 2, 10 + i), settings, v, row, 'pledge', { quantity: 2 + i })
    }
    if (idea.status === 'new') continue
    const staff = idea.scope === 'store' ? associate : admin
    if (idea.status !== 'under_review') await changeStatus(at(idea.daysAgo - 3), staff, await visibleIdea(deps.db, id, undefined), { status: 'under_review' })
    await changeStatus(at(idea.daysAgo - 5), staff, await visibleIdea(deps.db, id, undefined), {
      status: idea.status,
      ...(idea.status === 'declined' ? { reason: 'Our lease ends at eight on Saturdays; we are asking the landlord.' } : {}),
      ...('skus' in idea ? { skus: [...idea.skus] } : {}),
    })
  }

  // A classic poll for everyone and a pairwise survey of the first product's range.
  const poll = await createPoll(
    at(14),
    {
      kind: 'single',
      question: 'What should we stock more of next season?',
      scope: 'retailer',
      endsAt: new Date(now + 14 * day).toISOString(),
      options: ['Local makers', 'Refills', 'Gift sets', 'Organic basics'],
    },
    admin.userId,
  )
  for (const [i, v] of locals.slice(0, 8).entries()) await answerPoll(at(13, i), poll.id, v, [poll.options[[0, 0, 1, 2, 0, 3, 1, 0, 2][i % 9]].id])
  const survey = await createPoll(
    at(10),
    {
      kind: 'pairwise',
      question: 'Which would you rather find on our shelves?',
      scope: 'retailer',
      endsAt: new Date(now + 21 * day).toISOString(),
      options: ['Single-origin beans', 'Seasonal blends', 'Decaf that tastes of something', 'Cold brew cans'],
    },
    admin.userId,
  )
  const strength = [4, 2, 3, 1]
  const pairs = [
    [0, 1],
    [2, 3],
    [0, 2],
    [1, 3],
  ]
  for (const [i, v] of locals.slice(0, 6).entries())
    for (const [a, b] of pairs.slice(i % 2, 2 + (i % 2))) {
      // Mostly the stronger option, sometimes the other: people differ.
      const winner = strength[a] > strength[b] !== ((i + a) % 4 === 0) ? a : b
      await choosePair(at(9, i), survey.id, v, { optionA: survey.options[a].id, optionB: survey.options[b].id, winnerId: survey.options[winner].id })
    }

  // The moderation queue: a question held by the admin's word filter, and a review a member reported.
  await addWordFilter(at(20), admin, { term: 'refund*', action: 'hold' })
  await askQuestion(at(1), locals[5], top[2].sku, 'Mine broke in a week, how do I get a refund?')
  await reportContent(at(3), locals[6], { kind: 'review', contentId: reviewIds[3], reason: 'misleading', note: 'This is not the product in the photo.' })
  await deliverNotifications(deps)
}
