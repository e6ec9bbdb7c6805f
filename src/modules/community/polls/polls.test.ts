import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol, sendActivity } from '../../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../../test/support/testing.js'
import { queryRows } from '../../../platform/db/index.js'
import { upsertProducts } from '../../activity/index.js'
import { mergeMembers } from '../../identity/index.js'
import { refreshInsights } from '../../insights/index.js'
import { setModerationSettings } from '../moderation/index.js'

describe('polls on the product mix', () => {
  let t: TestApp
  let stores: Record<string, string>
  let people: string[]
  let as: Record<'manager' | 'associate' | 'admin' | 'ada' | 'ben' | 'cat' | 'dan' | 'leeds' | 'reportKey' | 'tillKey', Caller>
  const call = (caller: Caller | undefined, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller?.headers, ...(payload ? { payload } : {}) })
  const inAWeek = () => new Date(t.deps.clock.now().getTime() + 7 * 86_400_000).toISOString()
  const newPoll = async (body: object) => {
    const response = await call(as.manager, 'POST', '/polls', { scope: 'retailer', endsAt: inAWeek(), ...body })
    expect(response.statusCode, response.body).toBe(201)
    return response.json() as { id: string; options: { id: string; label: string }[] }
  }

  beforeAll(async () => {
    t = await testApp()
    stores = await addStores(t, [
      { code: 'S01', name: 'Camden', region: 'London' },
      { code: 'S02', name: 'Leeds', region: 'North' },
    ])
    people = await enrol(t, [
      { givenName: 'Ada', homeStoreId: stores.S01, card: '2001' },
      { givenName: 'Ben', homeStoreId: stores.S01, card: '2002' },
      { givenName: 'Cat', homeStoreId: stores.S01, card: '2003' },
      { givenName: 'Dan', homeStoreId: stores.S01, card: '2004' },
      { givenName: 'Lee', homeStoreId: stores.S02, card: '2005' },
    ])
    as = await callersFor(t, {
      manager: 'manager',
      associate: 'associate',
      admin: 'admin',
      ada: { member: people[0] },
      ben: { member: people[1] },
      cat: { member: people[2] },
      dan: { member: people[3] },
      leeds: { member: people[4] },
      reportKey: { scopes: ['insights:read'] },
      tillKey: { scopes: ['activity:write'] },
    })
  })
  afterAll(() => t.close())

  it('lets managers start polls and refuses everyone else, in words', async () => {
    const body = { kind: 'single', question: 'Which milk should we stock?', scope: 'retailer', endsAt: inAWeek(), options: ['Oat', 'Soy'] }
    for (const caller of [as.associate, as.ada, as.reportKey]) expect((await call(caller, 'POST', '/polls', body)).statusCode).toBe(403)
    expect((await call(undefined, 'POST', '/polls', body)).statusCode).toBe(401)

    const past = await call(as.manager, 'POST', '/polls', { ...body, endsAt: '2020-01-01T00:00:00Z' })
    expect(past.statusCode).toBe(422)
    expect(past.json()).toMatchObject({ type: '/problems/invalid-poll', field: '/endsAt', detail: 'Give an end date in the future.' })
    const twice = await call(as.manager, 'POST', '/polls', { ...body, options: ['Oat', ' oat '] })
    expect(twice.json()).toMatchObject({ type: '/problems/invalid-poll', field: '/options/1' })
    const nowhere = await call(as.manager, 'POST', '/polls', { ...body, scope: 'store' })
    expect(nowhere.json()).toMatchObject({ field: '/scopeValue', detail: 'Say which store the poll is for.' })
    const oneOption = await call(as.manager, 'POST', '/polls', { ...body, options: ['Oat'] })
    expect(oneOption.statusCode).toBe(400)
    expect(oneOption.headers['content-type']).toContain('application/problem+json')
  })

  it('shows members the polls near them: everyone’s, their region’s and their store’s', async () => {
    const everyone = await newPoll({ kind: 'single', question: 'Open later on Sundays?', options: ['Yes', 'No'] })
    const camden = await newPoll({ kind: 'single', question: 'A Camden tasting evening?', scope: 'store', scopeValue: stores.S01, options: ['Yes', 'No'] })
    const north = await newPoll({ kind: 'single', question: 'Stock Yorkshire tea?', scope: 'region', scopeValue: 'North', options: ['Yes', 'No'] })
    const near = async (caller: Caller) => ((await call(caller, 'GET', '/me/polls')).json().items as { id: string }[]).map((p) => p.id)
    expect(await near(as.ada)).toEqual(expect.arrayContaining([everyone.id, camden.id]))
    expect(await near(as.ada)).not.toContain(north.id)
    expect(await near(as.leeds)).toEqual(expect.arrayContaining([everyone.id, north.id]))
    expect(await near(as.leeds)).not.toContain(camden.id)
    // A poll not near the member is not there for them at all.
    expect((await call(as.leeds, 'GET', `/me/polls/${camden.id}`)).statusCode).toBe(404)
    expect((await call(as.manager, 'GET', '/me/polls')).statusCode).toBe(403)
  })

  it('shows a category poll only to members who buy in that category, as ideas near them are chosen', async () => {
    await upsertProducts(t.deps.db, [{ sku: 'RYE-LOAF', name: 'Rye loaf', category: ['Food', 'Bakery'], priceMinor: 350, currency: 'GBP' }])
    // Dan bought bread; Cat never did.
    const bought = await sendActivity(t, as.tillKey, {
      kind: 'purchase',
      store: 'S01',
      member: { kind: 'card', value: '2004' },
      lines: [{ sku: 'RYE-LOAF', quantity: 1, unitPrice: 350 }],
    })
    expect(bought.statusCode).toBe(201)
    const bakery = await newPoll({ kind: 'single', question: 'Which bread on Saturdays?', scope: 'category', scopeValue: 'bakery', options: ['Rye', 'Spelt'] })
    const near = async (caller: Caller) => ((await call(caller, 'GET', '/me/polls')).json().items as { id: string }[]).map((p) => p.id)
    expect(await near(as.dan)).toContain(bakery.id)
    expect(await near(as.cat)).not.toContain(bakery.id)
    // Not near Cat, so not there for her at all: neither to read nor to answer.
    expect((await call(as.cat, 'GET', `/me/polls/${bakery.id}`)).statusCode).toBe(404)
    expect((await call(as.cat, 'POST', `/me/polls/${bakery.id}/answer`, { optionIds: [bakery.options[0].id] })).statusCode).toBe(404)
    expect((await call(as.dan, 'POST', `/me/polls/${bakery.id}/answer`, { optionIds: [bakery.options[0].id] })).statusCode).toBe(201)
  })

  it('takes one voice per member, across merged accounts, and records the answer as activity once', async () => {
    const poll = await newPoll({ kind: 'multiple', question: 'Which breads would you buy?', options: ['Rye', 'Spelt', 'Sourdough'] })
    const [rye, spelt, sourdough] = poll.options.map((o) => o.id)
    const answer = (caller: Caller, optionIds: string[]) => call(caller, 'POST', `/me/polls/${poll.id}/answer`, { optionIds })

    const unknown = await answer(as.ada, [rye, people[0]])
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json()).toMatchObject({ type: '/problems/unknown-poll-option', field: '/optionIds/1', detail: 'That option is not on this poll.' })
    expect((await answer(as.ada, [rye, sourdough])).statusCode).toBe(201)
    const again = await answer(as.ada, [spelt])
    expect(again.statusCode).toBe(409)
    expect(again.json().detail).toMatch(/already answered this poll/)
    // Ben is Ada's second account: he answered before they were merged.
    expect((await answer(as.ben, [spelt])).statusCode).toBe(201)
    await answer(as.cat, [sourdough])
    await mergeMembers(t.deps, people[0], people[1], { kind: 'staff', userId: 'x', displayName: 'x', role: 'admin', storeIds: [], via: 'apiKey' } as never)

    const results = (await call(as.associate, 'GET', `/polls/${poll.id}/results`)).json()
    expect(results.overall.voices).toBe(2) // Ada (with Ben) and Cat
    const share = Object.fromEntries(results.overall.options.map((o: { label: string; count: number; score: number }) => [o.label, [o.count, o.score]]))
    expect(share).toEqual({ Sourdough: [2, 1], Rye: [1, 0.5], Spelt: [0, 0] })
    expect(results.byStore).toEqual([expect.objectContaining({ name: 'Camden', voices: 2 })])

    const activity = await queryRows<{ member_id: string; kind: string }>(
      t.deps.db,
      sql`select member_id, kind from activities where kind = 'poll_answered' and details ->> 'pollId' = ${poll.id}`,
    )
    // Ben's answer earned before the merge; his activity moved to Ada with it.
    expect(activity.map((a) => a.member_id).sort()).toEqual([people[0], people[0], people[2]].sort())
  })

  it('refuses answers once a poll has closed', async () => {
    const poll = await newPoll({ kind: 'single', question: 'Bring back the lemon tart?', options: ['Yes', 'No'] })
    expect((await call(as.associate, 'POST', `/polls/${poll.id}/close`)).statusCode).toBe(403)
    expect((await call(as.manager, 'POST', `/polls/${poll.id}/close`)).json().open).toBe(false)
    const late = await call(as.cat, 'POST', `/me/polls/${poll.id}/answer`, { optionIds: [poll.options[0].id] })
    expect(late.statusCode).toBe(409)
    expect(late.json()).toMatchObject({ type: '/problems/poll-closed' })
  })

  it('asks pairs never answered before, fewest answered first, takes skips and suggestions, and estimates every option', async () => {
    const poll = await newPoll({ kind: 'pairwise', question: 'Which would you rather we stocked?', options: ['Oat milk', 'Cold brew', 'Kombucha', 'Matcha'] })
    const byLabel = Object.fromEntries(poll.options.map((o) => [o.label, o.id]))
    const preference = ['Cold brew', 'Oat milk', 'Matcha', 'Kombucha']
    /** Answers every pair the member is shown, as `preference` orders them, skipping the first one when told. */
    const answerAll = async (caller: Caller, skipFirst: boolean) => {
      const seen = new Set<string>()
      let shown = (await call(caller, 'GET', `/me/polls/${poll.id}/pair`)).json()
      expect(shown).toMatchObject({ answered: 0, pairs: 6 })
      const firstPair = (shown.pair as { id: string }[]).map((o) => o.id).sort()
      while (shown.pair) {
        const [x, y] = shown.pair as { id: string; label: string }[]
        const key = [x.id, y.id].sort().join(':')
        expect(seen.has(key)).toBe(false)
        seen.add(key)
        const winner = preference.indexOf(x.label) < preference.indexOf(y.label) ? x : y
        const next = await call(caller, 'POST', `/me/polls/${poll.id}/pair`, {
          optionA: x.id,
          optionB: y.id,
          winnerId: skipFirst && seen.size === 1 ? null : winner.id,
        })
        expect(next.statusCode, next.body).toBe(201)
        shown = next.json()
      }
      expect(seen.size).toBe(6)
      expect(shown.answered).toBe(6)
      return firstPair
    }
    const catSkipped = await answerAll(as.cat, true)
    // Dan's first pair is the one Cat skipped: the only one no-one has answered yet.
    expect(await answerAll(as.dan, false)).toEqual(catSkipped)

    const repeat = await call(as.cat, 'POST', `/me/polls/${poll.id}/pair`, {
      optionA: byLabel['Oat milk'],
      optionB: byLabel['Cold brew'],
      winnerId: byLabel['Oat milk'],
    })
    expect(repeat.statusCode).toBe(409)
    const stranger = await call(as.dan, 'POST', `/me/polls/${poll.id}/pair`, {
      optionA: byLabel['Oat milk'],
      optionB: byLabel['Cold brew'],
      winnerId: byLabel.Matcha,
    })
    expect(stranger.json()).toMatchObject({ type: '/problems/unknown-poll-option', field: '/winnerId' })

    // Moderation holds a member's first post: the suggestion waits for staff before it enters the pairs.
    await setModerationSettings(t.deps, undefined, { holdFirstPosts: 1, ratePosts: 20, rateMinutes: 10 })
    const suggested = await call(as.dan, 'POST', `/me/polls/${poll.id}/suggestions`, { label: '  Chai   latte ' })
    expect(suggested.json()).toMatchObject({ label: 'Chai latte', status: 'pending' })
    expect((await call(as.dan, 'POST', `/me/polls/${poll.id}/suggestions`, { label: 'oat MILK' })).statusCode).toBe(409)
    const results = (await call(as.reportKey, 'GET', `/polls/${poll.id}/results`)).json()
    expect(results.pending.map((o: { label: string }) => o.label)).toEqual(['Chai latte'])
    expect(results.overall.options.map((o: { label: string }) => o.label)).toEqual(preference)
    for (const o of results.overall.options) expect(o.low <= o.score && o.score <= o.high).toBe(true)
    expect((await call(as.associate, 'POST', `/polls/${poll.id}/options/${suggested.json().id}/review`, { decision: 'approve' })).statusCode).toBe(403)
    await call(as.manager, 'POST', `/polls/${poll.id}/options/${suggested.json().id}/review`, { decision: 'approve' })
    expect((await call(as.cat, 'GET', `/me/polls/${poll.id}/pair`)).json()).toMatchObject({ answered: 6, pairs: 10 })
    // Without the hold a suggestion that passes moderation is shown at once; the queue can still hide it.
    await setModerationSettings(t.deps, undefined, { holdFirstPosts: 0, ratePosts: 20, rateMinutes: 10 })
    const next = (await call(as.dan, 'POST', `/me/polls/${poll.id}/suggestions`, { label: 'Iced tea' })).json()
    expect(next.status).toBe('published')
    const hidden = await call(as.admin, 'POST', `/moderation/items/poll_option/${next.id}/hide`, { reason: 'Not something we could stock' })
    expect(hidden.statusCode, hidden.body).toBeLessThan(300)
    expect((await call(as.manager, 'GET', `/polls/${poll.id}`)).json().options.find((o: { id: string }) => o.id === next.id).status).toBe('declined')

    // Five choices earned activity; the skip did not.
    const [{ n }] = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from activities where kind = 'poll_answered' and member_id = ${people[2]} and details ->> 'pollId' = ${poll.id}`,
    )
    expect(n).toBe(5)

    // The segment breakdown follows insights' segments once they are computed.
    for (const card of ['2003', '2004'])
      expect(
        (
          await sendActivity(t, as.tillKey, { kind: 'purchase', member: { kind: 'card', value: card }, lines: [{ sku: 'BEANS', quantity: 1, unitPrice: 900 }] })
        ).json(),
      ).toMatchObject({ status: 'recorded' })
    // Insights count what happened before their refresh: an hour on.
    t.deps.clock.advance(3_600_000)
    await refreshInsights(t.deps)
    const bySegment = (await call(as.admin, 'GET', `/polls/${poll.id}/results`)).json().bySegment
    expect(bySegment).toEqual([expect.objectContaining({ key: 'new', name: 'New members', voices: 2 })])
    // Chai latte, approved since, has no choices yet: it sits at the prior's middle.
    expect(bySegment[0].options.map((o: { label: string }) => o.label).filter((l: string) => l !== 'Chai latte')).toEqual(preference)
  })

  it('keeps results and the staff’s list from members and till keys', async () => {
    const poll = await newPoll({ kind: 'single', question: 'Paper or cloth bags?', options: ['Paper', 'Cloth'] })
    for (const url of [`/polls/${poll.id}/results`, '/polls', `/polls/${poll.id}`]) {
      expect((await call(as.ada, 'GET', url)).statusCode).toBe(403)
      expect((await call(as.tillKey, 'GET', url)).statusCode).toBe(403)
      expect((await call(undefined, 'GET', url)).statusCode).toBe(401)
    }
    expect((await call(as.associate, 'GET', '/polls')).json().items.length).toBeGreaterThan(3)
  })
})
