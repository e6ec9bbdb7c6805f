import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callersFor, enrol } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { fieldWords } from './field-messages.js'

describe('a refused request says what is wrong in words, never as a schema path', () => {
  let t: TestApp
  let as: Record<'admin' | 'associate', Caller>
  let memberId: string
  beforeAll(async () => {
    t = await testApp()
    as = await callersFor(t, { admin: 'admin', associate: 'associate' })
    ;[memberId] = await enrol(t, [{ givenName: 'Ada', familyName: 'Lovelace' }])
  })
  afterAll(() => t.close())

  const newUser = (body: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: as.admin.headers,
      payload: { email: 'sam@shop.test', displayName: 'Sam', password: 'a long enough password', role: 'associate', ...body },
    })

  /** The problem's field errors, after checking that nothing a person reads carries a pointer or Ajv's phrasing. */
  async function refused(response: Awaited<ReturnType<typeof newUser>>) {
    expect(response.statusCode).toBe(400)
    const problem = response.json()
    expect(problem.type).toBe('/problems/invalid-request')
    const read = [problem.title, problem.detail, ...problem.errors.map((e: { message: string }) => e.message)].join(' | ')
    expect(read).not.toMatch(/body\/|querystring\/|params\/|\/[a-z]|must match|must NOT|must have|must be equal/)
    return problem.errors as { field: string; message: string }[]
  }

  it('says a malformed email does not look right', async () => {
    expect(await refused(await newUser({ email: 'sam-at-shop' }))).toEqual([{ field: 'body/email', message: "That email doesn't look right" }])
  })

  it('names a missing field as a person calls it', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/users', headers: as.admin.headers, payload: { email: 'sam@shop.test', role: 'associate' } })
    const errors = await refused(response)
    expect(errors).toContainEqual({ field: 'body/displayName', message: 'Display name is required' })
    expect(errors).toContainEqual({ field: 'body/password', message: 'Password is required' })
    expect(response.json().detail).toBe('Display name is required. Password is required.')
  })

  it('says an empty field cannot be empty, and how long a short one must be', async () => {
    expect(await refused(await newUser({ displayName: '' }))).toEqual([{ field: 'body/displayName', message: "Display name can't be empty" }])
    const [short] = await refused(await newUser({ password: 'short' }))
    expect(short).toEqual({ field: 'body/password', message: expect.stringMatching(/^Password needs at least \d+ characters$/) })
  })

  it('lists the values a choice can take', async () => {
    expect(await refused(await newUser({ role: 'boss' }))).toEqual([{ field: 'body/role', message: 'Role should be associate, manager or admin' }])
  })

  it('says what a code looks like when it does not match the pattern', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${memberId}/identifiers/verify`,
      headers: as.associate.headers,
      payload: { kind: 'email', value: 'ada@example.test', code: 'abc' },
    })
    expect(await refused(response)).toEqual([{ field: 'body/code', message: 'The code is the six digits we sent' }])
  })

  it('gives the largest number a field takes', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/outreach?limit=500', headers: as.associate.headers })
    expect(await refused(response)).toEqual([{ field: 'querystring/limit', message: 'Limit can be at most 100' }])
  })

  it('says a field of the wrong kind should be text or a number, and an unknown field is not ours', async () => {
    const errors = await refused(await newUser({ displayName: 42, colour: 'red' }))
    expect(errors).toContainEqual({ field: 'body/displayName', message: 'Display name should be text' })
    expect(errors).toContainEqual({ field: 'body/colour', message: 'Colour is not a field we know' })
  })

  it('says which item of a list is wrong in words', () => {
    expect(fieldWords('body/lines/0/unitPrice')).toBe('Unit price (item 1)')
    expect(fieldWords('headers/idempotency-key')).toBe('Idempotency key')
  })
})
