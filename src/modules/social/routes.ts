import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { myMemberId } from '../../platform/auth/caller.js'
import type { Deps } from '../../platform/deps.js'
import { Id, Text, Timestamp } from '../../platform/http/schemas.js'
import { acceptRequest, blockMember, dropRequest, friendsPage, requestFriend, unblockMember, unfriend } from './friends.js'

const Person = { memberId: Id, name: Type.String() }
const FriendsPage = Type.Object(
  {
    visible: Type.Boolean({ description: 'Whether I gave social visibility consent; without it nobody sees me and I cannot add friends' }),
    invite: Type.Object({
      code: Type.String({ description: 'My invite code: a friend types it, or opens the link (the QR code on my card encodes the link)' }),
      link: Type.String(),
    }),
    friends: Type.Array(Type.Object({ ...Person, since: Timestamp, via: Type.String() })),
    incoming: Type.Array(Type.Object({ ...Person, via: Type.String(), sentAt: Timestamp })),
    outgoing: Type.Array(Type.Object({ ...Person, via: Type.String(), sentAt: Timestamp })),
    blocked: Type.Array(Type.Object({ ...Person, blockedAt: Timestamp })),
    peopleYouMayKnow: Type.Array(
      Type.Object({ ...Person, reasons: Type.Array(Type.String(), { description: 'room: we were in a room together; referral: one brought the other' }) }),
    ),
  },
  { $id: 'FriendsPage' },
)
const FriendRequest = Type.Union(
  [
    Type.Object(
      {
        code: Text({ minLength: 4, maxLength: 40, description: 'The friend’s invite code' }),
        via: Type.Optional(Type.Union([Type.Literal('code'), Type.Literal('link'), Type.Literal('qr')])),
      },
      { additionalProperties: false },
    ),
    Type.Object({ memberId: Id }, { additionalProperties: false, description: 'Someone from my people you may know' }),
  ],
  { description: 'By invite code, or by member id for people you may know' },
)
const RequestResult = Type.Object({ status: Type.Union([Type.Literal('requested'), Type.Literal('friends')]), member: Type.Object(Person) })
const MemberParams = Type.Object({ memberId: Id })

/** The member's own friends and blocks; every route is the member themself only. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(FriendsPage)
  const me = { access: { member: true as const } }
  const tags = ['friends']

  app.get(
    '/me/friends',
    {
      config: me,
      schema: { tags, summary: 'My friends, requests either way, blocks, invite and people I may know', response: { 200: Type.Ref('FriendsPage') } },
    },
    async (request) => friendsPage(deps, myMemberId(request)),
  )
  app.post(
    '/me/friends/requests',
    {
      config: me,
      schema: {
        tags,
        summary: 'Ask to be friends by invite code (typed, link or QR), or with someone I may know; if they asked me already we are friends',
        body: FriendRequest,
        response: { 201: RequestResult },
      },
    },
    async (request, reply) => reply.code(201).send(await requestFriend(deps, myMemberId(request), request.body)),
  )
  app.post(
    '/me/friends/requests/:memberId/accept',
    { config: me, schema: { tags, summary: 'Accept a friend request', params: MemberParams, response: { 200: Type.Object(Person) } } },
    async (request) => acceptRequest(deps, myMemberId(request), request.params.memberId),
  )
  app.delete(
    '/me/friends/requests/:memberId',
    { config: me, schema: { tags, summary: 'Decline a request to me, or withdraw mine', params: MemberParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await dropRequest(deps.db, myMemberId(request), request.params.memberId)
      return reply.code(204).send(null)
    },
  )
  app.delete(
    '/me/friends/:memberId',
    { config: me, schema: { tags, summary: 'Unfriend: our lists are no longer shared with each other', params: MemberParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await unfriend(deps.db, myMemberId(request), request.params.memberId)
      return reply.code(204).send(null)
    },
  )
  app.put(
    '/me/blocks/:memberId',
    {
      config: me,
      schema: { tags, summary: 'Block a member: they see nothing of me and cannot ask to be friends', params: MemberParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await blockMember(deps, myMemberId(request), request.params.memberId)
      return reply.code(204).send(null)
    },
  )
  app.delete(
    '/me/blocks/:memberId',
    { config: me, schema: { tags, summary: 'Unblock a member', params: MemberParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await unblockMember(deps.db, myMemberId(request), request.params.memberId)
      return reply.code(204).send(null)
    },
  )
}
