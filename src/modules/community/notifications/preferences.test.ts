import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Mailbox, testAppWithMailbox } from '../../../../test/support/mailbox.js'
import { addStores, callersFor, enrol, sendActivity } from '../../../../test/support/shop.js'
import type { Caller, TestApp } from '../../../../test/support/testing.js'
import { queryRows } from '../../../platform/db/index.js'
import { upsertProducts } from '../../activity/index.js'
import { notify } from '../index.js'
import { sendNotificationEmails } from './service.js'

describe('notification settings: what a member hears about, in the app and by email', () => {
  let t: TestApp & { mailbox: Mailbox }
  let ids: Record<'ada' | 'bea', string>
  let as: Record<'ada' | 'bea' | 'sam' | 'kim' | 'key', Caller>
  const call = (caller: Caller | undefined, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/v1${url}`, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) })
  const settings = async (caller: Caller) => (await call(caller, 'GET', '/me/notification-settings')).json()
  const titles = async (caller: Caller) => (await call(caller, 'GET', '/notifications')).json().items.map((n: { title: string }) => n.title)
  const choice = (s: { kinds: { kind: string; inApp: boolean; email: boolean }[] }, kind: string) => s.kinds.find((k) => k.kind === kind)

  beforeAll(async () => {
    t = await testAppWithMailbox('2026-12-01T10:00:00Z')
    await upsertProducts(t.deps.db, [{ sku: 'SCARF', name: 'Wool scarf', category: ['Accessories'], priceMinor: 3000 }])
    const [ada, bea] = await enrol(t, [
      { givenName: 'Ada', identifiers: [{ kind: 'email', value: 'ada@example.test' }] },
      { givenName: 'Bea', identifiers: [{ kind: 'card', value: 'C-BEA' }] },
    ])
    ids = { ada, bea }
    as = await callersFor(t, {
      ada: { member: ada },
      bea: { member: bea },
      sam: 'associate',
      kim: 'admin',
      key: { scopes: ['members:read', 'activity:write'] },
    })
    // Bea bought the scarf, so she may answer a question about it (only buyers and staff answer).
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    const bought = await sendActivity(t, as.key, {
      kind: 'purchase',
      member: { kind: 'card', value: 'C-BEA' },
      lines: [{ sku: 'SCARF', quantity: 1, unitPrice: 3000 }],
    })
    expect(bought.statusCode, bought.body).toBeLessThan(300)
  }, 120_000)
  afterAll(() => t.close())

  it('starts with every kind in the app and none by email, and says where email would go', async () => {
    const mine = await settings(as.ada)
    expect(mine.kinds.map((k: { kind: string; inApp: boolean; email: boolean }) => [k.kind, k.inApp, k.email])).toEqual([
      ['status', true, false],
      ['answer', true, false],
      ['reply', true, false],
      ['moderation', true, false],
    ])
    expect(choice(mine, 'answer')).toMatchObject({ label: 'Answers to my questions' })
    expect(mine.email).toMatchObject({ consent: false, changedAt: null, verifiedEmail: 'ada@example.test' })
    expect((await settings(as.bea)).email.verifiedEmail).toBeNull()
  })

  it('is each member’s own: staff, keys and strangers cannot read or change it, and Bea never sees Ada’s', async () => {
    expect((await call(undefined, 'GET', '/me/notification-settings')).statusCode).toBe(401)
    for (const caller of [as.sam, as.kim, as.key]) {
      expect((await call(caller, 'GET', '/me/notification-settings')).statusCode).toBe(403)
      expect((await call(caller, 'PUT', '/me/notification-settings', { kinds: { status: { inApp: false } } })).statusCode).toBe(403)
    }
    expect((await call(as.ada, 'PUT', '/me/notification-settings', { kinds: { reply: { inApp: false } } })).statusCode).toBe(200)
    const beas = await settings(as.bea)
    expect(choice(beas, 'reply')).toMatchObject({ inApp: true })
    expect(JSON.stringify(beas)).not.toContain('ada@example.test')
    expect((await call(as.ada, 'PUT', '/me/notification-settings', { kinds: { reply: { inApp: true } } })).statusCode).toBe(200)
  })

  it('refuses kinds and values it does not know, naming the field', async () => {
    const unknown = await call(as.ada, 'PUT', '/me/notification-settings', { kinds: { mention: { inApp: false } } })
    expect(unknown.statusCode).toBe(400)
    const wrong = await call(as.ada, 'PUT', '/me/notification-settings', { kinds: { status: { inApp: 'sometimes' } } })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().errors[0].field).toContain('inApp')
  })

  it('keeps a kind turned off out of the centre and the bell, and the others coming', async () => {
    const off = await call(as.ada, 'PUT', '/me/notification-settings', { kinds: { status: { inApp: false } } })
    expect(choice(off.json(), 'status')).toMatchObject({ inApp: false, email: false })
    const before = (await call(as.ada, 'GET', '/notifications/unread')).json().unread
    await notify(t.deps, { recipients: [{ memberId: ids.ada }, { memberId: ids.bea }], kind: 'status', title: 'Oat milk is planned', key: 'status:oat' })
    expect(await titles(as.ada)).not.toContain('Oat milk is planned')
    expect((await call(as.ada, 'GET', '/notifications/unread')).json().unread).toBe(before)
    expect(await titles(as.bea)).toContain('Oat milk is planned') // Bea's choice is her own
    await notify(t.deps, { recipients: [{ memberId: ids.ada }], kind: 'moderation', title: 'Your review is published', key: 'mod:1' })
    expect(await titles(as.ada)).toContain('Your review is published')
  })

  it('tells the asker of every answer and the reviewer of every reply, from members and from staff', async () => {
    const question = await call(as.ada, 'POST', '/products/SCARF/questions', { body: 'Is it itchy?' })
    expect(question.statusCode).toBe(201)
    expect((await call(as.bea, 'POST', `/questions/${question.json().questionId}/answers`, { body: 'Not at all.' })).statusCode).toBe(201)
    expect((await call(as.sam, 'POST', `/questions/${question.json().questionId}/answers`, { body: 'It is merino: soft.' })).statusCode).toBe(201)
    const review = await call(as.ada, 'POST', '/products/SCARF/reviews', { rating: 5, title: 'Warm', body: 'Lovely and warm.' })
    expect(review.statusCode).toBe(201)
    expect((await call(as.sam, 'POST', `/reviews/${review.json().reviewId}/replies`, { body: 'Thank you, Ada!' })).statusCode).toBe(201)
    expect(await titles(as.ada)).toEqual(
      expect.arrayContaining([
        'A member answered your question about Wool scarf',
        'Test associate answered your question about Wool scarf',
        'Test associate replied to your review of Wool scarf',
      ]),
    )
    expect(await titles(as.bea)).not.toContain('Test associate replied to your review of Wool scarf')
  })

  it('emails a kind only with the ledger’s consent and a verified address, and stops when consent is withdrawn', async () => {
    const noAddress = await call(as.bea, 'PUT', '/me/notification-settings', { email: true })
    expect(noAddress.statusCode).toBe(409)
    expect(noAddress.json()).toMatchObject({ type: '/problems/no-verified-email' })
    // Answers by email only; without consent yet, nothing is sent and nothing shows.
    await call(as.ada, 'PUT', '/me/notification-settings', { kinds: { answer: { inApp: false, email: true } } })
    await notify(t.deps, { recipients: [{ memberId: ids.ada }], kind: 'answer', title: 'Answer one', key: 'answer:1' })
    expect(await titles(as.ada)).not.toContain('Answer one')
    expect(await sendNotificationEmails(t.deps)).toEqual({ sent: 0, skipped: 0 })

    const given = (await call(as.ada, 'PUT', '/me/notification-settings', { email: true })).json()
    expect(given.email).toMatchObject({ consent: true, verifiedEmail: 'ada@example.test' })
    const ledger = (await call(as.ada, 'GET', '/me/consents/history')).json().items
    expect(ledger[0]).toMatchObject({ purpose: 'notifications', channel: 'email', granted: true, source: 'notification_settings' })
    expect(ledger[0].wording).toContain('Never offers')

    const since = t.mailbox.received.length
    await notify(t.deps, {
      recipients: [{ memberId: ids.ada }],
      kind: 'answer',
      title: 'Bea answered your question',
      body: 'Not at all.',
      link: '/me',
      key: 'answer:2',
    })
    await notify(t.deps, { recipients: [{ memberId: ids.ada }], kind: 'moderation', title: 'Not by email', key: 'mod:2' })
    expect(await titles(as.ada)).not.toContain('Bea answered your question')
    expect(await sendNotificationEmails(t.deps)).toEqual({ sent: 1, skipped: 0 })
    await t.mailbox.arrival('ada@example.test', since)
    const mail = t.mailbox.received.at(-1)
    expect(mail).toMatchObject({ to: ['ada@example.test'], subject: 'Bea answered your question' })
    expect(mail?.text).toContain('Not at all.')
    expect(mail?.text).toContain(`${t.deps.config.publicUrl}/me`)
    expect(await sendNotificationEmails(t.deps)).toEqual({ sent: 0, skipped: 0 }) // sent once

    // Withdrawn between the notification and the sending: it is not sent.
    await notify(t.deps, { recipients: [{ memberId: ids.ada }], kind: 'answer', title: 'Answer three', key: 'answer:3' })
    await call(as.ada, 'GET', '/notifications') // delivered into the centre, email due
    expect((await call(as.ada, 'PUT', '/me/notification-settings', { email: false })).json().email.consent).toBe(false)
    expect(await sendNotificationEmails(t.deps)).toEqual({ sent: 0, skipped: 1 })
    const statuses = await queryRows<{ title: string; email_status: string | null }>(
      t.deps.db,
      sql`select title, email_status from member_notifications where member_id = ${ids.ada} and kind = 'answer' order by created_at`,
    )
    expect(statuses.filter((s) => s.title.startsWith('Answer') || s.title.startsWith('Bea'))).toEqual([
      { title: 'Bea answered your question', email_status: 'sent' },
      { title: 'Answer three', email_status: 'skipped' },
    ])
  })
})
