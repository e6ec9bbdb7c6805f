import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { boughtProducts, listStores, type ProductName, productNames } from '../../activity/index.js'
import { learnFromRating } from '../../advisor/index.js'
import { publicNames } from '../../members/index.js'
import { notify } from '../notifications/index.js'
import type { fitFeedback } from './api-schemas.js'
import { type ParticipationDeps, recordParticipation, settlePoints } from './participation.js'
import { renderMarkdown } from './render.js'
import { productReviewReplies, productReviews, productReviewVersions, productReviewVotes } from './schema.js'
import { screen } from './screening.js'

export type Fit = (typeof fitFeedback)[number]
export interface ReviewInput {
  rating: number
  title: string
  body: string
  fit?: Fit | null
}

export class AlreadyReviewed extends DomainError {
  constructor(reviewId: string) {
    super(
      '/problems/already-reviewed',
      409,
      'You have already reviewed this product',
      { reviewId },
      'Each member writes one review per product: edit yours instead.',
    )
  }
}

export class OwnReview extends DomainError {
  constructor() {
    super('/problems/own-review', 409, 'You cannot vote for your own review', {}, 'Helpful votes are for other members’ reviews.')
  }
}

/** The product a review or question is about; an unknown sku is a 404 in words. */
export async function productOf(db: Db, sku: string) {
  const product = (await productNames(db, [sku])).get(sku)
  if (!product) throw new NotFound('Product', sku)
  return product
}

/** The product as its page (and the widget) shows it. */
export const productShown = (p: ProductName) => ({
  sku: p.sku,
  name: p.name,
  brand: p.brand,
  category: p.category,
  priceMinor: p.priceMinor,
  currency: p.currency,
  inStock: p.inStock,
})

/**
 * A member's review of a product: screened by moderation, published or held, and once published
 * its `review_posted` activity is recorded (earning whatever the rules say) and the advisor learns
 * from the rating. One per member per product (the unique index decides a race).
 */
export async function writeReview(deps: ParticipationDeps, memberId: string, sku: string, input: ReviewInput) {
  const product = await productOf(deps.db, sku)
  const id = newId()
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: productReviews.id })
      .from(productReviews)
      .where(and(eq(productReviews.sku, sku), eq(productReviews.memberId, memberId)))
    if (existing) throw new AlreadyReviewed(existing.id)
    const { status } = await screen(tx, deps, { kind: 'review', contentId: id, memberId, text: `${input.title}\n${input.body}` })
    const inserted = await tx
      .insert(productReviews)
      .values({ sku, id, memberId, rating: input.rating, title: input.title, body: input.body, fit: input.fit ?? null, status, postedAt: now })
      .onConflictDoNothing()
      .returning({ id: productReviews.id })
    if (inserted.length === 0) throw new AlreadyReviewed(id)
    if (status === 'published') await publishReview(deps, tx, { sku, id, memberId, rating: input.rating, productName: product.name })
  })
  return reviewById(deps.db, memberId, id)
}

/** First publication: the activity once (the guarded update), and the taste. */
async function publishReview(deps: ParticipationDeps, db: Db, review: { sku: string; id: string; memberId: string; rating: number; productName: string }) {
  const [fresh] = await queryRows<{ id: string }>(
    db,
    sql`update product_reviews set activity_id = ${newId()} where sku = ${review.sku} and id = ${review.id} and activity_id is null returning id`,
  )
  if (fresh) {
    const activityId = await recordParticipation(deps, db, {
      kind: 'review_posted',
      memberId: review.memberId,
      contentId: review.id,
      sku: review.sku,
      details: { reviewId: review.id, rating: review.rating, productName: review.productName },
    })
    await db
      .update(productReviews)
      .set({ activityId })
      .where(and(eq(productReviews.sku, review.sku), eq(productReviews.id, review.id)))
  }
  await learnFromRating(db, { memberId: review.memberId, sku: review.sku, rating: review.rating, at: deps.clock.now() })
}

