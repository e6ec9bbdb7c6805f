import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, loginAs, type TestApp, testApp } from '../../../test/support/testing.js'
import type { Principal } from '../../platform/auth/principal.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { mergeMembers, unmergeMembers } from '../identity/index.js'
import { setConsents } from '../members/index.js'
import { areFriends, friendsOf, isBlocked, peopleYouMayKnow, recordMeeting } from './index.js'

describe('friends and blocks', () => {
  let t: TestApp
  let ids: Record<'ada' | 'bea' | 'cal' | 'dan' | 'eve' | 'hid', string>
  let as: Record<'ada' | 'bea' | 'cal' | 'dan' | 'eve' | 'hid', Caller>
  const call = (caller: Caller | undefined, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) })
  const codeOf = async (caller: Caller) => (await call(caller, 'GET', '/me/friends')).json().invite.code as string

  beforeAll(async () => {
    t = await testApp()
    const [ada, bea, cal, dan, eve, hid] = await enrol(t, [
      { givenName: 'Ada', familyName: 'Lovelace' },
      { givenName: 'Bea', familyName: 'Brown' },
      { givenName: 'Cal', familyName: 'Cole' },
      { givenName: 'Dan', familyName: 'Dee' },
      { givenName: 'Eve', familyName: 'Eden' },
      { givenName: 'Hid', familyName: 'Den' },
    ])
    ids = { ada, bea, cal, dan, eve, hid }
    for (const id of [ada, bea, cal, dan, eve]) await setConsents(t.deps.db, id, { social_visibility: true }, t.deps.clock.now())
    as = await callersFor(t, {
      ada: { member: ada },
      bea: { member: bea },
      cal: { member: cal },
      dan: { member: dan },
      eve: { member: eve },
      hid: { member: hid },
    })
  })
  afterAll(() => t.close())

  it('makes friends by invite code once the other accepts, and shows each to the other by first name and initial', async () => {
    const sent = await call(as.bea, 'POST', '/me/friends/requests', { code: (await codeOf(as.ada)).toLowerCase(), via: 'qr' })
    expect(sent.statusCode).toBe(201)
    expect(sent.json()).toEqual({ status: 'requested', member: { memberId: ids.ada, name: 'Ada L.' } })
    const ada = (await call(as.ada, 'GET', '/me/friends')).json()
    expect(ada.incoming).toMatchObject([{ memberId: ids.bea, name: 'Bea B.', via: 'qr' }])
    expect((await call(as.bea, 'GET', '/me/friends')).json().outgoing).toMatchObject([{ memberId: ids.ada }])
    expect(await areFriends(t.deps.db, ids.ada, ids.bea)).toBe(false)

    const accepted = await call(as.ada, 'POST', `/me/friends/requests/${ids.bea}/accept`)
    expect(accepted.statusCode).toBe(200)
    expect(await areFriends(t.deps.db, ids.ada, ids.bea)).toBe(true)
    expect(await areFriends(t.deps.db, ids.bea, ids.ada)).toBe(true)
    expect((await friendsOf(t.deps.db, ids.bea)).map((f) => f.name)).toEqual(['Ada L.'])
    const after = (await call(as.ada, 'GET', '/me/friends')).json()
    expect(after.incoming).toEqual([])
    expect(after.friends).toMatchObject([{ memberId: ids.bea, via: 'qr' }])
    // Asking again changes nothing.
    expect((await call(as.bea, 'POST', '/me/friends/requests', { code: await codeOf(as.ada) })).json().status).toBe('friends')
  })

  it('makes two crossing requests one friendship', async () => {
    await call(as.cal, 'POST', '/me/friends/requests', { code: await codeOf(as.dan) })
    const crossing = await call(as.dan, 'POST', '/me/friends/requests', { code: await codeOf(as.cal) })
    expect(crossing.json().status).toBe('friends')
    expect(await areFriends(t.deps.db, ids.cal, ids.dan)).toBe(true)
    const [{ n }] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from friend_requests where member_id in (${ids.cal}, ${ids.dan})`)
    expect(n).toBe(0)
  })

  it('declines, withdraws and unfriends', async () => {
    await call(as.eve, 'POST', '/me/friends/requests', { code: await codeOf(as.cal) })
    expect((await call(as.cal, 'DELETE', `/me/friends/requests/${ids.eve}`)).statusCode).toBe(204)
    expect((await call(as.eve, 'GET', '/me/friends')).json().outgoing).toEqual([])
    expect((await call(as.cal, 'POST', `/me/friends/requests/${ids.eve}/accept`)).json().type).toBe('/problems/not-found')
    expect((await call(as.cal, 'DELETE', `/me/friends/${ids.dan}`)).statusCode).toBe(204)
    expect(await areFriends(t.deps.db, ids.dan, ids.cal)).toBe(false)
  })

  it('needs social visibility to ask, and hides a member without it as if they did not exist', async () => {
    const asking = await call(as.hid, 'POST', '/me/friends/requests', { code: await codeOf(as.ada) })
    expect(asking.statusCode).toBe(409)
    expect(asking.json().type).toBe('/problems/social-visibility-off')
    const hidden = await call(as.ada, 'POST', '/me/friends/requests', { code: await codeOf(as.hid) })
    expect(hidden.statusCode).toBe(404)
    expect((await call(as.ada, 'POST', '/me/friends/requests', { code: 'NOSUCHCODE' })).statusCode).toBe(404)
    // A friend who withdraws consent drops out of their friends' lists until they give it again.
    await setConsents(t.deps.db, ids.bea, { social_visibility: false }, t.deps.clock.now())
    expect((await call(as.ada, 'GET', '/me/friends')).json().friends).toEqual([])
    await setConsents(t.deps.db, ids.bea, { social_visibility: true }, t.deps.clock.now())
    expect((await call(as.ada, 'GET', '/me/friends')).json().friends).toMatchObject([{ memberId: ids.bea }])
  })

  it('blocks: the friendship ends, the blocked member cannot ask and learns nothing, the blocker is told', async () => {
    await call(as.eve, 'POST', '/me/friends/requests', { code: await codeOf(as.dan) })
    await call(as.dan, 'POST', `/me/friends/requests/${ids.eve}/accept`)
    expect(await areFriends(t.deps.db, ids.dan, ids.eve)).toBe(true)
    expect((await call(as.dan, 'PUT', `/me/blocks/${ids.eve}`)).statusCode).toBe(204)
    expect(await areFriends(t.deps.db, ids.eve, ids.dan)).toBe(false)
    expect(await isBlocked(t.deps.db, ids.eve, ids.dan)).toBe(true)
    expect(await isBlocked(t.deps.db, ids.dan, ids.eve)).toBe(true)
    const byBlocked = await call(as.eve, 'POST', '/me/friends/requests', { code: await codeOf(as.dan) })
    expect(byBlocked.statusCode).toBe(404)
    expect(byBlocked.json().type).toBe('/problems/not-found')
    expect((await call(as.dan, 'POST', '/me/friends/requests', { code: await codeOf(as.eve) })).json().type).toBe('/problems/member-blocked')
    const eve = (await call(as.eve, 'GET', '/me/friends')).json()
    expect([...eve.friends, ...eve.incoming, ...eve.outgoing, ...eve.blocked, ...eve.peopleYouMayKnow]).toEqual([])
    expect((await call(as.dan, 'GET', '/me/friends')).json().blocked).toMatchObject([{ memberId: ids.eve }])
    expect((await call(as.dan, 'DELETE', `/me/blocks/${ids.eve}`)).statusCode).toBe(204)
    expect(await isBlocked(t.deps.db, ids.eve, ids.dan)).toBe(false)
  })

  it('suggests people met in a room and referral partners, and lets a member ask only those by id', async () => {
    await recordMeeting(t.deps.db, [ids.ada, ids.cal, ids.hid], { source: 'room', ref: 'room-1', at: t.deps.clock.now() })
    const ada = await peopleYouMayKnow(t.deps.db, ids.ada)
    expect(ada).toEqual([{ memberId: ids.cal, name: 'Cal C.', reasons: ['room'] }]) // Hid is not visible
    expect((await call(as.ada, 'POST', '/me/friends/requests', { memberId: ids.eve })).statusCode).toBe(404)
    expect((await call(as.ada, 'POST', '/me/friends/requests', { memberId: ids.cal })).json().status).toBe('requested')
    expect(await peopleYouMayKnow(t.deps.db, ids.ada)).toEqual([])

    const [newcomer] = await enrol(t, [{ givenName: 'Nia', familyName: 'New' }])
    await setConsents(t.deps.db, newcomer, { social_visibility: true }, t.deps.clock.now())
    const nia = await loginAs(t, 'member', { memberId: newcomer })
    expect((await call(nia, 'POST', '/me/referral/claim', { code: await codeOf(as.eve) })).statusCode).toBe(201)
    expect(await peopleYouMayKnow(t.deps.db, ids.eve)).toEqual([{ memberId: newcomer, name: 'Nia N.', reasons: ['referral'] }])
    expect((await peopleYouMayKnow(t.deps.db, newcomer)).map((p) => p.memberId)).toEqual([ids.eve])
  })

  it('answers only the member themself', async () => {
    const staff = await callersFor(t, { associate: 'associate', admin: 'admin', key: { scopes: ['members:read', 'members:write'] } })
    for (const [method, url] of [
      ['GET', '/me/friends'],
      ['POST', '/me/friends/requests'],
      ['PUT', `/me/blocks/${ids.ada}`],
      ['DELETE', `/me/friends/${ids.ada}`],
    ] as const) {
      expect((await call(undefined, method, url, method === 'POST' ? { code: 'ABCDEFGH' } : undefined)).statusCode).toBe(401)
      for (const caller of Object.values(staff))
        expect((await call(caller, method, url, method === 'POST' ? { code: 'ABCDEFGH' } : undefined)).statusCode).toBe(403)
    }
    expect((await call(as.ada, 'POST', '/me/friends/requests', { code: 'AB', memberId: ids.bea })).statusCode).toBe(400)
  })

  it('merges friendships into the survivor without duplicates or self-friendship, and unmerge puts them back', async () => {
    const [one, two, friend] = await enrol(t, [{ givenName: 'Mo' }, { givenName: 'Mo' }, { givenName: 'Fay' }])
    const at = t.deps.clock.now()
    const [listOfTwo, listOfFriend] = [newId(), newId()]
    await t.deps.db.execute(
      sql`insert into friendships (member_id, friend_id, since, via) values
            (${one}, ${friend}, ${at}, 'code'), (${friend}, ${one}, ${at}, 'code'),
            (${two}, ${friend}, ${at}, 'code'), (${friend}, ${two}, ${at}, 'code'),
            (${one}, ${two}, ${at}, 'code'), (${two}, ${one}, ${at}, 'code')`,
    )
    // Two's own list with an item, the friend's list shared with two and reserved by two, a feed item by two.
    await t.deps.db.execute(
      sql`insert into lists (member_id, id, kind, title, created_at) values (${two}, ${listOfTwo}, 'gift', 'Two', ${at}), (${friend}, ${listOfFriend}, 'gift', 'Fay', ${at})`,
    )
    await t.deps.db.execute(
      sql`insert into list_items (member_id, id, list_id, sku, added_by, added_at, reserved_by, reserved_at) values
            (${two}, ${newId()}, ${listOfTwo}, 'X', ${two}, ${at}, null, null), (${friend}, ${newId()}, ${listOfFriend}, 'Y', ${friend}, ${at}, ${two}, ${at})`,
    )
    await t.deps.db.execute(
      sql`insert into list_shares (member_id, list_id, owner_id, role, shared_at) values (${two}, ${listOfFriend}, ${friend}, 'viewer', ${at})`,
    )
    await t.deps.db.execute(
      sql`insert into feed_items (member_id, id, event_id, actor_id, kind, key, occurred_at) values (${friend}, ${newId()}, 1, ${two}, 'purchase', 'share:x', ${at})`,
    )
    const snapshot = async () =>
      queryRows<{ member_id: string; friend_id: string }>(
        t.deps.db,
        sql`select member_id, friend_id from friendships where member_id = any(${sql.param([one, two, friend])}::uuid[]) order by 1, 2`,
      )
    const social = async () =>
      (
        await queryRows<{ rows: string }>(
          t.deps.db,
          sql`select concat_ws(',', (select count(*) from lists where member_id = ${one}), (select count(*) from list_items where member_id = ${one}),
                     (select count(*) from list_shares where member_id = ${one}), (select count(*) from list_items where reserved_by = ${one}),
                     (select count(*) from feed_items where actor_id = ${one}), (select count(*) from lists where member_id = ${two})) as rows`,
        )
      )[0].rows
    const before = await snapshot()
    const admin = (await loginAs(t, 'admin')).userId as string
    const principal: Principal = { kind: 'staff', userId: admin, displayName: 'A', role: 'admin', storeIds: [], via: 'session', sessionId: 's', csrfSecret: '' }
    const merge = await mergeMembers(t.deps, one, two, principal)
    expect(await snapshot()).toEqual(
      [
        { member_id: one, friend_id: friend },
        { member_id: friend, friend_id: one },
      ].sort((a, b) => (a.member_id + a.friend_id).localeCompare(b.member_id + b.friend_id)),
    )
    expect(await social()).toBe('1,1,1,1,1,0') // two's list, item, share, reservation and feed item are one's now
    await unmergeMembers(t.deps, merge.id, principal)
    expect(await snapshot()).toEqual(before)
    expect(await social()).toBe('0,0,0,0,0,1')
  })
})
