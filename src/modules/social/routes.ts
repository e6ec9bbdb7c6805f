import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { myMemberId } from '../../platform/auth/caller.js'
import type { Deps } from '../../platform/deps.js'
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js'
import { Id, PageQuery, Ref, Text, Timestamp } from '../../platform/http/schemas.js'
import {
  Feed,
  FriendRequest,
  FriendsPage,
  List,
  ListShare,
  Lists,
  Member,
  NewList,
  NewListItem,
  NewShare,
  ProductMatches,
  RequestResult,
  Shares,
} from './api-schemas.js'
import { feedOf, sharePurchase, sharesOf, unshare } from './feed.js'
import { acceptRequest, blockMember, dropRequest, friendsPage, requestFriend, unblockMember, unfriend } from './friends.js'
import {
  addListItem,
  createList,
  deleteList,
  findProducts,
  listOf,
  listsOf,
  releaseItem,
  removeListItem,
  reserveItem,
  shareList,
  unshareList,
} from './lists.js'

const MemberParams = Type.Object({ memberId: Id })
const ListParams = Type.Object({ listId: Id })
const ItemParams = Type.Object({ listId: Id, itemId: Id })
const ListMemberParams = Type.Object({ listId: Id, memberId: Id })
const Empty = { 204: Type.Null() }

