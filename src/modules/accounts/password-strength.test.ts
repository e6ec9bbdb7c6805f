import { describe, expect, it } from 'vitest'
import { requireStrongPassword, WeakPassword } from './password-strength.js'

describe('password strength', () => {
  const refusal = async (password: string, personal: string[] = []) => {
    try {
      await requireStrongPassword(password, personal)
    } catch (error) {
      if (error instanceof WeakPassword) return error
      throw error
    }
    return undefined
  }

  it('refuses a repeated letter, a common password and a keyboard row, saying why in plain words', async () => {
    expect((await refusal('aaaaaaaaaa'))?.details.errors).toEqual([{ field: 'body/password', message: 'Repeated characters like "aaa" are easy to guess.' }])
    expect((await refusal('password123'))?.details.errors).toEqual([{ field: 'body/password', message: 'This is a commonly used password.' }])
    expect((await refusal('qwertyuiop'))?.status).toBe(400)
    expect((await refusal('aaaaaaaaaa'))?.detail).toContain('a few unrelated words')
  })

  it('refuses a password made of the person’s own email', async () => {
    expect(await refusal('ada.lovelace1815', ['ada.lovelace1815@example.com'])).toBeInstanceOf(WeakPassword)
  })

  it('accepts a passphrase of unrelated words', async () => {
    expect(await refusal('tulip ladder orbit seventeen')).toBeUndefined()
  })
})
