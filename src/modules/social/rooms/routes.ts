import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { callerOf, memberOf, staffOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Forbidden } from '../../../platform/http/problems.js'
import { Count, Id, Query, Text } from '../../../platform/http/schemas.js'
import { listStores } from '../../activity/index.js'
import { AssociateRequest, Product, Room, RoomEvent, RoomListing, Suggestion } from './api-schemas.js'
import { associateRequests, joinAsAssociate, liveProducts, roomSuggestions } from './associate.js'
import { inProcessBus, natsBus } from './bus.js'
import { cartOf } from './cart.js'
import { roomHub } from './hub.js'
import { hubs } from './hub-registry.js'
import { roomCommands } from './lifecycle.js'
import {
  eventFrame,
  eventsAfter,
  eventsOfRoom,
  inviteToRoom,
  joinRoom,
  lastSeqOf,
  openRoom,
  participantOf,
  RoomEnded,
  roomById,
  roomsOf,
  roomView,
} from './service.js'
import { defaultSocketLimits, publishEvents, type RoomRuntime, type SocketLimits, serveSocket } from './socket.js'

const member = { access: { member: true as const } }
const inRoom = { access: { member: true as const, staff: 'associate' as const } }

const RoomParams = Type.Object({ roomId: Id })

const staff = { access: { staff: 'associate' as const } }
export interface RoomRoutesOptions {
  limits?: SocketLimits
}