/** The member's friends, blocks, feed and lists: every route is the member themself only. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  for (const schema of [FriendsPage, Feed, List]) app.addSchema(schema)
  const me = { access: { member: true as const } }
  const friends = ['friends']
  const done = <T>(reply: { code(n: number): { send(v: null): T } }) => reply.code(204).send(null)

  app.get(
    '/me/friends',
    {
      config: me,
      schema: { tags: friends, summary: 'My friends, requests either way, blocks, invite and people I may know', response: { 200: Ref(FriendsPage) } },
    },
    async (request) => friendsPage(deps, myMemberId(request)),
  )
  app.post(
    '/me/friends/requests',
    {
      config: me,
      schema: {
        tags: friends,
        summary: 'Ask to be friends by invite code (typed, link or QR), or with someone I may know; if they asked me already we are friends',
        body: FriendRequest,
        response: { 201: RequestResult },
      },
    },
    async (request, reply) => reply.code(201).send(await requestFriend(deps, myMemberId(request), request.body)),
  )
  app.post(
    '/me/friends/requests/:memberId/accept',
    { config: me, schema: { tags: friends, summary: 'Accept a friend request', params: MemberParams, response: { 200: Member } } },
    async (request) => acceptRequest(deps, myMemberId(request), request.params.memberId),
  )
  app.delete(
    '/me/friends/requests/:memberId',
    { config: me, schema: { tags: friends, summary: 'Decline a request to me, or withdraw mine', params: MemberParams, response: Empty } },
    async (request, reply) => {
      await dropRequest(deps.db, myMemberId(request), request.params.memberId)
      return done(reply)
    },
  )
  app.delete(
    '/me/friends/:memberId',
    { config: me, schema: { tags: friends, summary: 'Unfriend: our lists are no longer shared with each other', params: MemberParams, response: Empty } },
    async (request, reply) => {
      await unfriend(deps.db, myMemberId(request), request.params.memberId)
      return done(reply)
    },
  )
  app.put(
    '/me/blocks/:memberId',
    {
      config: me,
      schema: { tags: friends, summary: 'Block a member: they see nothing of me and cannot ask to be friends', params: MemberParams, response: Empty },
    },
    async (request, reply) => {
      await blockMember(deps, myMemberId(request), request.params.memberId)
      return done(reply)
    },
  )
  app.delete(
    '/me/blocks/:memberId',
    { config: me, schema: { tags: friends, summary: 'Unblock a member', params: MemberParams, response: Empty } },
    async (request, reply) => {
      await unblockMember(deps.db, myMemberId(request), request.params.memberId)
      return done(reply)
    },
  )

  const feed = ['feed']
  app.get(
    '/me/feed',
    {
      config: me,
      schema: { tags: feed, summary: 'My friends’ feed, newest first: only what they chose to share', querystring: PageQuery, response: { 200: Ref(Feed) } },
    },
    async (request) => {
      const [at, id] = decodeCursor(request.query.cursor, Type.Tuple([Timestamp, Id])) ?? []
      const page = await feedOf(deps, myMemberId(request), { limit: request.query.limit ?? 30, before: at && id ? { at, id } : undefined })
      return { items: page.items, nextCursor: page.next ? encodeCursor([page.next.at, page.next.id]) : null }
    },
  )
  app.get('/me/feed/shares', { config: me, schema: { tags: feed, summary: 'What I shared with my friends', response: { 200: Shares } } }, async (request) => ({
    items: await sharesOf(deps.db, myMemberId(request)),
  }))
  app.post(
    '/me/feed/shares',
    {
      config: me,
      schema: {
        tags: feed,
        summary: 'Share a line of one of my purchases with my friends (nothing I buy is shown otherwise)',
        body: NewShare,
        response: { 201: Type.Object({ shareId: Id }) },
      },
    },
    async (request, reply) => reply.code(201).send(await sharePurchase(deps, myMemberId(request), request.body)),
  )
  app.delete(
    '/me/feed/shares/:shareId',
    { config: me, schema: { tags: feed, summary: 'Take a share back: it leaves my friends’ feeds', params: Type.Object({ shareId: Id }), response: Empty } },
    async (request, reply) => {
      await unshare(deps, myMemberId(request), request.params.shareId)
      return done(reply)
    },
  )

  const lists = ['lists']
  app.get(
    '/me/lists',
    { config: me, schema: { tags: lists, summary: 'My wishlists and gift lists, and those friends share with me', response: { 200: Lists } } },
    async (request) => ({ items: await listsOf(deps.db, myMemberId(request)) }),
  )
  app.post(
    '/me/lists',
    { config: me, schema: { tags: lists, summary: 'Start a wishlist or gift list', body: NewList, response: { 201: Ref(List) } } },
    async (request, reply) => reply.code(201).send(await createList(deps, myMemberId(request), request.body)),
  )
  app.get(
    '/me/products',
    {
      config: me,
      schema: {
        tags: lists,
        summary: 'Find products to add to a list, by name or sku',
        querystring: Type.Object({ q: Text({ minLength: 1, maxLength: 100 }) }),
        response: { 200: ProductMatches },
      },
    },
    async (request) => ({ items: await findProducts(deps.db, request.query.q) }),
  )
  app.get(
    '/me/lists/:listId',
    {
      config: me,
      schema: { tags: lists, summary: 'A list of mine or shared with me, with live prices and stock', params: ListParams, response: { 200: Ref(List) } },
    },
    async (request) => listOf(deps, myMemberId(request), request.params.listId),
  )
  app.delete(
    '/me/lists/:listId',
    { config: me, schema: { tags: lists, summary: 'Delete my list', params: ListParams, response: Empty } },
    async (request, reply) => {
      await deleteList(deps.db, myMemberId(request), request.params.listId)
      return done(reply)
    },
  )
  app.post(
    '/me/lists/:listId/items',
    {
      config: me,
      schema: { tags: lists, summary: 'Add a product (owner and editors)', params: ListParams, body: NewListItem, response: { 201: Ref(List) } },
    },
    async (request, reply) => reply.code(201).send(await addListItem(deps, myMemberId(request), request.params.listId, request.body)),
  )
  app.delete(
    '/me/lists/:listId/items/:itemId',
    { config: me, schema: { tags: lists, summary: 'Remove an item (owner and editors)', params: ItemParams, response: Empty } },
    async (request, reply) => {
      await removeListItem(deps, myMemberId(request), request.params.listId, request.params.itemId)
      return done(reply)
    },
  )
  app.put(
    '/me/lists/:listId/items/:itemId/reservation',
    {
      config: me,
      schema: { tags: lists, summary: '“I’ll get this” (friends on the list; its owner is never told)', params: ItemParams, response: { 200: Ref(List) } },
    },
    async (request) => reserveItem(deps, myMemberId(request), request.params.listId, request.params.itemId),
  )
  app.delete(
    '/me/lists/:listId/items/:itemId/reservation',
    { config: me, schema: { tags: lists, summary: 'Take back my “I’ll get this”', params: ItemParams, response: { 200: Ref(List) } } },
    async (request) => releaseItem(deps, myMemberId(request), request.params.listId, request.params.itemId),
  )
  app.put(
    '/me/lists/:listId/shares/:memberId',
    {
      config: me,
      schema: {
        tags: lists,
        summary: 'Share my list with a friend as editor or viewer',
        params: ListMemberParams,
        body: ListShare,
        response: { 200: Ref(List) },
      },
    },
    async (request) => shareList(deps, myMemberId(request), request.params.listId, request.params.memberId, request.body.role),
  )
  app.delete(
    '/me/lists/:listId/shares/:memberId',
    {
      config: me,
      schema: { tags: lists, summary: 'Stop sharing my list with a friend, or leave a list shared with me', params: ListMemberParams, response: Empty },
    },
    async (request, reply) => {
      await unshareList(deps.db, myMemberId(request), request.params.listId, request.params.memberId)
      return done(reply)
    },
  )
}
