import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import { type Db, queryRows } from '../db/index.js'
import { DomainError } from '../http/problems.js'

/** How long a code sent to an email or phone stays good, and how many wrong tries it survives. */
export const codeMinutes = 15
export const maxCodeAttempts = 5
/** Codes sent to one address in an hour, so nobody can flood someone's inbox through us. */
export const maxCodeSends = 5
export const sendWindowMs = 3_600_000
export const codeExpiry = (now: Date) => new Date(now.getTime() + codeMinutes * 60_000)

/**
 * The ON CONFLICT DO UPDATE parts of sending a code to an address that had one: `set` restarts the
 * hourly window once it is over and otherwise counts the send; `allowed` refuses the update (no row
 * returned) past maxCodeSends in the window.
 */
export function sendWindow(columns: { sends: PgColumn; windowStartedAt: PgColumn }, now: Date): { set: SQL; allowed: SQL } {
  const restarts = sql`${columns.windowStartedAt} <= ${new Date(now.getTime() - sendWindowMs)}`
  return {
    set: sql`sends = case when ${restarts} then 1 else ${columns.sends} + 1 end,
          window_started_at = case when ${restarts} then excluded.window_started_at else ${columns.windowStartedAt} end`,
    allowed: sql`${restarts} or ${columns.sends} < ${maxCodeSends}`,
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/**
 * A six-digit code and the hash to store. The hash is bound to what the code proves (`purpose`, e.g.
 * the member and address), so a code sent for one address never proves another.
 */
export function newCode(purpose: string) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  return { code, hash: codeHash(purpose, code) }
}

export const codeHash = (purpose: string, code: string) => sha256(`${purpose}\n${code.trim()}`)

/** Compares two hex hashes in constant time (a timing difference would hint at the right code). */
export function hashesMatch(stored: string, candidate: string): boolean {
  const a = Buffer.from(stored, 'hex')
  const b = Buffer.from(candidate, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A table of codes sent: each row has the code's hash, its tries so far and when it dies. */
type SentCodes = PgTable & { codeHash: PgColumn; attempts: PgColumn; expiresAt: PgColumn }

/**
 * Spends one try at the code in `table`'s row under `key`. The try is counted in its own statement,
 * so a refusal cannot roll it back; a code dies after maxCodeAttempts tries or codeMinutes. Throws
 * CodeExpired when no live code is there and CodeWrong when it does not match; the caller uses the
 * code up (deletes the row) once it matched.
 */
export async function spendCodeTry(db: Db, table: SentCodes, key: SQL | undefined, purpose: string, code: string, now: Date) {
  const [sent] = await queryRows<{ code_hash: string; attempts: number }>(
    db,
    sql`update ${table} set attempts = ${table.attempts} + 1
         where ${key} and ${table.expiresAt} > ${now} and ${table.attempts} < ${maxCodeAttempts}
         returning ${table.codeHash} as code_hash, ${table.attempts} as attempts`,
  )
  if (!sent) throw new CodeExpired()
  if (!hashesMatch(sent.code_hash, codeHash(purpose, code))) throw new CodeWrong(maxCodeAttempts - sent.attempts)
}

/** A long random token for a one-time link, and the hash to store. */
export function newLinkToken() {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: sha256(token) }
}
export const linkTokenHash = (token: string) => sha256(token)

export class CodeWrong extends DomainError {
  constructor(attemptsLeft: number) {
    super(
      '/problems/code-wrong',
      400,
      'That code is not right',
      { attemptsLeft, errors: [{ field: 'body/code', message: 'does not match the code we sent' }] },
      attemptsLeft > 0 ? `Check the code and try again (${attemptsLeft} tries left).` : 'No tries left: ask for a new code.',
    )
  }
}

export class CodeExpired extends DomainError {
  constructor() {
    super(
      '/problems/code-expired',
      400,
      'That code has expired',
      { errors: [{ field: 'body/code', message: 'has expired or was used up' }] },
      'Codes work for 15 minutes and a few tries: ask for a new code.',
    )
  }
}

export class TooManyCodes extends DomainError {
  constructor() {
    super('/problems/too-many-codes', 429, 'Too many codes sent', {}, 'We have sent several codes to this address in the last hour: try again later.')
  }
}
