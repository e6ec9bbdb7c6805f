import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../../test/support/testing.js'
import { myMemberId, type StaffPrincipal } from '../../../platform/auth/caller.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { newId } from '../../../platform/ids.js'
import { mergeMembers, unmergeMembers } from '../../identity/index.js'
import { deliverNotifications, type ModerationTarget, screenContent } from '../index.js'

/**
 * A content kind of the test's own, as reviews or ideas register theirs: its posts live in a table
 * of their own, the posting route screens them first, and the target shows or hides them.
 */
const testTarget: ModerationTarget = {
  kind: 'comment',
  async setVisible(db: Db, contentId: string, visible: boolean) {
    await db.execute(sql`update test_comments set visible = ${visible} where id = ${contentId}`)
  },
  describe: (db, ids) =>
    queryRows<{ contentId: string; text: string; about: string }>(
      db,
      sql`select id as "contentId", body as text, 'Comment on the shop' as about from test_comments where id = any(${sql.param(ids)}::uuid[])`,
    ),
}

/** The owner's posting route: screen, then store the post shown or not, in one transaction. */
const commentRoute = (deps: () => TestApp['deps']) => (app: FastifyInstance) => {
  app.post<{ Body: { text: string; storeId?: string } }>('/v1/test/comments', { config: { access: { member: true } } }, async (request, reply) => {
    const t = { deps: deps() }
    const memberId = myMemberId(request)
    const id = newId()
    const screened = await t.deps.db.transaction(async (tx) => {
      const result = await screenContent(
        { db: tx, clock: t.deps.clock },
        { kind: 'comment', contentId: id, memberId, text: request.body.text, storeId: request.body.storeId },
      )
      await tx.execute(
        sql`insert into test_comments (id, member_id, body, visible) values (${id}, ${memberId}, ${request.body.text}, ${result.status === 'published'})`,
      )
      return result
    })
    return reply.code(201).send({ id, ...screened })
  })
}

