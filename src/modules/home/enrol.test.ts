import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Mailbox, testAppWithMailbox } from '../../../test/support/mailbox.js'
import { addStores, callersFor, enrol } from '../../../test/support/shop.js'
import type { Caller, TestApp } from '../../../test/support/testing.js'

describe('joining a shopper at the till', () => {
  let t: TestApp & { mailbox: Mailbox }
  let as: Record<'camden' | 'admin' | 'member' | 'reader' | 'pos', Caller>
  let stores: Record<string, string>
  const call = (method: 'GET' | 'POST', url: string, who: Caller | undefined, payload?: object) => t.app.inject({ method, url, headers: who?.headers, payload })
  const join = (who: Caller | undefined, body: object) => call('POST', '/v1/members', who, body)

  beforeAll(async () => {
    t = await testAppWithMailbox()
    stores = await addStores(t, [
      { code: 'S01', name: 'Camden' },
      { code: 'S02', name: 'Leeds' },
    ])
    const [held] = await enrol(t, [{ givenName: 'Held', familyName: 'Already', card: '6337 0000 0099' }])
    as = await callersFor(t, {
      camden: { role: 'associate', storeIds: [stores.S01] },
      admin: 'admin',
      member: { member: held },
      reader: { scopes: ['members:read'] },
      pos: { scopes: ['members:write'] },
    })
  })
  afterAll(() => t.close())

  it('joins a shopper with a card in one step, at the associate’s own store, the card vouched for', async () => {
    const joined = await join(as.camden, { givenName: 'Grace', familyName: 'Hopper', identifier: { kind: 'card', value: '6337 0000 0042' } })
    expect(joined.statusCode, joined.body).toBe(201)
    expect(joined.json()).toMatchObject({ displayName: 'Grace Hopper', kind: 'card', codeSent: false })
    const card = (await call('GET', `/v1/members/${joined.json().memberId}`, as.camden)).json()
    expect(card.member).toMatchObject({ displayName: 'Grace Hopper', homeStoreName: 'Camden', joinedChannel: 'store' })
    expect(card.identifiers).toEqual([expect.objectContaining({ kind: 'card', verified: true })])
    const found = await call('GET', `/v1/members/lookup?kind=card&value=${encodeURIComponent(joined.json().value)}`, as.camden)
    expect(found.json().id).toBe(joined.json().memberId)
  })

  it('sends a code to an email they join with, which the associate enters to verify it', async () => {
    const joined = await join(as.camden, { givenName: 'Ada', identifier: { kind: 'email', value: 'Ada@Example.test' } })
    expect(joined.json()).toMatchObject({ displayName: 'Ada', value: 'ada@example.test', codeSent: true })
    const memberId = joined.json().memberId
    const code = t.mailbox.codeFor('ada@example.test')
    expect(joined.body).not.toContain(code)
    const verified = await call('POST', `/v1/members/${memberId}/identifiers/verify`, as.camden, { kind: 'email', value: 'ada@example.test', code })
    expect(verified.json()).toMatchObject({ verified: true })
  })

  it('creates nobody when the card is already a member’s, and says so', async () => {
    const before = (await call('GET', '/v1/members?q=Twice', as.admin)).json().items.length
    const refused = await join(as.camden, { givenName: 'Twice', identifier: { kind: 'card', value: '6337 0000 0099' } })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().type).toBe('/problems/identifier-taken')
    expect((await call('GET', '/v1/members?q=Twice', as.admin)).json().items).toHaveLength(before)
  })

  it('says in words what is missing or wrong', async () => {
    const noName = await join(as.camden, { givenName: '', identifier: { kind: 'email', value: 'nope' } })
    expect(noName.json().errors).toContainEqual({ field: 'body/givenName', message: "Given name can't be empty" })
    const badEmail = await join(as.camden, { givenName: 'Nope', identifier: { kind: 'email', value: 'nope' } })
    expect(badEmail.json()).toMatchObject({ status: 400, detail: "That email doesn't look right." })
  })

  it('keeps a store-held associate to their own stores, and joining to staff and member-writing keys', async () => {
    const elsewhere = await join(as.camden, { givenName: 'Lee', identifier: { kind: 'card', value: '6337 0000 0077' }, store: 'S02' })
    expect(elsewhere.statusCode).toBe(403)
    const byAdmin = await join(as.admin, { givenName: 'Lee', identifier: { kind: 'card', value: '6337 0000 0077' }, store: 'S02' })
    expect((await call('GET', `/v1/members/${byAdmin.json().memberId}`, as.admin)).json().member.homeStoreName).toBe('Leeds')
    const body = { givenName: 'Mo', identifier: { kind: 'card', value: '6337 0000 0088' } }
    expect((await join(undefined, body)).statusCode).toBe(401)
    expect((await join(as.member, body)).statusCode).toBe(403)
    expect((await join(as.reader, body)).statusCode).toBe(403)
    expect((await join(as.pos, body)).statusCode).toBe(201)
  })
})
