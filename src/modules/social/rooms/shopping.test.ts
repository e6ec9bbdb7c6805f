import { sql } from 'drizzle-orm'
import { Type } from 'typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRoom, type LiveClient } from '../../../../test/support/rooms.js'
import { addStores, callersFor, enrol, sendActivity } from '../../../../test/support/shop.js'
import { type Caller, loginAs, type TestApp, testApp } from '../../../../test/support/testing.js'
import { buildApp } from '../../../app.js'
import { queryRows } from '../../../platform/db/index.js'
import { readOutbox } from '../../../platform/outbox/index.js'
import { upsertProducts } from '../../activity/index.js'
import { setConsents } from '../../members/index.js'
import { feedOf, refreshFeeds } from '../index.js'
import { builtinTools, defineTool, endInactiveRooms } from './index.js'

type Who = 'ada' | 'bea' | 'cal' | 'eve'
const nextDay = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10)

describe('shopping together in a room', () => {
  let t: TestApp
  let ids: Record<Who, string>
  let as: Record<Who | 'associate' | 'elsewhere' | 'till', Caller>
  let storeIds: Record<string, string>
  let roomId: string
  let code: string
  const call = (caller: Caller, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) })
  const ack = async (client: LiveClient, message: Record<string, unknown>) => {
    const ref = `${message.type}-${Math.random().toString(36).slice(2)}`
    client.send({ ...message, ref })
    return client.waitFor((f) => (f.type === 'ack' || f.type === 'error') && f.ref === ref, String(message.type))
  }

  beforeAll(async () => {
    t = await testApp()
    storeIds = await addStores(t, [
      { code: 'S01', name: 'Camden' },
      { code: 'S02', name: 'Leeds' },
    ])
    await upsertProducts(t.deps.db, [
      { sku: 'JKT-1', name: 'Waxed jacket', category: ['Clothing', 'Jackets'], priceMinor: 12000, currency: 'GBP', inStock: true },
      { sku: 'TEE-1', name: 'Plain tee', category: ['Clothing', 'Tops'], priceMinor: 1500, currency: 'GBP', inStock: true },
      { sku: 'GONE-1', name: 'Sold out scarf', category: ['Clothing'], priceMinor: 2000, currency: 'GBP', inStock: false },
    ])
    const [ada, bea, cal, eve] = await enrol(t, [
      { givenName: 'Ada', familyName: 'Lovelace', card: 'CARD-ADA' },
      { givenName: 'Bea', familyName: 'Brown', card: 'CARD-BEA' },
      { givenName: 'Cal', familyName: 'Cole' },
      { givenName: 'Eve', familyName: 'Eden' },
    ])
    ids = { ada, bea, cal, eve }
    for (const id of [ada, bea, cal, eve]) await setConsents(t.deps.db, id, { social_visibility: true }, t.deps.clock.now())
    as = await callersFor(t, {
      ada: { member: ada },
      bea: { member: bea },
      cal: { member: cal },
      eve: { member: eve },
      associate: { role: 'associate', storeIds: [storeIds.S01] },
      elsewhere: { role: 'associate', storeIds: [storeIds.S02] },
      till: { scopes: ['activity:write'] },
    })
    // Ada and Bea are friends; Cal is nobody's; Eve blocked Ada.
    const adaCode = (await call(as.ada, 'GET', '/me/friends')).json().invite.code
    await call(as.bea, 'POST', '/me/friends/requests', { code: adaCode })
    expect((await call(as.ada, 'POST', `/me/friends/requests/${bea}/accept`)).statusCode).toBe(200)
    expect((await call(as.eve, 'PUT', `/me/blocks/${ada}`)).statusCode).toBeLessThan(300)
    const opened = await call(as.ada, 'POST', '/rooms', { title: 'Jackets for the trip' })
    roomId = opened.json().id
    code = opened.json().inviteCode
  })
  afterAll(() => t.close())

  it('shows the host’s friends that they are shopping live, until the room ends', async () => {
    await refreshFeeds(t.deps)
    const live = (await feedOf(t.deps, ids.bea)).items.filter((e) => e.kind === 'shopping_live')
    expect(live).toMatchObject([{ subject: { roomId, title: 'Jackets for the trip' } }])
    expect((await feedOf(t.deps, ids.cal)).items.filter((e) => e.kind === 'shopping_live')).toEqual([])
  })

  it('invites friends only, and keeps blocked members out by invitation and by link', async () => {
    expect((await call(as.ada, 'POST', `/rooms/${roomId}/invitations`, { memberId: ids.cal })).json().type).toBe('/problems/room-invite-refused')
    expect((await call(as.ada, 'POST', `/rooms/${roomId}/invitations`, { memberId: ids.eve })).json().type).toBe('/problems/room-invite-refused')
    expect((await call(as.ada, 'POST', `/rooms/${roomId}/invitations`, { memberId: ids.bea })).statusCode).toBe(204)
    expect((await call(as.bea, 'GET', '/rooms')).json().invitations.map((r: { id: string }) => r.id)).toEqual([roomId])
    expect((await call(as.bea, 'POST', `/rooms/${roomId}/join`, {})).statusCode).toBe(200) // the invitation is the key
    const blocked = await call(as.eve, 'POST', `/rooms/${roomId}/join`, { code })
    expect(blocked.statusCode).toBe(403)
    expect(blocked.json().type).toBe('/problems/room-refused')
    expect((await call(as.cal, 'POST', `/rooms/${roomId}/join`, { code })).statusCode).toBe(200) // a link holder the host shared it with
    const met = await queryRows(t.deps.db, sql`select other_id from people_met where member_id = ${ids.cal} and source = 'room'`)
    expect(met.length).toBe(2)
  })

  it('shares one cart: each line shows who added it, with the catalogue’s price and stock', async () => {
    const ada = await connectRoom(t.app, roomId, as.ada)
    const bea = await connectRoom(t.app, roomId, as.bea)
    expect((await ack(bea, { type: 'cart.add', sku: 'JKT-1', quantity: 1 })).type).toBe('ack')
    expect((await ack(ada, { type: 'cart.add', sku: 'TEE-1', quantity: 2 })).type).toBe('ack')
    expect((await ack(ada, { type: 'cart.add', sku: 'GONE-1', quantity: 1 })).code).toBe('product-unavailable')
    const changed = await ada.waitFor((f) => f.kind === 'cart.changed' && (f.body.cart as { lines: unknown[] }).lines.length === 2, 'cart')
    const cart = changed.body.cart as { lines: { sku: string; addedByName: string; unitPriceMinor: number }[]; totalMinor: number; payers: unknown[] }
    expect(cart.lines.map((l) => [l.sku, l.addedByName, l.unitPriceMinor])).toEqual([
      ['JKT-1', 'Test member', 12000],
      ['TEE-1', 'Test member', 1500],
    ])
    expect(cart.totalMinor).toBe(15000)
    // Only the host chooses how it is paid.
    expect((await ack(bea, { type: 'cart.payment', mode: 'split_even', spendCapMinor: null })).code).toBe('room-host-only')
    expect((await ack(ada, { type: 'cart.payment', mode: 'own_lines', spendCapMinor: 10000 })).code).toBe('spend-cap-exceeded') // Bea's jacket is 120
    expect((await ack(ada, { type: 'cart.payment', mode: 'split_even', spendCapMinor: 6000 })).type).toBe('ack')
    const split = await bea.waitFor((f) => f.kind === 'cart.changed' && (f.body.cart as { payment: string }).payment === 'split_even', 'split')
    expect((split.body.cart as { payers: { amountMinor: number }[] }).payers.map((p) => p.amountMinor)).toEqual([5000, 5000, 5000])
    ada.close()
    bea.close()
  })

  it('locks the cart, hands it to the commerce system at checkout, and attributes the purchase that comes back', async () => {
    const request = await connectRoom(t.app, roomId, as.ada)
    expect((await ack(request, { type: 'associate.request', storeId: storeIds.S01 })).type).toBe('ack')
    // Associates of that store see it with talking points; others do not.
    const requests = (await call(as.associate, 'GET', '/rooms/associate-requests')).json().items
    expect(requests).toMatchObject([{ roomId, storeName: 'Camden', members: [{ talkingPoints: [] }, {}, {}] }])
    expect((await call(as.elsewhere, 'GET', '/rooms/associate-requests')).json().items).toEqual([])
    expect((await call(as.elsewhere, 'POST', `/rooms/${roomId}/associate`)).statusCode).toBe(404)
    const joined = await call(as.associate, 'POST', `/rooms/${roomId}/associate`)
    expect(joined.json().participants.find((p: { role: string }) => p.role === 'associate')).toMatchObject({ staff: true })
    const associate = await connectRoom(t.app, roomId, as.associate)
    expect((await ack(associate, { type: 'product.show', sku: 'JKT-1', note: 'Runs small: go up one' })).type).toBe('ack')
    const card = await request.waitFor((f) => f.kind === 'product.card', 'card')
    expect(card.body).toMatchObject({ staff: true, product: { sku: 'JKT-1', priceMinor: 12000, inStock: true } })
    expect((await ack(associate, { type: 'cart.add', sku: 'TEE-1', quantity: 1 })).code).toBe('room-members-only')

    expect((await ack(request, { type: 'cart.checkout' })).code).toBe('cart-locked') // lock first
    expect((await ack(request, { type: 'cart.lock', locked: true })).type).toBe('ack')
    const bea = await connectRoom(t.app, roomId, as.bea)
    expect((await ack(bea, { type: 'cart.add', sku: 'TEE-1', quantity: 1 })).code).toBe('cart-locked')
    expect((await ack(request, { type: 'cart.checkout' })).type).toBe('ack')
    const [handed] = await readOutbox(t.deps.db, { after: 0, topics: ['room.checkout'], limit: 10 })
    const cartId = (await call(as.ada, 'GET', `/rooms/${roomId}`)).json().cartId
    expect(handed.payload).toMatchObject({
      roomId,
      cartId,
      payment: 'split_even',
      totalMinor: 15000,
      lines: [
        { sku: 'JKT-1', quantity: 1, addedBy: ids.bea },
        { sku: 'TEE-1', quantity: 2, addedBy: ids.ada },
      ],
      payers: [
        { memberId: ids.ada, amountMinor: 5000 },
        { memberId: ids.bea, amountMinor: 5000 },
        { memberId: ids.cal, amountMinor: 5000 },
      ],
    })
    // The web shop records Bea's share with the room's cart id: the room's sale, the associate's on the scorecard.
    const sale = await sendActivity(t, as.till, {
      kind: 'purchase',
      channel: 'web',
      store: undefined,
      member: { kind: 'card', value: 'CARD-BEA' },
      lines: [{ sku: 'JKT-1', quantity: 1, unitPrice: 12000 }],
      details: { roomCartId: cartId },
    })
    expect(sale.statusCode).toBe(201)
    const attributed = await queryRows<{ room_id: string; associate_user_id: string }>(t.deps.db, sql`select room_id, associate_user_id from room_purchases`)
    expect(attributed).toEqual([{ room_id: roomId, associate_user_id: as.associate.userId }])
    const manager = await loginAs(t, 'manager')
    const day = t.deps.clock.now().toISOString().slice(0, 10)
    const scorecard = (await call(manager, 'GET', `/insights/scorecards/associates?to=${day}`.replace(day, nextDay(day)))).json()
    const email = (await queryRows<{ email: string }>(t.deps.db, sql`select email from users where id = ${as.associate.userId}`))[0].email
    expect(scorecard.rows.find((r: { key: string }) => r.key === email)?.current).toMatchObject({ orders: 1, salesMinor: 12000 })
    request.close()
    associate.close()
    bea.close()
  })

  it('lets the host remove a participant and end the room; each member earns the session once', async () => {
    const ada = await connectRoom(t.app, roomId, as.ada)
    const cal = await connectRoom(t.app, roomId, as.cal)
    const calId = (await call(as.cal, 'GET', `/rooms/${roomId}`)).json().you
    expect((await ack(ada, { type: 'participant.remove', participantId: calId })).type).toBe('ack')
    await new Promise<void>((resolve) => (cal.ws.readyState === cal.ws.CLOSED ? resolve() : cal.ws.once('close', () => resolve())))
    expect((await call(as.cal, 'GET', `/rooms/${roomId}`)).statusCode).toBe(404)
    expect((await call(as.cal, 'POST', `/rooms/${roomId}/join`, { code })).json().type).toBe('/problems/room-refused')
    expect((await ack(ada, { type: 'room.end' })).type).toBe('ack')
    const sessions = await queryRows<{ member_id: string }>(
      t.deps.db,
      sql`select member_id from activities where kind = 'co_shopping_session' order by member_id`,
    )
    expect(sessions.map((s) => s.member_id).sort()).toEqual([ids.ada, ids.bea, ids.cal].sort())
    // Ended: no socket, but the history stays for its members.
    await expect(connectRoom(t.app, roomId, as.bea)).rejects.toThrow()
    const history = (await call(as.bea, 'GET', `/rooms/${roomId}/events?limit=1000`)).json().items
    expect(history.at(-1)).toMatchObject({ kind: 'room.ended', body: { reason: 'host' } })
    expect((await call(as.bea, 'GET', '/rooms')).json().past.map((r: { id: string }) => r.id)).toContain(roomId)
    await refreshFeeds(t.deps)
    expect((await feedOf(t.deps, ids.bea)).items.filter((e) => e.kind === 'shopping_live')).toEqual([])
    expect(await endInactiveRooms(t.deps)).toBe(0)
    expect(await queryRows(t.deps.db, sql`select 1 from activities where kind = 'co_shopping_session'`)).toHaveLength(3)
  })

  it('ends a room nobody used for half an hour by itself', async () => {
    const quiet = (await call(as.ada, 'POST', '/rooms', { title: 'Quiet' })).json()
    await call(as.bea, 'POST', `/rooms/${quiet.id}/join`, { code: quiet.inviteCode })
    t.deps.clock.advance(31 * 60_000)
    expect(await endInactiveRooms(t.deps)).toBe(1)
    expect((await call(as.ada, 'GET', `/rooms/${quiet.id}`)).json().status).toBe('ended')
    const sessions = await queryRows(t.deps.db, sql`select 1 from activities where kind = 'co_shopping_session' and details->>'roomId' = ${quiet.id}`)
    expect(sessions).toHaveLength(2)
  })
})