/** Rooms over REST (open, join, list, history) and the live socket. */
export const routes: FastifyPluginAsyncTypebox<Deps & RoomRoutesOptions> = async (app, deps) => {
  const bus = deps.config.natsUrl ? await natsBus(deps.config.natsUrl) : inProcessBus()
  const hub = roomHub(
    bus,
    {
      framesAfter: async (roomId, after, upTo) => (await eventsAfter(deps.db, roomId, after, { upTo })).map((e) => ({ seq: e.seq, frame: eventFrame(e) })),
      lastSeq: (roomId) => lastSeqOf(deps.db, roomId),
    },
    (error) => app.log.error({ err: error }, 'room fan-out: reading a gap failed'),
  )
  hubs.set(deps.db, hub)
  app.addHook('onClose', async () => {
    hubs.delete(deps.db)
    await hub.close()
  })
  const runtime: RoomRuntime = { deps, hub, commands: roomCommands(deps), limits: deps.limits ?? defaultSocketLimits, log: app.log }

  app.post(
    '/rooms',
    {
      config: member,
      schema: {
        summary: 'Open a live co-shopping room; the answer has the invite link’s code',
        tags: ['rooms'],
        body: Type.Object({ title: Text({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false }),
        response: { 201: Room },
      },
    },
    async (request, reply) => {
      const me = memberOf(request)
      const opened = await openRoom(deps, { memberId: me.memberId, name: me.displayName }, request.body.title)
      publishEvents(hub, opened.room.id, opened.events)
      return reply.code(201).send(await roomView(deps.db, opened.room.id, me))
    },
  )

  app.get(
    '/rooms',
    {
      config: member,
      schema: {
        summary: 'The member’s rooms: open ones they are in, invitations, and past rooms',
        tags: ['rooms'],
        response: { 200: Type.Object({ open: Type.Array(RoomListing), invitations: Type.Array(RoomListing), past: Type.Array(RoomListing) }) },
      },
    },
    async (request) => roomsOf(deps.db, memberOf(request).memberId),
  )

  app.get(
    '/rooms/:roomId',
    { config: inRoom, schema: { summary: 'A room, for one of its participants', tags: ['rooms'], params: RoomParams, response: { 200: Room } } },
    async (request) => roomView(deps.db, request.params.roomId, callerOf(request)),
  )

  app.post(
    '/rooms/:roomId/join',
    {
      config: member,
      schema: {
        summary: 'Join a room by its invite link’s code, or accept an invitation',
        tags: ['rooms'],
        params: RoomParams,
        body: Type.Object({ code: Type.Optional(Text({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Room },
      },
    },
    async (request) => {
      const me = memberOf(request)
      const joined = await joinRoom(deps, request.params.roomId, { memberId: me.memberId, name: me.displayName }, request.body.code)
      publishEvents(hub, request.params.roomId, joined.events)
      return roomView(deps.db, request.params.roomId, me)
    },
  )

  app.post(
    '/rooms/:roomId/invitations',
    {
      config: member,
      schema: {
        summary: 'The host invites a friend to the room (friends only; never a member either of them blocked)',
        tags: ['rooms'],
        params: RoomParams,
        body: Type.Object({ memberId: Id }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const invited = await inviteToRoom(deps, request.params.roomId, callerOf(request), request.body.memberId)
      publishEvents(hub, request.params.roomId, invited.events)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/rooms/:roomId/events',
    {
      config: inRoom,
      schema: {
        summary: 'A room’s history: its events after a sequence number, oldest first (also once the room has ended)',
        tags: ['rooms'],
        params: RoomParams,
        querystring: Query({ after: Type.Optional(Count()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
        response: { 200: Type.Object({ items: Type.Array(RoomEvent) }) },
      },
    },
    async (request) => ({ items: await eventsOfRoom(deps.db, request.params.roomId, callerOf(request), request.query) }),
  )

  app.get(
    '/rooms/:roomId/products',
    {
      config: inRoom,
      schema: {
        summary: 'Price and stock now of products the room shows (cards, cart, suggestions)',
        tags: ['rooms'],
        params: RoomParams,
        querystring: Query({ skus: Text({ minLength: 1, maxLength: 2000, description: 'Comma-separated skus, at most 50' }) }),
        response: { 200: Type.Object({ items: Type.Array(Product) }) },
      },
    },
    async (request) => {
      await participantOf(deps.db, request.params.roomId, callerOf(request))
      const skus = [...new Set(request.query.skus.split(','))].slice(0, 50)
      return { items: [...(await liveProducts(deps.db, skus))].map(([sku, p]) => ({ sku, ...p })) }
    },
  )

  app.get(
    '/rooms/:roomId/cart',
    {
      config: inRoom,
      schema: { summary: 'The shared cart now, with who added each line and who pays what', tags: ['rooms'], params: RoomParams },
    },
    async (request) => {
      await participantOf(deps.db, request.params.roomId, callerOf(request))
      const { memberIds: _ids, ...cart } = await cartOf(deps.db, request.params.roomId)
      return cart
    },
  )

  app.get(
    '/rooms/:roomId/suggestions',
    {
      config: inRoom,
      schema: {
        summary: 'The advisor’s suggestions for the room: what these members together may like',
        tags: ['rooms'],
        params: RoomParams,
        response: { 200: Type.Object({ items: Type.Array(Suggestion) }) },
      },
    },
    async (request) => ({ items: await roomSuggestions(deps, request.params.roomId, callerOf(request)) }),
  )

  app.get(
    '/rooms/:roomId/stores',
    {
      config: inRoom,
      schema: {
        summary: 'The stores the host can ask an associate of',
        tags: ['rooms'],
        params: RoomParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Id, name: Type.String() })) }) },
      },
    },
    async (request) => {
      await participantOf(deps.db, request.params.roomId, callerOf(request))
      return { items: (await listStores(deps.db)).map((s) => ({ id: s.id, name: s.name })) }
    },
  )

  app.get(
    '/rooms/associate-requests',
    {
      config: staff,
      schema: {
        summary: 'Rooms asking for an associate of the caller’s stores, with the members’ talking points',
        tags: ['rooms'],
        response: { 200: Type.Object({ items: Type.Array(AssociateRequest) }) },
      },
    },
    async (request) => ({ items: await associateRequests(deps, staffOf(request)) }),
  )

  app.post(
    '/rooms/:roomId/associate',
    {
      config: staff,
      schema: {
        summary: 'An associate of the store asked joins the room as a guest with a staff badge',
        tags: ['rooms'],
        params: RoomParams,
        response: { 200: Room },
      },
    },
    async (request) => {
      const joined = await joinAsAssociate(deps, request.params.roomId, staffOf(request))
      publishEvents(hub, request.params.roomId, joined.events)
      return roomView(deps.db, request.params.roomId, callerOf(request))
    },
  )

  app.get(
    '/rooms/:roomId/live',
    {
      websocket: true,
      config: inRoom,
      schema: {
        summary: 'The room’s live socket (WebSocket): events after `after`, then live; messages as in docs/social.md',
        tags: ['rooms'],
        params: RoomParams,
        querystring: Query({ after: Type.Optional(Count({ description: 'The last sequence number the client has' })) }),
      },
      preHandler: async (request) => {
        checkOrigin(request, deps.config.publicUrl)
        // 404 before the upgrade when the caller is not in the room; ended rooms have no live socket.
        const participant = await participantOf(deps.db, request.params.roomId, callerOf(request))
        if ((await roomById(deps.db, request.params.roomId)).status !== 'open') throw new RoomEnded(request.params.roomId)
        ;(request as FastifyRequest & { participant?: unknown }).participant = participant
      },
    },
    (socket, request) => {
      const participant = (request as FastifyRequest & { participant?: Parameters<typeof serveSocket>[2] }).participant
      if (!participant) return socket.close(1011)
      serveSocket(runtime, socket, participant, request.query.after ?? 0)
    },
  )
}

/**
 * A browser sends its page's Origin with every WebSocket handshake and cookies ride along whatever
 * the page: a socket from another site's page is refused (the CSRF rule for sockets). Clients that
 * are not browsers send no Origin and carry no one else's cookie.
 */
function checkOrigin(request: FastifyRequest, publicUrl: string) {
  const origin = request.headers.origin
  if (!origin) return
  const own = [new URL(publicUrl).origin, `${request.protocol}://${request.headers.host}`]
  if (!own.includes(origin)) throw new Forbidden(`Sockets are accepted from pages of ${own[0]} only.`)
}
