import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApp, testApp } from '../../../test/support/testing.js'
import { createUser } from '../accounts/index.js'

describe('the login page’s demo hint', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })
  afterAll(() => t.close())
  const logins = async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/demo/logins' })
    expect(response.statusCode).toBe(200)
    return response.json().logins
  }

  it('names no demo login where the demo retailer was never seeded, and only those that exist where it was', async () => {
    expect(await logins()).toEqual([])
    await createUser(t.deps, { email: 'admin@demo.regulars.dev', displayName: 'Demo admin', password: 'regulars-demo', role: 'admin', skipStrengthCheck: true })
    // Anyone may ask (the login page has no session); the answer never carries a password.
    expect(await logins()).toEqual([{ role: 'admin', email: 'admin@demo.regulars.dev' }])
  })
})
