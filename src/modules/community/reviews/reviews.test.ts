import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRules, addStores, callersFor, enrol, sendActivity } from '../../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../../test/support/testing.js'
import { upsertProducts } from '../../activity/index.js'
import { tasteProfile } from '../../advisor/index.js'
import { setConsents } from '../../members/index.js'
import { balanceOf } from '../../rewards/index.js'
import { setModerationSettings } from '../moderation/index.js'
import { setReviewVisible } from './reviews.js'

describe('product reviews', () => {
  let t: TestApp
  let ids: Record<'ada' | 'bea' | 'cal', string>
  let as: Record<'ada' | 'bea' | 'cal' | 'sam' | 'manager' | 'till' | 'anon', Caller>
  const call = (caller: Caller, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) })
  const review = { rating: 5, title: 'Warm and soft', body: 'Wore it **all winter**. <script>alert(1)</script>', fit: 'runs_small' }

  beforeAll(async () => {
    t = await testApp()
    const stores = await addStores(t, [{ code: 'S01', name: 'Camden' }])
    await upsertProducts(t.deps.db, [
      { sku: 'SCARF', name: 'Wool scarf', priceMinor: 3500, currency: 'GBP', category: ['Accessories'], brand: 'Woolly' },
      { sku: 'MUG', name: 'Blue mug', priceMinor: 1200, currency: 'GBP', category: ['Home'] },
    ])
    const [ada, bea, cal] = await enrol(t, [
      { givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.test', card: 'C-ADA' },
      { givenName: 'Bea', familyName: 'Brown', card: 'C-BEA' },
      { givenName: 'Cal', familyName: 'Cole' },
    ])
    ids = { ada, bea, cal }
    await setConsents(t.deps.db, ada, { social_visibility: true, profiling: true }, t.deps.clock.now())
    as = {
      ...(await callersFor(t, {
        ada: { member: ada },
        bea: { member: bea },
        cal: { member: cal },
        sam: { role: 'associate', storeIds: [stores.S01] },
        manager: 'manager',
        till: { scopes: ['activity:write'] },
      })),
      anon: { headers: {} },
    }
    const admin = (await callersFor(t, { admin: 'admin' })).admin
    await addRules(t, admin, [
      { name: 'Reviews', when: { kinds: ['review_posted'] }, award: { flat: 40 }, explanation: '+{points} for your review of {product}' },
    ])
    // Ada bought the scarf in the shop; Bea never did.
    const bought = await sendActivity(t, as.till, {
      kind: 'purchase',
      member: { kind: 'card', value: 'C-ADA' },
      lines: [{ sku: 'SCARF', quantity: 1, unitPrice: 3500 }],
    })
    expect(bought.statusCode).toBe(201)
  })
  afterAll(() => t.close())

  it('publishes a member’s review with a verified purchase badge, safe HTML and their public name only', async () => {
    const before = (await balanceOf(t.deps.db, ids.ada)).available
    const posted = await call(as.ada, 'POST', '/products/SCARF/reviews', review)
    expect(posted.statusCode).toBe(201)
    expect(posted.json()).toMatchObject({
      rating: 5,
      title: 'Warm and soft',
      fit: 'runs_small',
      status: 'published',
      mine: true,
      author: { name: 'Ada L.', verifiedPurchase: true },
      edited: false,
    })
    expect(posted.json().bodyHtml).toContain('<strong>all winter</strong>')
    expect(posted.json().bodyHtml).not.toContain('<script')
    expect(posted.json().author.memberId).toBeUndefined()

    const page = await call(as.anon, 'GET', '/products/SCARF/reviews')
    expect(page.statusCode).toBe(200)
    expect(page.json().summary).toEqual({
      count: 1,
      average: 5,
      stars: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 },
      fit: { runs_small: 1, true_to_size: 0, runs_large: 0 },
    })
    // The product page's head: what it is, what it costs, whether it can be bought now.
    expect(page.json().product).toEqual({
      sku: 'SCARF',
      name: 'Wool scarf',
      brand: 'Woolly',
      category: ['Accessories'],
      priceMinor: 3500,
      currency: 'GBP',
      inStock: true,
    })
    expect(page.body).not.toContain('ada@example.test')
    expect(page.body).not.toContain('Lovelace')

    // Earned once through the programme's rules, and on her timeline.
    expect((await balanceOf(t.deps.db, ids.ada)).available - before).toBe(40)
    const timeline = (await call(as.ada, 'GET', '/me/timeline')).json()
    expect(timeline.items.filter((a: { kind: string }) => a.kind === 'review_posted')).toHaveLength(1)
    // The advisor now knows she likes it.
    const taste = await tasteProfile(t.deps, ids.ada)
    expect(taste.preferences).toMatchObject([{ kind: 'like', subjectKind: 'sku', subject: 'SCARF' }])
  })

  it('takes one review per member per product, and names an unknown product', async () => {
    const again = await call(as.ada, 'POST', '/products/SCARF/reviews', review)
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ type: '/problems/already-reviewed', detail: 'Each member writes one review per product: edit yours instead.' })
    const unknown = await call(as.bea, 'POST', '/products/NOPE/reviews', review)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().title).toBe('Product not found')
  })

  it('refuses bad input in words, naming the field', async () => {
    const bad = await call(as.bea, 'POST', '/products/MUG/reviews', { ...review, rating: 6 })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'body/rating' })])
  })

  it('lets only the author edit, keeping what it said before, and shows no badge to a member who never bought it', async () => {
    const bea = await call(as.bea, 'POST', '/products/SCARF/reviews', { rating: 2, title: 'Itchy', body: 'Too scratchy for me.' })
    expect(bea.json().author).toEqual({ name: 'A member', verifiedPurchase: false })
    const { reviewId } = bea.json()
    expect((await call(as.ada, 'PUT', `/reviews/${reviewId}`, { rating: 1, title: 'Mine now', body: 'x' })).statusCode).toBe(404)
    expect((await call(as.sam, 'PUT', `/reviews/${reviewId}`, { rating: 1, title: 'x', body: 'x' })).statusCode).toBe(403)
    const edited = await call(as.bea, 'PUT', `/reviews/${reviewId}`, { rating: 3, title: 'Itchy at first', body: 'Softens after a wash.' })
    expect(edited.json()).toMatchObject({ rating: 3, title: 'Itchy at first', edited: true })
    const history = await call(as.bea, 'GET', `/reviews/${reviewId}/history`)
    expect(history.json().versions.map((v: { title: string }) => v.title)).toEqual(['Itchy', 'Itchy at first'])
    expect((await call(as.ada, 'GET', `/reviews/${reviewId}/history`)).statusCode).toBe(404)
    expect((await call(as.sam, 'GET', `/reviews/${reviewId}/history`)).statusCode).toBe(200)
  })

  it('counts one helpful vote per member, never the author’s own', async () => {
    const [ada] = (await call(as.anon, 'GET', '/products/SCARF/reviews?order=highest')).json().reviews
    expect((await call(as.ada, 'PUT', `/reviews/${ada.reviewId}/helpful`)).json().type).toBe('/problems/own-review')
    await call(as.bea, 'PUT', `/reviews/${ada.reviewId}/helpful`)
    const twice = await call(as.bea, 'PUT', `/reviews/${ada.reviewId}/helpful`)
    expect(twice.json()).toMatchObject({ helpful: 1, votedHelpful: true })
    expect((await call(as.cal, 'PUT', `/reviews/${ada.reviewId}/helpful`)).json().helpful).toBe(2)
    expect((await call(as.cal, 'DELETE', `/reviews/${ada.reviewId}/helpful`)).json()).toMatchObject({ helpful: 1, votedHelpful: false })
    expect((await call(as.anon, 'PUT', `/reviews/${ada.reviewId}/helpful`)).statusCode).toBe(401)
  })

  it('lets staff reply as the store with their name and store, never their email; members may not', async () => {
    const [ada] = (await call(as.anon, 'GET', '/products/SCARF/reviews?order=highest')).json().reviews
    expect((await call(as.bea, 'POST', `/reviews/${ada.reviewId}/replies`, { body: 'Thanks!' })).statusCode).toBe(403)
    const replied = await call(as.sam, 'POST', `/reviews/${ada.reviewId}/replies`, { body: 'Glad it kept you warm, Ada!' })
    expect(replied.statusCode).toBe(201)
    expect(replied.json().replies).toMatchObject([{ authorName: 'Test associate', storeName: 'Camden', staffBadge: true, body: 'Glad it kept you warm, Ada!' }])
    expect(replied.body).not.toMatch(/@example\.test/)
    // Staff see whose review it is; members never do.
    expect(replied.json().author.memberId).toBe(ids.ada)
    expect((await call(as.bea, 'GET', '/products/SCARF/reviews')).body).not.toContain(ids.ada)
  })

  it('takes the points back when moderators hide a review in the queue, gives them back on restore', async () => {
    const [ada] = (await call(as.ada, 'GET', '/me/reviews')).json().items
    const before = (await balanceOf(t.deps.db, ids.ada)).available
    // The review is retailer-wide: an associate held to a store does not moderate it, a manager does, in the queue.
    expect((await call(as.sam, 'POST', `/moderation/items/review/${ada.reviewId}/hide`, {})).statusCode).toBe(404)
    expect((await call(as.manager, 'POST', `/moderation/items/review/${ada.reviewId}/hide`, { reason: 'Off topic' })).statusCode).toBe(200)
    expect((await balanceOf(t.deps.db, ids.ada)).available).toBe(before - 40)
    // Hiding twice takes nothing more; others no longer see it, its author does.
    await t.deps.db.transaction((tx) => setReviewVisible(t.deps, tx, ada.reviewId, false))
    expect((await balanceOf(t.deps.db, ids.ada)).available).toBe(before - 40)
    expect((await call(as.bea, 'GET', '/products/SCARF/reviews')).json().reviews.map((r: { reviewId: string }) => r.reviewId)).not.toContain(ada.reviewId)
    expect((await call(as.ada, 'GET', '/me/reviews')).json().items[0].status).toBe('hidden')
    expect((await tasteProfile(t.deps, ids.ada)).preferences).toEqual([])
    expect((await call(as.manager, 'POST', `/moderation/items/review/${ada.reviewId}/restore`, {})).statusCode).toBe(200)
    expect((await balanceOf(t.deps.db, ids.ada)).available).toBe(before)
    // Still one review_posted on her timeline: restoring never records it again.
    const timeline = (await call(as.ada, 'GET', '/me/timeline')).json()
    expect(timeline.items.filter((a: { kind: string }) => a.kind === 'review_posted')).toHaveLength(1)
  })

  it('holds a new member’s first review for a moderator: it earns nothing until it is published', async () => {
    await setModerationSettings(t.deps, undefined, { holdFirstPosts: 1, ratePosts: 20, rateMinutes: 10 })
    const posted = await call(as.cal, 'POST', '/products/MUG/reviews', { rating: 4, title: 'Nice blue', body: 'Holds a lot of tea.' })
    expect(posted.json().status).toBe('held')
    expect((await balanceOf(t.deps.db, ids.cal)).available).toBe(0)
    expect((await call(as.bea, 'GET', '/products/MUG/reviews')).json().reviews).toEqual([])
    const queue = (await call(as.manager, 'GET', '/moderation/queue')).json()
    expect(JSON.stringify(queue)).toContain('Review of Blue mug')
    expect((await call(as.manager, 'POST', `/moderation/items/review/${posted.json().reviewId}/restore`, {})).statusCode).toBe(200)
    expect((await balanceOf(t.deps.db, ids.cal)).available).toBe(40)
    expect((await call(as.bea, 'GET', '/products/MUG/reviews')).json().reviews).toHaveLength(1)
    await setModerationSettings(t.deps, undefined, { holdFirstPosts: 0, ratePosts: 20, rateMinutes: 10 })
  })

  it('keeps my reviews to me', async () => {
    expect((await call(as.sam, 'GET', '/me/reviews')).statusCode).toBe(403)
    expect((await call(as.cal, 'GET', '/me/reviews')).json().items.map((r: { sku: string }) => r.sku)).toEqual(['MUG'])
    expect((await call(as.anon, 'GET', '/me/reviews')).statusCode).toBe(401)
  })
})