/** The author's edit: the text before it is kept as a version; a new rating teaches the advisor again. */
export async function editReview(deps: ParticipationDeps, memberId: string, reviewId: string, input: ReviewInput) {
  await deps.db.transaction(async (tx) => {
    const [review] = await tx
      .select()
      .from(productReviews)
      .where(and(eq(productReviews.id, reviewId), eq(productReviews.memberId, memberId)))
      .for('update')
    // Someone else's review and no review are the same 404.
    if (!review) throw new NotFound('Review', reviewId)
    const { sku, version, rating, title, body, fit } = review
    await tx.insert(productReviewVersions).values({ sku, reviewId, version, memberId, rating, title, body, fit, writtenAt: review.editedAt ?? review.postedAt })
    await tx
      .update(productReviews)
      .set({
        rating: input.rating,
        title: input.title,
        body: input.body,
        fit: input.fit ?? null,
        version: sql`${productReviews.version} + 1`,
        editedAt: deps.clock.now(),
      })
      .where(and(eq(productReviews.sku, sku), eq(productReviews.id, reviewId)))
    // Screened again (a filtered word may hold it now); a held or hidden review teaches no taste.
    const { status } = await screen(tx, deps, { kind: 'review', contentId: reviewId, memberId, text: `${input.title}\n${input.body}` })
    if (status !== 'published' && review.status === 'published') await setReviewVisible(deps, tx, reviewId, false, status)
    else if (review.status === 'published') await learnFromRating(tx, { memberId, sku, rating: input.rating, at: deps.clock.now() })
  })
  return reviewById(deps.db, memberId, reviewId)
}

/**
 * Shows or hides a review (moderators, through the moderation queue). Hidden, it keeps no points
 * and teaches no taste; restored, it gets both back, and a review held from the start is
 * published for the first time (its activity recorded then, once).
 */
export async function setReviewVisible(deps: ParticipationDeps, db: Db, reviewId: string, visible: boolean, hiddenAs: 'hidden' | 'held' = 'hidden') {
  const [review] = await queryRows<{ sku: string; member_id: string; rating: number; status: string; activity_id: string | null }>(
    db,
    sql`select sku, member_id, rating, status, activity_id from product_reviews where id = ${reviewId} for update`,
  )
  if (!review) throw new NotFound('Review', reviewId)
  const status = visible ? 'published' : hiddenAs
  if (review.status === status || (!visible && review.status !== 'published')) return
  await db
    .update(productReviews)
    .set({ status })
    .where(and(eq(productReviews.sku, review.sku), eq(productReviews.id, reviewId)))
  const product = await productOf(db, review.sku)
  if (visible) {
    if (review.activity_id) await settlePoints(deps, db, review.member_id, review.activity_id, true, `your review of ${product.name} is shown again`)
    await publishReview(deps, db, { sku: review.sku, id: reviewId, memberId: review.member_id, rating: review.rating, productName: product.name })
  } else {
    if (review.activity_id)
      await settlePoints(deps, db, review.member_id, review.activity_id, false, `your review of ${product.name} was hidden by a moderator`)
    await learnFromRating(db, { memberId: review.member_id, sku: review.sku, rating: null, at: deps.clock.now() })
  }
}

/** One helpful vote per member; voting again changes nothing. */
export async function voteHelpful({ db, clock }: Pick<ParticipationDeps, 'db' | 'clock'>, memberId: string, reviewId: string, helpful: boolean) {
  const [review] = await db
    .select({ sku: productReviews.sku, memberId: productReviews.memberId })
    .from(productReviews)
    .where(and(eq(productReviews.id, reviewId), eq(productReviews.status, 'published')))
  if (!review) throw new NotFound('Review', reviewId)
  if (review.memberId === memberId) throw new OwnReview()
  if (helpful) await db.insert(productReviewVotes).values({ sku: review.sku, reviewId, memberId, votedAt: clock.now() }).onConflictDoNothing()
  else
    await db
      .delete(productReviewVotes)
      .where(and(eq(productReviewVotes.sku, review.sku), eq(productReviewVotes.reviewId, reviewId), eq(productReviewVotes.memberId, memberId)))
  return reviewById(db, memberId, reviewId)
}

/** The store's or brand's reply, signed with the associate's name and their store (never their email); its author is told. */
export async function replyToReview({ db, clock }: Pick<ParticipationDeps, 'db' | 'clock'>, staff: StaffPrincipal, reviewId: string, body: string) {
  const [review] = await db.select({ sku: productReviews.sku, memberId: productReviews.memberId }).from(productReviews).where(eq(productReviews.id, reviewId))
  if (!review) throw new NotFound('Review', reviewId)
  const storeName = await storeNameOf(db, staff)
  const product = await productOf(db, review.sku)
  const id = newId()
  await db.transaction(async (tx) => {
    await tx
      .insert(productReviewReplies)
      .values({ sku: review.sku, id, reviewId, authorUserId: staff.userId, authorName: staff.displayName, storeName, body, repliedAt: clock.now() })
    await notify(
      { db: tx, clock },
      {
        recipients: [{ memberId: review.memberId }],
        kind: 'reply',
        title: `${staff.displayName}${storeName ? ` at ${storeName}` : ''} replied to your review of ${product.name}`,
        body: body.length > 280 ? `${body.slice(0, 279)}…` : body,
        key: `review-reply:${id}`,
      },
    )
  })
  return reviewById(db, null, reviewId, { staff: true })
}

