import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addRules, addStores, callersFor, enrol, sendActivity } from '../../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../../test/support/testing.js'
import { upsertProducts } from '../../activity/index.js'
import { setConsents } from '../../members/index.js'
import { balanceOf } from '../../rewards/index.js'

describe('questions on products', () => {
  let t: TestApp
  let ids: Record<'ada' | 'bea' | 'cal', string>
  let as: Record<'ada' | 'bea' | 'cal' | 'sam' | 'kim' | 'admin' | 'manager' | 'anon', Caller>
  const call = (caller: Caller, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller.headers, ...(payload ? { payload } : {}) })

  beforeAll(async () => {
    t = await testApp()
    const stores = await addStores(t, [
      { code: 'S01', name: 'Camden' },
      { code: 'S02', name: 'Brixton' },
    ])
    await upsertProducts(t.deps.db, [
      { sku: 'BOOTS', name: 'Walking boots', priceMinor: 9000, currency: 'GBP' },
      { sku: 'TENT', name: 'Two-person tent', priceMinor: 19000, currency: 'GBP' },
    ])
    const [ada, bea, cal] = await enrol(t, [
      { givenName: 'Ada', familyName: 'Lovelace', card: 'C-ADA' },
      { givenName: 'Bea', familyName: 'Brown', email: 'bea@example.test', card: 'C-BEA' },
      { givenName: 'Cal', familyName: 'Cole' },
    ])
    ids = { ada, bea, cal }
    for (const id of [ada, bea]) await setConsents(t.deps.db, id, { social_visibility: true }, t.deps.clock.now())
    as = {
      ...(await callersFor(t, {
        ada: { member: ada },
        bea: { member: bea },
        cal: { member: cal },
        sam: { role: 'associate', storeIds: [stores.S01] },
        kim: { role: 'associate', storeIds: [stores.S02] },
        admin: 'admin',
        manager: 'manager',
      })),
      anon: { headers: {} },
    }
    await addRules(t, as.admin, [{ name: 'Helping', when: { kinds: ['question_answered'] }, award: { flat: 20 }, explanation: '+{points} for answering' }])
    // Bea bought boots in Camden; the tent sold in Brixton only.
    const till = (await callersFor(t, { till: { scopes: ['activity:write'] } })).till
    await sendActivity(t, till, { kind: 'purchase', member: { kind: 'card', value: 'C-BEA' }, lines: [{ sku: 'BOOTS', quantity: 1, unitPrice: 9000 }] })
    await sendActivity(t, till, {
      kind: 'purchase',
      store: 'S02',
      member: { kind: 'card', value: 'C-ADA' },
      lines: [{ sku: 'TENT', quantity: 1, unitPrice: 19000 }],
    })
  })
  afterAll(() => t.close())

  it('routes an unanswered question to associates of stores that sold the product, and no others', async () => {
    const asked = await call(as.ada, 'POST', '/products/BOOTS/questions', { body: 'Do these run wide?' })
    expect(asked.statusCode).toBe(201)
    expect(asked.json()).toMatchObject({ body: 'Do these run wide?', askedBy: { name: 'Ada L.' }, mine: true, answers: [], bestAnswerId: null })
    await call(as.bea, 'POST', '/products/TENT/questions', { body: 'Is it easy to pitch alone?' })

    const sam = (await call(as.sam, 'GET', '/associate/questions')).json().items
    expect(sam.map((q: { sku: string }) => q.sku)).toEqual(['BOOTS'])
    // Staff see who asked; the queue is staff-only.
    expect(sam[0].askedBy.memberId).toBe(ids.ada)
    expect((await call(as.kim, 'GET', '/associate/questions')).json().items.map((q: { sku: string }) => q.sku)).toEqual(['TENT'])
    expect((await call(as.admin, 'GET', '/associate/questions')).json().items).toHaveLength(2)
    expect((await call(as.ada, 'GET', '/associate/questions')).statusCode).toBe(403)
    expect((await call(as.anon, 'GET', '/associate/questions')).statusCode).toBe(401)
  })

  it('shows a member who bought it with a badge, an associate with the staff badge and store, never an email, and rewards the member once', async () => {
    const [question] = (await call(as.ada, 'GET', '/me/questions')).json().items
    expect((await call(as.ada, 'POST', `/questions/${question.questionId}/answers`, { body: 'Me again' })).json().type).toBe('/problems/own-question')
    const before = (await balanceOf(t.deps.db, ids.bea)).available
    const bea = await call(as.bea, 'POST', `/questions/${question.questionId}/answers`, { body: 'A little wide, *go half a size down*.' })
    expect(bea.statusCode).toBe(201)
    const sam = await call(as.sam, 'POST', `/questions/${question.questionId}/answers`, { body: 'Our wide fit is in store in Camden.' })
    expect(sam.statusCode).toBe(201)
    const { answers } = (await call(as.anon, 'GET', '/products/BOOTS/questions')).json().questions[0]
    expect(answers.map((a: { author: object }) => a.author)).toEqual([
      { kind: 'member', name: 'Bea B.', storeName: null, staffBadge: false, boughtIt: true },
      { kind: 'staff', name: 'Test associate', storeName: 'Camden', staffBadge: true, boughtIt: false },
    ])
    expect(answers[0].bodyHtml).toContain('<em>go half a size down</em>')
    expect(JSON.stringify(answers)).not.toMatch(/@example\.test|memberId/)
    expect((await balanceOf(t.deps.db, ids.bea)).available - before).toBe(20)
    const timeline = (await call(as.bea, 'GET', '/me/timeline')).json()
    expect(timeline.items.filter((a: { kind: string }) => a.kind === 'question_answered')).toHaveLength(1)
    // Answered now: it leaves the associates' list.
    expect((await call(as.sam, 'GET', '/associate/questions')).json().items).toEqual([])
  })

  it('lets only members who bought it answer, and tells the product page who may', async () => {
    const [question] = (await call(as.ada, 'GET', '/me/questions')).json().items
    // Cal never bought the boots: refused in words, and his page offers him no answer form.
    const cal = await call(as.cal, 'POST', `/questions/${question.questionId}/answers`, { body: 'I think they run wide.' })
    expect(cal.statusCode).toBe(403)
    expect(cal.json()).toMatchObject({ type: '/problems/not-a-buyer', detail: expect.stringContaining('members who bought this product') })
    expect((await call(as.cal, 'GET', '/products/BOOTS/questions')).json().mayAnswer).toBe(false)
    expect((await call(as.bea, 'GET', '/products/BOOTS/questions')).json().mayAnswer).toBe(true)
    expect((await call(as.sam, 'GET', '/products/BOOTS/questions')).json().mayAnswer).toBe(true)
    const anonymous = (await call(as.anon, 'GET', '/products/BOOTS/questions')).json()
    expect(anonymous.mayAnswer).toBe(false)
    expect(anonymous.product).toMatchObject({ sku: 'BOOTS', name: 'Walking boots', priceMinor: 9000, currency: 'GBP', inStock: true })
  })

  it('lets only the asker choose the best answer, and only among its own answers', async () => {
    const [question] = (await call(as.ada, 'GET', '/me/questions')).json().items
    const staffAnswer = question.answers.find((a: { author: { kind: string } }) => a.author.kind === 'staff')
    expect((await call(as.bea, 'PUT', `/questions/${question.questionId}/best-answer`, { answerId: staffAnswer.answerId })).statusCode).toBe(404)
    const wrong = await call(as.ada, 'PUT', `/questions/${question.questionId}/best-answer`, { answerId: question.questionId })
    expect(wrong.statusCode).toBe(422)
    expect(wrong.json()).toMatchObject({ type: '/problems/not-an-answer', field: 'answerId' })
    const chosen = await call(as.ada, 'PUT', `/questions/${question.questionId}/best-answer`, { answerId: staffAnswer.answerId })
    expect(chosen.json().bestAnswerId).toBe(staffAnswer.answerId)
    expect(chosen.json().answers[0]).toMatchObject({ answerId: staffAnswer.answerId, best: true })
  })

  it('takes back a hidden answer’s points when a moderator hides it in the queue', async () => {
    const [question] = (await call(as.ada, 'GET', '/me/questions')).json().items
    const beas = question.answers.find((a: { author: { kind: string } }) => a.author.kind === 'member')
    const before = (await balanceOf(t.deps.db, ids.bea)).available
    expect((await call(as.manager, 'POST', `/moderation/items/answer/${beas.answerId}/hide`, {})).statusCode).toBe(200)
    expect((await balanceOf(t.deps.db, ids.bea)).available).toBe(before - 20)
    expect((await call(as.cal, 'GET', '/products/BOOTS/questions')).json().questions[0].answers).toHaveLength(1)
    expect((await call(as.manager, 'POST', `/moderation/items/question/${question.questionId}/hide`, {})).statusCode).toBe(200)
    expect((await call(as.cal, 'GET', '/products/BOOTS/questions')).json().questions).toEqual([])
  })

  it('refuses a question too short to answer, in words', async () => {
    const bad = await call(as.cal, 'POST', '/products/BOOTS/questions', { body: '?' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('body/body')
  })
})
