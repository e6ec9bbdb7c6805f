import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { testApp, testPassword } from '../../../test/support/testing.js'
import { loadConfig } from '../../platform/config.js'
import { queryRows } from '../../platform/db/index.js'
import { hashPassword, passwordMatches } from './passwords.js'
import { createUser } from './service.js'

describe('the cost of a password hash', () => {
  it('is argon2id at 46 MiB and one pass unless configured otherwise', async () => {
    const production = loadConfig({}).passwordCost
    expect(production).toEqual({ memoryKiB: 47_104, passes: 1 })
    const stored = await hashPassword(testPassword, production)
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$/)
    expect(await passwordMatches(stored, testPassword, production)).toBe(true)
    expect(await passwordMatches(stored, 'not the password', production)).toBe(false)
  })

  it('is what the configuration says when a login is created, and such a login still logs in', async () => {
    const t = await testApp()
    try {
      t.deps.config.passwordCost = { memoryKiB: 64, passes: 2 }
      await createUser(t.deps, { email: 'kim@shop.example', displayName: 'Kim', password: testPassword, role: 'associate' })
      const [row] = await queryRows<{ password_hash: string }>(t.deps.db, sql`select password_hash from users where email = 'kim@shop.example'`)
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=64,t=2,p=1\$/)
      const login = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'kim@shop.example', password: testPassword } })
      expect(login.statusCode).toBe(200)
    } finally {
      await t.close()
    }
  })

  it('refuses a cost that is not a whole number of at least 1', () => {
    expect(() => loadConfig({ REGULARS_PASSWORD_MEMORY_KIB: 'lots' })).toThrow('REGULARS_PASSWORD_MEMORY_KIB must be a whole number')
  })
})
