import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, memberIdIfAny, myMemberId, staffOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, Ref, Text } from '../../../platform/http/schemas.js'
import { ProductReviews, ReplyInput, Review, ReviewHistory, ReviewImport, ReviewImportSummary, ReviewInput } from './api-schemas.js'
import { importReviews } from './import.js'
import { productReviewsPage } from './product-page.js'
import { editReview, myReviews, replyToReview, reviewHistory, voteHelpful, writeReview } from './reviews.js'

const Sku = Type.Object({ sku: Text({ minLength: 1, maxLength: 100 }) })
const ReviewParams = Type.Object({ reviewId: Id })
const Order = Type.Object({
  order: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('helpful'), Type.Literal('highest'), Type.Literal('lowest')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})

/** Reviews: anyone reads a product's; members write, edit and vote on their own; staff reply (moderators hide and restore through the moderation queue). */
export const reviewRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  for (const schema of [Review, ProductReviews]) app.addSchema(schema)
  const tags = ['reviews']
  const anyone = { access: { public: true as const } }
  const member = { access: { member: true as const } }
  const staff = { access: { staff: 'associate' as const } }

  app.get(
    '/products/:sku/reviews',
    {
      config: anyone,
      schema: {
        tags,
        summary: 'A product’s published reviews with their summary (a signed-in member also sees their own)',
        params: Sku,
        querystring: Order,
        response: { 200: Ref(ProductReviews) },
      },
    },
    async (request) => productReviewsPage(deps.db, request.params.sku, memberIdIfAny(request), request.query),
  )
  app.post(
    '/products/:sku/reviews',
    {
      config: member,
      schema: { tags, summary: 'Review a product (one review per member per product)', params: Sku, body: ReviewInput, response: { 201: Ref(Review) } },
    },
    async (request, reply) => reply.code(201).send(await writeReview(deps, myMemberId(request), request.params.sku, request.body)),
  )
  app.put(
    '/reviews/:reviewId',
    {
      config: member,
      schema: { tags, summary: 'Edit my review (what it said before is kept)', params: ReviewParams, body: ReviewInput, response: { 200: Ref(Review) } },
    },
    async (request) => editReview(deps, myMemberId(request), request.params.reviewId, request.body),
  )
  app.get(
    '/reviews/:reviewId/history',
    {
      config: { access: { member: true as const, staff: 'associate' as const } },
      schema: { tags, summary: 'What a review said before each edit (its author and staff)', params: ReviewParams, response: { 200: ReviewHistory } },
    },
    async (request) => {
      const caller = callerOf(request)
      return reviewHistory(deps.db, caller.kind === 'member' ? { memberId: caller.memberId } : { staff: true }, request.params.reviewId)
    },
  )
  app.put(
    '/reviews/:reviewId/helpful',
    { config: member, schema: { tags, summary: 'Mark a review helpful (once per member)', params: ReviewParams, response: { 200: Ref(Review) } } },
    async (request) => voteHelpful(deps, myMemberId(request), request.params.reviewId, true),
  )
  app.delete(
    '/reviews/:reviewId/helpful',
    { config: member, schema: { tags, summary: 'Take my helpful vote back', params: ReviewParams, response: { 200: Ref(Review) } } },
    async (request) => voteHelpful(deps, myMemberId(request), request.params.reviewId, false),
  )
  app.post(
    '/reviews/:reviewId/replies',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Reply as the store or brand (shown with my name and store)',
        params: ReviewParams,
        body: ReplyInput,
        response: { 201: Ref(Review) },
      },
    },
    async (request, reply) => reply.code(201).send(await replyToReview(deps, staffOf(request), request.params.reviewId, request.body.body)),
  )
  app.get(
    '/me/reviews',
    { config: member, schema: { tags, summary: 'My reviews, whatever their status', response: { 200: Type.Object({ items: Type.Array(Ref(Review)) }) } } },
    async (request) => ({ items: await myReviews(deps.db, myMemberId(request)) }),
  )
  app.post(
    '/reviews/import',
    {
      config: { access: { staff: 'admin', scopes: ['activity:write'] } },
      schema: {
        tags,
        summary: 'Import existing reviews from a CSV: each bad row refused with its reason, a row imported before changes nothing',
        body: ReviewImport,
        response: { 200: ReviewImportSummary },
      },
    },
    async (request) => importReviews(deps, request.body.csv),
  )
}
