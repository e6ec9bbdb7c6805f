import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol } from '../../../../test/support/shop.js'
import type { Caller, TestApp } from '../../../../test/support/testing.js'
import { testApp } from '../../../../test/support/testing.js'
import { queryRows } from '../../../platform/db/index.js'
import { upsertProducts } from '../../activity/index.js'

let t: TestApp
let stores: Record<string, string>
let ids: Record<'ada' | 'bea', string>
let who: Record<'ada' | 'bea' | 'camden' | 'islington' | 'manager' | 'admin' | 'till', Caller>
const as = (caller: Caller, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url: `/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) })
const share = async (caller: Caller, body: object = {}) => {
  const response = await as(caller, 'POST', '/ideas', {
    kind: 'product',
    title: 'Oat milk flat whites',
    body: 'Please stock oat milk.',
    scope: 'retailer',
    ...body,
  })
  expect(response.statusCode).toBe(201)
  return response.json().idea.id as string
}

beforeAll(async () => {
  t = await testApp('2026-12-03T10:00:00Z')
  stores = await addStores(t, [
    { code: 'S01', name: 'Camden', region: 'London' },
    { code: 'S02', name: 'Islington', region: 'London' },
  ])
  await upsertProducts(t.deps.db, [{ sku: 'OAT-1', name: 'Oat milk 1l', category: ['Dairy alternatives'], priceMinor: 180 }])
  const [ada, bea] = await enrol(t, [{ givenName: 'Ada' }, { givenName: 'Bea' }])
  ids = { ada, bea }
  who = await callersFor(t, {
    ada: { member: ada },
    bea: { member: bea },
    camden: { role: 'associate', storeIds: [stores.S01] },
    islington: { role: 'associate', storeIds: [stores.S02] },
    manager: 'manager',
    admin: 'admin',
    till: { scopes: ['activity:write'] },
  })
}, 180_000) // a loaded machine takes longer than the default minute to start the app
afterAll(() => t.close())

describe('sharing and voting through the API', () => {
  it('shows the weight formula in words and the member’s own weight on the idea page', async () => {
    const id = await share(who.ada)
    const page = (await as(who.bea, 'GET', `/ideas/${id}`)).json()
    expect(page.weight.inWords).toMatch(/one person, one voice across all their cards and accounts/)
    expect(page.weight.mine).toEqual({ weight: 1, score: null, purchases: 0 })
    expect(page.ladder.steps.map((s: { step: string }) => s.step)).toEqual(['would_buy', 'pledge'])
    expect(page.idea).toMatchObject({ status: 'new', support: 0, byMe: false, myVote: false })
  })

  it('votes as the member signed in only: Ada taking her vote back leaves Bea’s', async () => {
    const id = await share(who.ada)
    expect((await as(who.ada, 'PUT', `/ideas/${id}/vote`)).json()).toMatchObject({ support: 1, voters: 1, budget: { left: 9 } })
    expect((await as(who.bea, 'PUT', `/ideas/${id}/vote`)).json()).toMatchObject({ support: 2, voters: 2 })
    expect((await as(who.ada, 'DELETE', `/ideas/${id}/vote`)).json()).toEqual({ support: 1, voters: 1 })
    expect((await as(who.ada, 'DELETE', `/ideas/${id}/vote`)).json()).toEqual({ support: 1, voters: 1 })
    const board = (await as(who.bea, 'GET', '/ideas?mine=voted')).json()
    expect(board.ideas.map((i: { id: string }) => i.id)).toContain(id)
    expect((await as(who.ada, 'GET', '/ideas?mine=voted')).json().ideas.map((i: { id: string }) => i.id)).not.toContain(id)
    expect((await as(who.bea, 'GET', '/me/ideas/votes')).json().votes[0]).toMatchObject({ ideaId: id, weight: 1 })
  })

  it('sorts the board by weighted support, newest and status', async () => {
    const [quiet, popular] = [await share(who.ada, { title: 'Quiet idea' }), await share(who.ada, { title: 'Popular idea' })]
    for (const c of [who.ada, who.bea]) await as(c, 'PUT', `/ideas/${popular}/vote`)
    const bySupport = (await as(who.bea, 'GET', '/ideas?sort=support')).json().ideas.map((i: { id: string }) => i.id)
    expect(bySupport.indexOf(popular)).toBeLessThan(bySupport.indexOf(quiet))
    const newest = (await as(who.bea, 'GET', '/ideas?sort=newest&limit=2')).json()
    expect(newest.ideas.map((i: { id: string }) => i.id)).toContain(popular)
    expect(newest.nextOffset).toBe(2)
  })

  it('refuses what a person would misread, in words: a store idea without its store, an empty title, an unknown field', async () => {
    const noStore = await as(who.ada, 'POST', '/ideas', { kind: 'service', title: 'Repair café', body: 'Monthly', scope: 'store' })
    expect(noStore.statusCode).toBe(400)
    expect(noStore.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(noStore.json()).toMatchObject({ type: '/problems/idea-scope', title: 'An idea for a store needs to say which', errors: [{ field: 'body/storeId' }] })
    const empty = await as(who.ada, 'POST', '/ideas', { kind: 'product', title: '', body: 'x', scope: 'retailer' })
    expect(empty.json()).toMatchObject({ type: '/problems/invalid-request', errors: [{ field: 'body/title' }] })
    const odd = await as(who.ada, 'POST', '/ideas', { kind: 'product', title: 'Nice one', body: 'x', scope: 'retailer', points: 100 })
    expect(odd.statusCode).toBe(400)
    const badPledge = await as(who.ada, 'PUT', `/ideas/${await share(who.ada)}/pledge`, { quantity: 0 })
    expect(badPledge.json()).toMatchObject({ status: 400, errors: [{ field: 'body/quantity' }] })
  })
})

describe('who may answer, merge and see what', () => {
  it('lets a store’s associate answer its ideas only, and a decline needs its reason', async () => {
    const camdenIdea = await share(who.ada, { scope: 'store', storeId: stores.S01, kind: 'service', title: 'Later opening on Sundays' })
    expect((await as(who.islington, 'POST', `/ideas/${camdenIdea}/status`, { status: 'planned' })).statusCode).toBe(403)
    const noReason = await as(who.camden, 'POST', `/ideas/${camdenIdea}/status`, { status: 'declined' })
    expect(noReason.json()).toMatchObject({ type: '/problems/decline-reason', status: 400, errors: [{ field: 'body/reason' }] })
    const planned = await as(who.camden, 'POST', `/ideas/${camdenIdea}/status`, { status: 'planned' })
    expect(planned.json().idea).toMatchObject({ status: 'planned' })
    const wholeShop = await share(who.ada)
    expect((await as(who.camden, 'POST', `/ideas/${wholeShop}/status`, { status: 'planned' })).statusCode).toBe(403)
    const launched = await as(who.manager, 'POST', `/ideas/${wholeShop}/status`, { status: 'in_stock', skus: ['OAT-1'] })
    expect(launched.statusCode).toBe(200)
    const page = (await as(who.ada, 'GET', `/ideas/${wholeShop}`)).json()
    expect(page.products).toEqual([expect.objectContaining({ sku: 'OAT-1', name: 'Oat milk 1l' })])
    expect(page.history.map((h: { status: string }) => h.status)).toEqual(['new', 'in_stock'])
    expect(JSON.stringify(page)).not.toMatch(/byUserId|userId/)
    const unknown = await as(who.manager, 'POST', `/ideas/${await share(who.ada)}/status`, { status: 'in_stock', skus: ['NOPE'] })
    expect(unknown.json()).toMatchObject({ type: '/problems/unknown-products', skus: ['NOPE'] })
  })

  it('keeps who voted, and merging, to staff', async () => {
    const [kept, duplicate] = [await share(who.ada), await share(who.bea)]
    await as(who.ada, 'PUT', `/ideas/${duplicate}/vote`)
    expect((await as(who.ada, 'GET', `/ideas/${kept}/voters`)).statusCode).toBe(403)
    expect((await as(who.ada, 'POST', `/ideas/${duplicate}/merge`, { into: kept })).statusCode).toBe(403)
    const merged = await as(who.manager, 'POST', `/ideas/${duplicate}/merge`, { into: kept })
    expect(merged.json()).toMatchObject({ carriedVotes: 1, idea: { id: kept, voters: 1 } })
    expect((await as(who.manager, 'GET', `/ideas/${kept}/voters`)).json().voters).toEqual([expect.objectContaining({ carriedFrom: duplicate, weight: 1 })])
    const again = await as(who.manager, 'POST', `/ideas/${duplicate}/merge`, { into: kept })
    expect(again.json()).toMatchObject({ type: '/problems/cannot-merge-ideas', status: 409 })
  })

  it('refuses votes from an API key and settings changes from anyone but admins, and checks the settings', async () => {
    const id = await share(who.ada)
    expect((await as(who.till, 'PUT', `/ideas/${id}/vote`)).statusCode).toBe(403)
    expect((await as(who.camden, 'PUT', `/ideas/${id}/vote`)).statusCode).toBe(403)
    const settings = (await as(who.manager, 'GET', '/ideas/settings')).json()
    expect((await as(who.manager, 'PUT', '/ideas/settings', settings)).statusCode).toBe(403)
    const bad = await as(who.admin, 'PUT', '/ideas/settings', { ...settings, budget: { votes: 0, period: 'month' } })
    expect(bad.json()).toMatchObject({ status: 400, errors: [{ field: 'body/budget/votes' }] })
    expect((await as(who.admin, 'PUT', '/ideas/settings', { ...settings, budget: { votes: 3, period: 'week' } })).json().budget).toEqual({
      votes: 3,
      period: 'week',
    })
  })

  it('screens ideas like every post: a refused word is refused in words, a held idea is hidden from members until a moderator restores it', async () => {
    expect((await as(who.admin, 'POST', '/moderation/filters', { term: 'scam', action: 'refuse' })).statusCode).toBeLessThan(300)
    expect((await as(who.admin, 'POST', '/moderation/filters', { term: 'cheap knockoffs', action: 'hold' })).statusCode).toBeLessThan(300)
    const refused = await as(who.ada, 'POST', '/ideas', { kind: 'product', title: 'A scam deal', body: 'x', scope: 'retailer' })
    expect(refused.json()).toMatchObject({ type: '/problems/content-refused', status: 422 })
    const held = await as(who.ada, 'POST', '/ideas', { kind: 'product', title: 'Cheap knockoffs of trainers', body: 'x', scope: 'retailer' })
    const heldId = held.json().idea.id
    expect((await as(who.bea, 'GET', `/ideas/${heldId}`)).statusCode).toBe(404)
    expect((await as(who.bea, 'GET', '/ideas?limit=100')).json().ideas.map((i: { id: string }) => i.id)).not.toContain(heldId)
    const shared = async () =>
      (
        await queryRows<{ n: number }>(
          t.deps.db,
          sql`select count(*)::int as n from activities where kind = 'idea_shared' and member_id = ${ids.ada} and details ->> 'ideaId' = ${heldId}`,
        )
      )[0].n
    expect(await shared()).toBe(0) // held: nothing earned yet
    expect((await as(who.admin, 'POST', `/moderation/items/idea/${heldId}/restore`, {})).statusCode).toBeLessThan(300)
    expect((await as(who.bea, 'GET', `/ideas/${heldId}`)).statusCode).toBe(200)
    // Restored, it is shared: on Ada's timeline once, however often it is hidden and restored again.
    expect(await shared()).toBe(1)
    expect((await as(who.admin, 'POST', `/moderation/items/idea/${heldId}/hide`, {})).statusCode).toBeLessThan(300)
    expect((await as(who.admin, 'POST', `/moderation/items/idea/${heldId}/restore`, {})).statusCode).toBeLessThan(300)
    expect(await shared()).toBe(1)
  })

  it('answers 404 for a hidden idea to members, and for an idea that is not there', async () => {
    expect((await as(who.ada, 'GET', '/ideas/01a20b44-0000-7000-8000-000000000000')).json()).toMatchObject({ type: '/problems/not-found', status: 404 })
  })
})