describe('room tools', () => {
  let t: TestApp
  let as: Record<'ada' | 'bea', Caller>
  let roomId: string

  // A fourth tool, added from outside the module the way a retailer would: a shared counter.
  const counter = defineTool({
    id: 'counter',
    version: 1,
    title: 'Counter',
    options: Type.Object({ start: Type.Integer({ minimum: 0, maximum: 100 }) }),
    state: Type.Object({ count: Type.Integer({ minimum: 0, maximum: 1000 }) }),
    message: Type.Object({ add: Type.Integer({ minimum: 1, maximum: 10 }) }),
    init: (options) => ({ count: options.start }),
    reduce: (state, message) => ({ count: state.count + message.add }),
  })

  beforeAll(async () => {
    t = await testApp()
    await t.app.close()
    t.app = await buildApp({ ...t.deps, wiring: { ...t.deps.wiring, roomTools: [...builtinTools, counter] } }, { logger: false })
    await t.app.ready()
    const [ada, bea] = await enrol(t, [{ givenName: 'Ada' }, { givenName: 'Bea' }])
    as = await callersFor(t, { ada: { member: ada }, bea: { member: bea } })
    await upsertProducts(t.deps.db, [{ sku: 'JKT-1', name: 'Waxed jacket', category: [], priceMinor: 12000, currency: 'GBP', inStock: true }])
    const opened = (await t.app.inject({ method: 'POST', url: '/v1/rooms', headers: as.ada.headers, payload: { title: 'Tools' } })).json()
    roomId = opened.id
    await t.app.inject({ method: 'POST', url: `/v1/rooms/${roomId}/join`, headers: as.bea.headers, payload: { code: opened.inviteCode } })
  })
  afterAll(() => t.close())

  const send = async (client: LiveClient, message: Record<string, unknown>) => {
    const ref = Math.random().toString(36).slice(2)
    client.send({ ...message, ref })
    return client.waitFor((f) => (f.type === 'ack' || f.type === 'error') && f.ref === ref, String(message.type))
  }
  const opened = (client: LiveClient, tool: string) => client.waitFor((f) => f.kind === 'tool.opened' && f.body.tool === tool, `${tool} opened`)

  it('runs a poll’s reducer on the server, reads version 1 votes, and refuses versions it does not know', async () => {
    const ada = await connectRoom(t.app, roomId, as.ada)
    const bea = await connectRoom(t.app, roomId, as.bea)
    await send(ada, { type: 'tool.open', tool: 'poll', version: 2, options: { question: 'Which one?', options: [{ label: 'Olive' }, { label: 'Navy' }] } })
    const instanceId = (await opened(bea, 'poll')).body.instanceId
    expect((await send(bea, { type: 'tool.act', instanceId, version: 2, message: { kind: 'vote', option: 1 } })).type).toBe('ack')
    expect((await send(ada, { type: 'tool.act', instanceId, version: 1, message: { vote: 0 } })).type).toBe('ack') // an old client, read as a vote
    const old = await send(ada, { type: 'tool.act', instanceId, version: 3, message: { kind: 'vote', option: 0 } })
    expect(old).toMatchObject({ code: 'tool-version', current: 2, supported: [1, 2] })
    expect((await send(ada, { type: 'tool.open', tool: 'poll', version: 1, options: {} })).code).toBe('tool-version')
    expect((await send(bea, { type: 'tool.act', instanceId, version: 2, message: { kind: 'vote', option: 2 } })).code).toBe('tool-refused')
    expect((await send(bea, { type: 'tool.act', instanceId, version: 2, message: { kind: 'vote', option: 'x' } })).code).toBe('invalid-request')
    const state = await bea.waitFor((f) => f.kind === 'tool.state' && Object.keys((f.body.state as { votes: object }).votes).length === 2, 'two votes')
    expect(Object.values((state.body.state as { votes: Record<string, number> }).votes).sort()).toEqual([0, 1])
    ada.close()
    bea.close()
  })

  it('pins products on a look board with votes, and gives size advice from recorded sizes and answers', async () => {
    const ada = await connectRoom(t.app, roomId, as.ada)
    await send(ada, { type: 'tool.open', tool: 'look-board', version: 1, options: {} })
    const board = (await opened(ada, 'look-board')).body.instanceId
    await send(ada, { type: 'tool.act', instanceId: board, version: 1, message: { kind: 'pin', sku: 'JKT-1' } })
    await send(ada, { type: 'tool.act', instanceId: board, version: 1, message: { kind: 'vote', sku: 'JKT-1' } })
    const pinned = await ada.waitFor((f) => f.kind === 'tool.state' && f.body.instanceId === board && JSON.stringify(f.body).includes('votes":["'), 'vote')
    expect((pinned.body.state as { pins: { name: string; votes: string[] }[] }).pins[0]).toMatchObject({ name: 'Waxed jacket', votes: [expect.any(String)] })
    await send(ada, { type: 'tool.open', tool: 'size-advice', version: 1, options: {} })
    const sizes = (await opened(ada, 'size-advice')).body.instanceId
    await send(ada, { type: 'tool.act', instanceId: sizes, version: 1, message: { kind: 'ask', sku: 'JKT-1' } })
    expect((await send(ada, { type: 'tool.act', instanceId: sizes, version: 1, message: { kind: 'answer', question: 0, size: 'M' } })).type).toBe('ack')
    const advice = await ada.waitFor((f) => f.kind === 'tool.state' && f.body.instanceId === sizes && JSON.stringify(f.body).includes('"size":"M"'), 'answer')
    expect((advice.body.state as { questions: { sku: string; answers: { size: string }[] }[] }).questions[0]).toMatchObject({
      sku: 'JKT-1',
      answers: [{ size: 'M' }],
    })
    ada.close()
  })

  it('runs a tool added from outside the module under the same contract', async () => {
    const bea = await connectRoom(t.app, roomId, as.bea)
    await send(bea, { type: 'tool.open', tool: 'counter', version: 1, options: { start: 3 } })
    const instanceId = (await opened(bea, 'counter')).body.instanceId
    expect((await send(bea, { type: 'tool.act', instanceId, version: 1, message: { add: 4 } })).type).toBe('ack')
    expect((await send(bea, { type: 'tool.act', instanceId, version: 1, message: { add: 400 } })).code).toBe('invalid-request')
    const state = await bea.waitFor((f) => f.kind === 'tool.state' && f.body.tool === 'counter', 'counted')
    expect(state.body.state).toEqual({ count: 7 })
    bea.close()
  })
})
