import { eq, sql } from 'drizzle-orm'
import { codeExpiry, codeMinutes, newCode, sendWindow, spendCodeTry, TooManyCodes } from '../../platform/auth/one-time.js'
import { queryRows } from '../../platform/db/index.js'
import { deliver } from '../../platform/delivery/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import { memberProfile } from '../members/index.js'
import { erasureCodes } from './schema.js'

const purposeOf = (memberId: string) => `erasure:${memberId}`

export class NoVerifiedAddress extends DomainError {
  constructor() {
    super(
      '/problems/no-verified-contact',
      409,
      'There is no verified email or phone to send the code to',
      {},
      'Add your email or phone on this page and enter the code we send; then ask for the erasure code.',
    )
  }
}

/** "g•••@example.com", "•••••••123": enough for the member to know where to look, no more. */
const masked = (kind: string, value: string) =>
  kind === 'email' ? value.replace(/^(.)[^@]*(@.*)$/, '$1•••$2') : `${'•'.repeat(Math.max(0, value.length - 3))}${value.slice(-3)}`

/**
 * Sends the member a code that confirms their erasure request comes from them, to a verified
 * address of theirs (an email first, else a phone): one live code at a time, at most maxCodeSends an hour.
 */
export async function sendErasureCode({ db, clock, delivery }: Pick<Deps, 'db' | 'clock' | 'delivery'>, memberId: string) {
  const { member, identifiers } = await memberProfile(db, memberId)
  const verified = identifiers.filter((i) => i.verified && (i.kind === 'email' || i.kind === 'phone'))
  const to = verified.find((i) => i.kind === 'email') ?? verified.find((i) => i.kind === 'phone')
  if (!to) throw new NoVerifiedAddress()
  const now = clock.now()
  const { code, hash } = newCode(purposeOf(member.id))
  const window = sendWindow(erasureCodes, now)
  const sent = await queryRows<{ expires_at: Date | string }>(
    db,
    sql`insert into ${erasureCodes} (member_id, code_hash, expires_at, attempts, sends, window_started_at)
        values (${member.id}, ${hash}, ${codeExpiry(now)}, 0, 1, ${now})
        on conflict (member_id) do update set code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0, ${window.set}
        where ${window.allowed}
        returning expires_at`,
  )
  if (sent.length === 0) throw new TooManyCodes()
  await deliver(delivery, {
    channel: to.kind === 'email' ? 'email' : 'sms',
    to: to.value,
    subject: 'Your Regulars code to erase your data',
    text: `Your code to erase your Regulars data is ${code}. It works for ${codeMinutes} minutes.\nErasing cannot be undone. If you did not ask for it, do not share this code and change your password.`,
  })
  return { sentTo: masked(to.kind, to.value), channel: to.kind, expiresAt: new Date(sent[0].expires_at).toISOString() }
}

/** Checks the erasure code: every try counts in its own statement; a right code is used up. Throws CodeWrong or CodeExpired. */
export async function checkErasureCode({ db, clock }: Pick<Deps, 'db' | 'clock'>, memberId: string, code: string) {
  const key = eq(erasureCodes.memberId, memberId)
  await spendCodeTry(db, erasureCodes, key, purposeOf(memberId), code, clock.now())
  await db.delete(erasureCodes).where(key)
}