describe('moderation', () => {
  let t: TestApp
  let stores: Record<string, string>
  let ids: Record<'ada' | 'bea' | 'cal', string>
  let as: Record<'ada' | 'bea' | 'cal' | 'camden' | 'soho' | 'admin' | 'key', Caller>
  const call = (caller: Caller | undefined, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) })
  const post = async (caller: Caller, text: string, storeId?: string) => (await call(caller, 'POST', '/test/comments', { text, storeId })).json()
  const visible = async (id: string) => (await queryRows<{ visible: boolean }>(t.deps.db, sql`select visible from test_comments where id = ${id}`))[0]?.visible

  beforeAll(async () => {
    t = await testApp(
      undefined,
      commentRoute(() => t.deps),
    )
    // The test's comments stand in for the ideas' (same kind): the queue must reach the test's table.
    t.deps.wiring.moderationTargets = [...t.deps.wiring.moderationTargets.filter((target) => target.kind !== testTarget.kind), testTarget]
    await t.deps.db.execute(sql`create table test_comments (id uuid primary key, member_id uuid not null, body text not null, visible boolean not null)`)
    stores = await addStores(t, [
      { code: 'S01', name: 'Camden' },
      { code: 'S02', name: 'Soho' },
    ])
    const [ada, bea, cal] = await enrol(t, [
      { givenName: 'Ada', familyName: 'Lovelace' },
      { givenName: 'Bea', familyName: 'Brown' },
      { givenName: 'Cal', familyName: 'Cole' },
    ])
    ids = { ada, bea, cal }
    as = await callersFor(t, {
      ada: { member: ada },
      bea: { member: bea },
      cal: { member: cal },
      camden: { role: 'associate', storeIds: [stores.S01] },
      soho: { role: 'associate', storeIds: [stores.S02] },
      admin: 'admin',
      key: { scopes: ['members:read', 'activity:write'] },
    })
  })
  afterAll(() => t.close())

  it('holds posts with a filtered word, asks the member to reword a refused one, and passes Scunthorpe', async () => {
    expect((await call(as.admin, 'POST', '/moderation/filters', { term: 'scam*', action: 'hold' })).statusCode).toBe(201)
    expect((await call(as.admin, 'POST', '/moderation/filters', { term: 'Shït', action: 'refuse' })).json()).toMatchObject({ matches: 'shit' })
    const again = await call(as.admin, 'POST', '/moderation/filters', { term: 'SHIT', action: 'hold' })
    expect(again.json()).toMatchObject({
      status: 409,
      type: '/problems/duplicate-word-filter',
      detail: '“SHIT” reads the same as “Shït”, which is on the list already.',
    })
    expect((await call(as.camden, 'POST', '/moderation/filters', { term: 'x', action: 'hold' })).statusCode).toBe(403)

    expect(await post(as.ada, 'Lovely staff in Scunthorpe, a classic shop')).toMatchObject({ status: 'published', reasons: [] })
    const held = await post(as.ada, 'These sellers are total $cammers', stores.S01)
    expect(held).toMatchObject({ status: 'held', reasons: ['Uses a filtered word: “scam*”'] })
    expect(await visible(held.id)).toBe(false)
    const refused = await call(as.ada, 'POST', '/test/comments', { text: 'sh1t service' })
    expect(refused.statusCode).toBe(422)
    expect(refused.json()).toMatchObject({ type: '/problems/content-refused', detail: 'It uses a word the community does not allow: “Shït”.' })
  })

  it('holds a new member’s first posts when the admin says so, until a moderator publishes one', async () => {
    const settings = { holdFirstPosts: 1, ratePosts: 20, rateMinutes: 10 }
    expect((await call(as.admin, 'PUT', '/moderation/settings', settings)).json()).toEqual(settings)
    const first = await post(as.cal, 'Hello all, first time here', stores.S01)
    expect(first).toMatchObject({ status: 'held', reasons: ['One of a new member’s first posts: a moderator looks at it first'] })
    expect((await call(as.camden, 'POST', `/moderation/items/comment/${first.id}/restore`)).json()).toMatchObject({ status: 'published' })
    expect(await visible(first.id)).toBe(true)
    expect(await post(as.cal, 'Second post', stores.S01)).toMatchObject({ status: 'published' })
    expect(await post(as.ada, 'Ada has posted before')).toMatchObject({ status: 'published' })
    await call(as.admin, 'PUT', '/moderation/settings', { ...settings, holdFirstPosts: 0 })
  })

  it('refuses a flood with a 429 that says when to try again, counted in the database', async () => {
    await call(as.admin, 'PUT', '/moderation/settings', { holdFirstPosts: 0, ratePosts: 3, rateMinutes: 10 })
    const [dan] = await enrol(t, [{ givenName: 'Dan' }])
    const { dan: asDan } = await callersFor(t, { dan: { member: dan } })
    for (const n of [1, 2, 3]) expect((await call(asDan, 'POST', '/test/comments', { text: `post ${n}` })).statusCode).toBe(201)
    const flood = await call(asDan, 'POST', '/test/comments', { text: 'post 4' })
    expect(flood.statusCode).toBe(429)
    // The test clock stands at 12:00:00, the start of a ten-minute window.
    expect(flood.headers['retry-after']).toBe('600')
    expect(flood.json()).toMatchObject({
      type: '/problems/posting-too-fast',
      detail: 'You can post 3 times in 10 minutes. Please wait about 10 minutes and try again.',
      retryAfterSeconds: 600,
    })
    const [{ n }] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from test_comments where member_id = ${dan}`)
    expect(n).toBe(3)
    t.deps.clock.advance(10 * 60_000)
    expect((await call(asDan, 'POST', '/test/comments', { text: 'post 5, later' })).statusCode).toBe(201)
    await call(as.admin, 'PUT', '/moderation/settings', { holdFirstPosts: 0, ratePosts: 20, rateMinutes: 10 })
  })

  it('takes one report per member per post, and only of a post others can see', async () => {
    const comment = await post(as.bea, 'Camden’s manager is a fraud', stores.S01)
    const first = await call(as.ada, 'POST', '/community/reports', { kind: 'comment', contentId: comment.id, reason: 'offensive', note: 'Rude about staff' })
    expect(first.statusCode).toBe(201)
    const again = await call(as.ada, 'POST', '/community/reports', { kind: 'comment', contentId: comment.id, reason: 'spam' })
    expect(again.statusCode).toBe(200)
    expect(again.json().reportId).toBe(first.json().reportId)
    expect((await call(as.cal, 'POST', '/community/reports', { kind: 'comment', contentId: comment.id, reason: 'misleading' })).statusCode).toBe(201)
    expect((await call(as.ada, 'POST', '/community/reports', { kind: 'comment', contentId: newId(), reason: 'spam' })).statusCode).toBe(404)
    const bad = await call(as.ada, 'POST', '/community/reports', { kind: 'comment', contentId: comment.id, reason: 'boring' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('body/reason')
    for (const staff of [as.camden, as.key])
      expect((await call(staff, 'POST', '/community/reports', { kind: 'comment', contentId: comment.id, reason: 'spam' })).statusCode).toBe(403)

    const queue = (await call(as.camden, 'GET', '/moderation/queue?show=reported')).json().items
    expect(queue).toMatchObject([
      {
        kind: 'comment',
        contentId: comment.id,
        text: 'Camden’s manager is a fraud',
        about: 'Comment on the shop',
        store: { name: 'Camden' },
        author: { memberId: ids.bea, name: 'Bea Brown', hidden: 0, banned: false },
        reports: [
          { reason: 'offensive', reasonName: 'offensive or abusive', note: 'Rude about staff' },
          { reason: 'misleading', note: null },
        ],
      },
    ])
    // Camden's staff (and admins) hear of it once, however many report it; Soho's do not.
    const titles = async (caller: Caller) => (await call(caller, 'GET', '/notifications')).json().items.map((n: { title: string }) => n.title)
    expect((await titles(as.camden)).filter((title: string) => title === 'A comment was reported')).toHaveLength(1)
    expect(await titles(as.admin)).toContain('A comment was reported')
    expect(await titles(as.soho)).not.toContain('A comment was reported')
  })

  it('lets associates moderate their own store’s posts only, and members not at all', async () => {
    const soho = await post(as.bea, 'Soho has rude people', stores.S02)
    await call(as.ada, 'POST', '/community/reports', { kind: 'comment', contentId: soho.id, reason: 'offensive' })
    const everywhere = await post(as.bea, 'The whole chain is rude')
    await call(as.ada, 'POST', '/community/reports', { kind: 'comment', contentId: everywhere.id, reason: 'offensive' })
    const seen = async (caller: Caller) => (await call(caller, 'GET', '/moderation/queue')).json().items.map((i: { text: string }) => i.text)
    expect(await seen(as.camden)).not.toContain('Soho has rude people')
    expect(await seen(as.camden)).not.toContain('The whole chain is rude')
    expect(await seen(as.soho)).toEqual(['Soho has rude people'])
    expect(await seen(as.admin)).toEqual(expect.arrayContaining(['Soho has rude people', 'The whole chain is rude', 'Camden’s manager is a fraud']))
    expect((await call(as.camden, 'POST', `/moderation/items/comment/${soho.id}/hide`, { reason: 'x' })).statusCode).toBe(404)
    expect(await visible(soho.id)).toBe(true)
    for (const caller of [as.ada, as.key]) {
      expect((await call(caller, 'GET', '/moderation/queue')).statusCode).toBe(403)
      expect((await call(caller, 'POST', `/moderation/items/comment/${soho.id}/hide`)).statusCode).toBe(403)
      expect((await call(caller, 'POST', '/moderation/bans', { memberId: ids.bea, reason: 'nope nope' })).statusCode).toBe(403)
    }
    expect((await call(undefined, 'GET', '/moderation/queue')).statusCode).toBe(401)
  })

  it('hides through the owner, settles the reports, audits it and tells the author; restores the same way', async () => {
    const [item] = (await call(as.camden, 'GET', '/moderation/queue?show=reported')).json().items
    const hidden = await call(as.camden, 'POST', `/moderation/items/comment/${item.contentId}/hide`, { reason: 'Personal attack on a colleague' })
    expect(hidden.json()).toEqual({ kind: 'comment', contentId: item.contentId, status: 'hidden', reportsSettled: 2 })
    expect(await visible(item.contentId)).toBe(false)
    expect((await call(as.camden, 'GET', '/moderation/queue')).json().items.map((i: { contentId: string }) => i.contentId)).not.toContain(item.contentId)
    const notes = (await call(as.bea, 'GET', '/notifications')).json()
    expect(notes.items[0]).toMatchObject({
      kind: 'moderation',
      title: 'A moderator hid your comment',
      body: 'The reason given: Personal attack on a colleague',
    })
    expect((await call(as.ada, 'GET', '/notifications')).json().items.map((n: { title: string }) => n.title)).not.toContain('A moderator hid your comment')

    expect((await call(as.camden, 'POST', `/moderation/items/comment/${item.contentId}/restore`)).json()).toMatchObject({ status: 'published' })
    expect(await visible(item.contentId)).toBe(true)
    const audit = await queryRows<{ action: string; actor_name: string; member_id: string }>(
      t.deps.db,
      sql`select action, actor_name, member_id from audit_entries where target_kind = 'moderation_item' and target_id = ${`comment:${item.contentId}`} order by id`,
    )
    expect(audit).toEqual([
      { action: 'moderation.hide', actor_name: 'Test associate', member_id: ids.bea },
      { action: 'moderation.restore', actor_name: 'Test associate', member_id: ids.bea },
    ])
    expect((await call(as.bea, 'GET', '/notifications')).json().items[0]).toMatchObject({ title: 'Your comment is shown again' })
  })

  it('bans from the queue: an associate about their own store only, for days or for good, with the refusal in words', async () => {
    const wide = await call(as.camden, 'POST', '/moderation/bans', { memberId: ids.bea, reason: 'Repeated attacks' })
    expect(wide.statusCode).toBe(403)
    expect(wide.json().detail).toContain('your own store')
    expect((await call(as.camden, 'POST', '/moderation/bans', { memberId: ids.bea, storeId: stores.S02, reason: 'Repeated attacks' })).statusCode).toBe(403)
    const ban = await call(as.camden, 'POST', '/moderation/bans', { memberId: ids.bea, storeId: stores.S01, days: 7, reason: 'Repeated attacks' })
    expect(ban.statusCode).toBe(201)
    expect(ban.json()).toMatchObject({ store: 'Camden', endsAt: '2026-11-08T12:10:00.000Z' })

    const refused = await call(as.bea, 'POST', '/test/comments', { text: 'Camden again', storeId: stores.S01 })
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toMatchObject({
      type: '/problems/member-banned',
      detail: 'A moderator has stopped you posting about Camden until 8 November 2026 at 12:10 UTC. The reason given: Repeated attacks',
    })
    expect((await call(as.bea, 'POST', '/test/comments', { text: 'About Soho', storeId: stores.S02 })).statusCode).toBe(201)
    expect((await call(as.bea, 'GET', '/notifications')).json().items[0]).toMatchObject({ title: 'You cannot post about Camden until 8 November 2026' })

    const forGood = await call(as.admin, 'POST', '/moderation/bans', { memberId: ids.bea, reason: 'Spam everywhere' })
    expect(forGood.json()).toMatchObject({ store: null, endsAt: null })
    expect((await call(as.bea, 'POST', '/test/comments', { text: 'anything' })).json().detail).toBe(
      'A moderator has stopped you posting in the community for now: the ban has no end date. The reason given: Spam everywhere',
    )
    expect((await call(as.camden, 'DELETE', `/moderation/bans/${ids.bea}/${forGood.json().banId}`)).statusCode).toBe(404) // not theirs to lift
    expect((await call(as.admin, 'DELETE', `/moderation/bans/${ids.bea}/${forGood.json().banId}`)).statusCode).toBe(204)
    expect((await call(as.bea, 'POST', '/test/comments', { text: 'back again' })).statusCode).toBe(201)
    // A week and a day later the Camden ban is over (the service itself: the test's sessions would have expired).
    t.deps.clock.advance(8 * 86_400_000)
    const later = { kind: 'comment', contentId: newId(), memberId: ids.bea, text: 'Camden a week later', storeId: stores.S01 } as const
    expect(await screenContent(t.deps, later)).toMatchObject({ status: 'published' })
    t.deps.clock.advance(-8 * 86_400_000)
    const actions = await queryRows<{ action: string }>(t.deps.db, sql`select action from audit_entries where target_kind = 'moderation_ban' order by id`)
    expect(actions.map((a) => a.action)).toEqual(['moderation.ban', 'moderation.ban', 'moderation.lift_ban'])
  })

  it('keeps a ban on the survivor when the banned member is merged into another card, and gives it back on unmerge', async () => {
    const [eve, eve2] = await enrol(t, [
      { givenName: 'Eve', familyName: 'One' },
      { givenName: 'Eve', familyName: 'Two' },
    ])
    await call(as.admin, 'POST', '/moderation/bans', { memberId: eve, reason: 'Spam links' })
    const post = (memberId: string) => screenContent(t.deps, { kind: 'comment', contentId: newId(), memberId, text: 'hello' })
    expect(await post(eve2)).toMatchObject({ status: 'published' })
    const admin: StaffPrincipal = {
      kind: 'staff',
      userId: as.admin.userId as string,
      displayName: 'Admin',
      role: 'admin',
      storeIds: [],
      via: 'session',
      sessionId: '',
      csrfSecret: '',
    }
    await deliverNotifications(t.deps)
    const told = async (memberId: string) =>
      (await queryRows<{ title: string }>(t.deps.db, sql`select title from member_notifications where member_id = ${memberId}`)).map((r) => r.title)
    expect(await told(eve)).toEqual(['You cannot post in the community until a moderator lifts it'])
    const merge = await mergeMembers(t.deps, eve2, eve, admin)
    await expect(post(eve2)).rejects.toThrow('You cannot post here at the moment')
    expect(await told(eve2)).toEqual(['You cannot post in the community until a moderator lifts it'])
    await unmergeMembers(t.deps, merge.id, admin)
    expect(await post(eve2)).toMatchObject({ status: 'published' })
    await expect(post(eve)).rejects.toThrow('You cannot post here at the moment')
    expect(await told(eve)).toHaveLength(1)
    expect(await told(eve2)).toEqual([])
  })

  it('answers a kind nobody registered with a problem in words, not a failure', async () => {
    // Replies, as if their owner had registered no target (whatever the composition registers today).
    const registered = t.deps.wiring.moderationTargets
    t.deps.wiring.moderationTargets = registered.filter((target) => target.kind !== 'reply')
    try {
      const id = newId()
      await screenContent(t.deps, { kind: 'reply', contentId: id, memberId: ids.ada, text: 'Thanks!', storeId: stores.S01 })
      await call(as.bea, 'POST', '/community/reports', { kind: 'reply', contentId: id, reason: 'spam' })
      const response = await call(as.camden, 'POST', `/moderation/items/reply/${id}/hide`)
      expect(response.statusCode).toBe(409)
      expect(response.json().type).toBe('/problems/moderation-unavailable')
      expect((await call(as.camden, 'POST', `/moderation/items/reply/${id}/dismiss`)).json()).toMatchObject({ status: 'published', reportsSettled: 1 })
    } finally {
      t.deps.wiring.moderationTargets = registered
    }
  })
})
