import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Mailbox, testAppWithMailbox } from '../../../test/support/mailbox.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp } from '../../../test/support/testing.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers } from '../members/index.js'

const strong = 'tulip ladder orbit seventeen'

describe('members join, and everyone gets a password without SQL', () => {
  let t: TestApp & { mailbox: Mailbox; textFor(phone: string): string }
  beforeAll(async () => {
    t = await testAppWithMailbox()
  })
  afterAll(() => t.close())

  const post = (url: string, payload?: object, caller?: Caller) => t.app.inject({ method: 'POST', url, payload, headers: caller?.headers })
  const login = (email: string, password: string) => post('/v1/auth/login', { email, password })
  const tokenIn = (link: string) => new URL(link).searchParams.get('token') as string

  it('joins by email with the code sent to it, and logs in', async () => {
    const asked = await post('/v1/auth/signup', { kind: 'email', value: 'New.Member@example.test', displayName: 'Nia Long', password: strong })
    expect(asked.statusCode).toBe(202)
    const code = t.mailbox.codeFor('new.member@example.test')
    expect(asked.body).not.toContain(code)
    const joined = await post('/v1/auth/signup/verify', { kind: 'email', value: 'new.member@example.test', code })
    expect(joined.statusCode).toBe(201)
    expect(joined.json().user).toMatchObject({ email: 'new.member@example.test', role: 'member', displayName: 'Nia Long' })
    expect(joined.cookies.find((c) => c.name === 'regulars_session')?.httpOnly).toBe(true)
    expect((await login('new.member@example.test', strong)).statusCode).toBe(200)
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: `regulars_session=${joined.cookies[0].value}` } })
    expect(me.json().identifiers).toEqual([expect.objectContaining({ kind: 'email', value: 'new.member@example.test', verified: true })])
    expect(me.json().member).toMatchObject({ givenName: 'Nia', familyName: 'Long' }) // the name given at joining is the member's
  })

  it('answers the same for an address that already has a login, and sends its owner a note instead of a code', async () => {
    const first = await post('/v1/auth/signup', { kind: 'email', value: 'twice@example.test', displayName: 'A', password: strong })
    await post('/v1/auth/signup/verify', { kind: 'email', value: 'twice@example.test', code: t.mailbox.codeFor('twice@example.test') })
    const again = await post('/v1/auth/signup', { kind: 'email', value: 'twice@example.test', displayName: 'Someone else', password: strong })
    expect(again.statusCode).toBe(first.statusCode)
    expect(again.json()).toEqual(first.json())
    const note = t.mailbox.received.at(-1)
    expect(note?.subject).toBe('You already have a Regulars login')
    expect(note?.text).not.toMatch(/\b\d{6}\b/)
  })

  it('joins the member the tills already knew by that phone: their history comes along', async () => {
    const memberId = newId()
    const at = t.deps.clock.now()
    await enrolMembers(
      t.deps.db,
      [
        {
          member: { id: memberId, givenName: 'Gus', joinedAt: at },
          identifiers: [
            { kind: 'phone', value: '+447700900555' },
            { kind: 'card', value: 'C-555' },
          ],
        },
      ],
      {
        defaultRegion: 'GB',
        at,
      },
    )
    await post('/v1/auth/signup', { kind: 'phone', value: '07700 900555', displayName: 'Gus', password: strong })
    const joined = await post('/v1/auth/signup/verify', { kind: 'phone', value: '07700900555', code: t.textFor('+447700900555') })
    expect(joined.json().user).toMatchObject({ memberId, phone: '+447700900555', email: null })
    // A member who joined by text logs in with their phone.
    expect((await login('07700 900555', strong)).statusCode).toBe(200)
  })

  it('refuses aaaaaaaaaa in people’s words, and a wrong code with the tries left', async () => {
    const weak = await post('/v1/auth/signup', { kind: 'email', value: 'weak@example.test', displayName: 'W', password: 'aaaaaaaaaa' })
    expect(weak.statusCode).toBe(400)
    expect(weak.json()).toMatchObject({
      type: '/problems/weak-password',
      errors: [{ field: 'body/password', message: 'Repeated characters like "aaa" are easy to guess.' }],
    })
    await post('/v1/auth/signup', { kind: 'email', value: 'typo@example.test', displayName: 'T', password: strong })
    const code = t.mailbox.codeFor('typo@example.test')
    const wrong = await post('/v1/auth/signup/verify', { kind: 'email', value: 'typo@example.test', code: code === '000000' ? '111111' : '000000' })
    expect(wrong.json()).toMatchObject({ type: '/problems/code-wrong', attemptsLeft: 4 })
    t.deps.clock.advance(16 * 60_000)
    expect((await post('/v1/auth/signup/verify', { kind: 'email', value: 'typo@example.test', code })).json().type).toBe('/problems/code-expired')
  })

  it('resets a forgotten password through a one-time link, and says nothing about unknown logins', async () => {
    await post('/v1/auth/signup', { kind: 'email', value: 'forgetful@example.test', displayName: 'F', password: strong })
    await post('/v1/auth/signup/verify', { kind: 'email', value: 'forgetful@example.test', code: t.mailbox.codeFor('forgetful@example.test') })
    const mailsBefore = t.mailbox.received.length
    // A slow mail server: a known login's answer must not wait on it (an unknown one's never would).
    t.mailbox.hold()
    const unknown = await post('/v1/auth/password-reset', { login: 'nobody@example.test' })
    const known = await post('/v1/auth/password-reset', { login: 'Forgetful@example.test' })
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202])
    expect(known.json()).toEqual(unknown.json())
    expect(known.headers['content-type']).toBe(unknown.headers['content-type'])
    expect(t.mailbox.received.length).toBe(mailsBefore)
    t.mailbox.release()
    await t.mailbox.arrival('forgetful@example.test', mailsBefore)
    expect(t.mailbox.received.slice(mailsBefore).map((m) => m.to)).toEqual([['forgetful@example.test']])
    const link = t.mailbox.linkFor('forgetful@example.test')
    expect(link).toMatch(/\/reset-password\?token=/)
    expect(known.body).not.toContain(tokenIn(link))

    const weak = await post('/v1/auth/password-reset/confirm', { token: tokenIn(link), newPassword: 'aaaaaaaaaa' })
    expect(weak.json().type).toBe('/problems/weak-password')
    const newPassword = 'marble kettle violin harbour'
    expect((await post('/v1/auth/password-reset/confirm', { token: tokenIn(link), newPassword })).statusCode).toBe(204)
    expect((await post('/v1/auth/password-reset/confirm', { token: tokenIn(link), newPassword })).json().type).toBe('/problems/link-expired')
    expect((await login('forgetful@example.test', strong)).statusCode).toBe(401)
    expect((await login('forgetful@example.test', newPassword)).statusCode).toBe(200)
  })

  it('lets an admin reset a staff password: the old one and its sessions stop at once, the link sets a new one', async () => {
    const admin = await loginAs(t, 'admin')
    const associate = await loginAs(t, 'associate')
    const me = (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: associate.headers })).json().user
    expect((await post(`/v1/users/${associate.userId}/password-reset`, {}, associate)).statusCode).toBe(403)
    const reset = await post(`/v1/users/${associate.userId}/password-reset`, {}, admin)
    expect(reset.statusCode).toBe(202)
    expect(reset.json()).toEqual({ sentTo: me.email, expiresAt: expect.any(String) })
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: associate.headers })).statusCode).toBe(401)
    const link = t.mailbox.linkFor(me.email)
    expect(reset.body).not.toContain(tokenIn(link))
    expect((await post('/v1/auth/password-reset/confirm', { token: tokenIn(link), newPassword: 'copper meadow lantern ninety' })).statusCode).toBe(204)
    expect((await login(me.email, 'copper meadow lantern ninety')).statusCode).toBe(200)
    const audit = (await t.app.inject({ method: 'GET', url: '/v1/audit', headers: admin.headers })).json().items
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['user.password_reset', 'user.password_set']))
  })

  it('lets an associate invite a member with a verified email, and not one without', async () => {
    const associate = await loginAs(t, 'associate')
    const memberId = newId()
    const at = t.deps.clock.now()
    await enrolMembers(t.deps.db, [{ member: { id: memberId, givenName: 'Ivy', joinedAt: at }, identifiers: [{ kind: 'email', value: 'ivy@example.test' }] }], {
      defaultRegion: 'GB',
      at,
    })
    const invited = await post(`/v1/members/${memberId}/invitation`, {}, associate)
    expect(invited.statusCode).toBe(201)
    expect(invited.json().sentTo).toBe('ivy@example.test')
    expect((await post(`/v1/members/${memberId}/invitation`, {}, associate)).statusCode).toBe(409)
    const link = t.mailbox.linkFor('ivy@example.test')
    expect((await post('/v1/auth/password-reset/confirm', { token: tokenIn(link), newPassword: 'violet canyon pepper drum' })).statusCode).toBe(204)
    const signedIn = await login('ivy@example.test', 'violet canyon pepper drum')
    expect(signedIn.json().user).toMatchObject({ role: 'member', memberId })

    const member = await loginAs(t, 'member')
    const unverified = newId()
    await enrolMembers(t.deps.db, [{ member: { id: unverified, joinedAt: at }, identifiers: [] }], { defaultRegion: 'GB', at })
    await post(`/v1/members/${unverified}/identifiers`, { kind: 'email', value: 'unproved@example.test' }, associate)
    expect((await post(`/v1/members/${unverified}/invitation`, {}, associate)).json().type).toBe('/problems/no-verified-contact')
    expect((await post(`/v1/members/${unverified}/invitation`, {}, member)).statusCode).toBe(403)
    const key = await apiKeyCaller(t.deps, ['members:write'])
    expect((await post(`/v1/members/${unverified}/invitation`, {}, key)).statusCode).toBe(403)
  })

  it('never disables or demotes the last active admin', async () => {
    const admin = await loginAs(t, 'admin')
    const patch = (id: string | undefined, payload: object, caller: Caller) =>
      t.app.inject({ method: 'PATCH', url: `/v1/users/${id}`, payload, headers: caller.headers })
    const users = (await t.app.inject({ method: 'GET', url: '/v1/users', headers: admin.headers })).json().items
    // Disable every other admin first, so this one is the last.
    for (const u of users.filter((u: { role: string; id: string }) => u.role === 'admin' && u.id !== admin.userId)) await patch(u.id, { disabled: true }, admin)
    const refused = await patch(admin.userId, { disabled: true }, admin)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().type).toBe('/problems/last-admin')
    expect((await patch(admin.userId, { role: 'manager' }, admin)).json().type).toBe('/problems/last-admin')
    const second = await loginAs(t, 'admin')
    expect((await patch(admin.userId, { disabled: true }, second)).statusCode).toBe(200)
  })
})