/** The first store a staff login works in, by name; null for retailer-wide staff ("the store"). */
export async function storeNameOf(db: Db, staff: StaffPrincipal): Promise<string | null> {
  if (staff.storeIds.length === 0) return null
  const stores = await listStores(db)
  return stores.find((s) => staff.storeIds.includes(s.id))?.name ?? null
}

type ReviewRow = typeof productReviews.$inferSelect

/** Reviews as a reader sees them: rendered text, author's public name, verified badge, votes, replies. */
export async function presentReviews(db: Db, rows: ReviewRow[], viewerId: string | null, { staff = false } = {}) {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [names, bought, votes, replies, products] = await Promise.all([
    publicNames(
      db,
      rows.map((r) => r.memberId),
    ),
    boughtProducts(
      db,
      rows.map((r) => ({ memberId: r.memberId, sku: r.sku })),
    ),
    queryRows<{ review_id: string; votes: number; mine: boolean }>(
      db,
      sql`select review_id, count(*)::int as votes, bool_or(member_id = ${viewerId ?? null}::uuid) as mine from product_review_votes
           where review_id = any(${sql.param(ids)}::uuid[]) group by review_id`,
    ),
    db.select().from(productReviewReplies).where(inArray(productReviewReplies.reviewId, ids)).orderBy(productReviewReplies.repliedAt),
    productNames(
      db,
      rows.map((r) => r.sku),
    ),
  ])
  const voteOf = new Map(votes.map((v) => [v.review_id, v]))
  return rows.map((r) => ({
    reviewId: r.id,
    sku: r.sku,
    productName: products.get(r.sku)?.name ?? r.sku,
    rating: r.rating,
    title: r.title,
    body: r.body,
    bodyHtml: renderMarkdown(r.body),
    fit: r.fit ?? null,
    author: { name: names.get(r.memberId) ?? 'A member', verifiedPurchase: bought.has(`${r.memberId}|${r.sku}`), ...(staff ? { memberId: r.memberId } : {}) },
    mine: viewerId === r.memberId,
    status: r.status,
    helpful: voteOf.get(r.id)?.votes ?? 0,
    votedHelpful: voteOf.get(r.id)?.mine ?? false,
    edited: r.version > 1,
    postedAt: r.postedAt.toISOString(),
    editedAt: r.editedAt?.toISOString() ?? null,
    replies: replies
      .filter((p) => p.reviewId === r.id)
      .map((p) => ({
        replyId: p.id,
        authorName: p.authorName,
        storeName: p.storeName,
        staffBadge: true as const,
        body: p.body,
        bodyHtml: renderMarkdown(p.body),
        repliedAt: p.repliedAt.toISOString(),
      })),
  }))
}

/** One review as its author (or staff) sees it; others see only published ones. */
export async function reviewById(db: Db, viewerId: string | null, reviewId: string, { staff = false } = {}) {
  const rows = await db.select().from(productReviews).where(eq(productReviews.id, reviewId))
  const row = rows.find((r) => staff || r.status === 'published' || r.memberId === viewerId)
  if (!row) throw new NotFound('Review', reviewId)
  const [review] = await presentReviews(db, [row], viewerId, { staff })
  return review
}

/** A member's own reviews, newest first, whatever their status. */
export async function myReviews(db: Db, memberId: string) {
  const rows = await db.select().from(productReviews).where(eq(productReviews.memberId, memberId)).orderBy(desc(productReviews.postedAt))
  return presentReviews(db, rows, memberId)
}

/** What a review said before each edit, oldest first (the author and staff). */
export async function reviewHistory(db: Db, viewer: { memberId: string } | { staff: true }, reviewId: string) {
  const [review] = await db.select().from(productReviews).where(eq(productReviews.id, reviewId))
  if (!review || ('memberId' in viewer && review.memberId !== viewer.memberId)) throw new NotFound('Review', reviewId)
  const versions = await db
    .select()
    .from(productReviewVersions)
    .where(and(eq(productReviewVersions.sku, review.sku), eq(productReviewVersions.reviewId, reviewId)))
    .orderBy(productReviewVersions.version)
  const shape = (v: { version: number; rating: number; title: string; body: string; fit: Fit | null }, at: Date) => ({
    version: v.version,
    rating: v.rating,
    title: v.title,
    bodyHtml: renderMarkdown(v.body),
    fit: v.fit ?? null,
    writtenAt: at.toISOString(),
  })
  return { reviewId, versions: [...versions.map((v) => shape(v, v.writtenAt)), shape(review, review.editedAt ?? review.postedAt)] }
}
