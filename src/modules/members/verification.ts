import { and, eq, sql } from 'drizzle-orm'
import { codeExpiry, codeMinutes, newCode, sendWindow, spendCodeTry, TooManyCodes } from '../../platform/auth/one-time.js'
import { queryRows } from '../../platform/db/index.js'
import { deliver } from '../../platform/delivery/index.js'
import type { Deps } from '../../platform/deps.js'
import { IdentifierTaken } from './profile.js'
import { identifierProofs, memberIdentifiers } from './schema.js'

/** The identifier kinds a code can be sent to; cards and the rest are vouched for by an associate who holds them. */
export type ProvableKind = 'email' | 'phone'
export const isProvable = (kind: string): kind is ProvableKind => kind === 'email' || kind === 'phone'

const purposeOf = (memberId: string, kind: ProvableKind, value: string) => `identifier:${memberId}:${kind}:${value}`

/**
 * Sends a fresh code to an address a member says is theirs (any earlier code stops working).
 * At most maxCodeSends per address and member in an hour.
 */
export async function sendIdentifierCode(
  { db, clock, delivery }: Pick<Deps, 'db' | 'clock' | 'delivery'>,
  memberId: string,
  kind: ProvableKind,
  value: string,
) {
  const now = clock.now()
  const { code, hash } = newCode(purposeOf(memberId, kind, value))
  const window = sendWindow(identifierProofs, now)
  const sent = await queryRows<{ expires_at: Date }>(
    db,
    sql`insert into ${identifierProofs} (member_id, kind, value, code_hash, expires_at, attempts, sends, window_started_at)
        values (${memberId}, ${kind}, ${value}, ${hash}, ${codeExpiry(now)}, 0, 1, ${now})
        on conflict (member_id, kind, value) do update set
          code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0, ${window.set}
        where ${window.allowed}
        returning expires_at`,
  )
  if (sent.length === 0) throw new TooManyCodes()
  const what = kind === 'email' ? 'email address' : 'phone number'
  await deliver(delivery, {
    channel: kind === 'email' ? 'email' : 'sms',
    to: value,
    subject: `Confirm your ${what} for Regulars`,
    text: `Your code is ${code}. It works for ${codeMinutes} minutes.\nIf you did not add this ${what} to a membership, ignore this message: nothing changes until the code is entered.`,
  })
  return { expiresAt: new Date(sent[0].expires_at) }
}

/**
 * Checks a code. Every try counts (in its own statement, so a refusal cannot roll it back); the code
 * dies after maxCodeAttempts tries or codeMinutes. Throws CodeWrong or CodeExpired.
 */
export async function checkIdentifierCode({ db, clock }: Pick<Deps, 'db' | 'clock'>, memberId: string, kind: ProvableKind, value: string, code: string) {
  const key = and(eq(identifierProofs.memberId, memberId), eq(identifierProofs.kind, kind), eq(identifierProofs.value, value))
  await spendCodeTry(db, identifierProofs, key, purposeOf(memberId, kind, value), code, clock.now())
  await db.delete(identifierProofs).where(key)
}

/**
 * Marks a proved identifier as the member's and verified. Proof outranks an unproved claim: an
 * identifier another member added but never proved moves to the member who proved it. One another
 * member holds verified stays theirs (IdentifierTaken: staff can review the two for a merge).
 */
export async function markIdentifierVerified(db: Deps['db'], memberId: string, kind: ProvableKind, value: string, at: Date) {
  const rows = await queryRows<{ member_id: string }>(
    db,
    sql`insert into ${memberIdentifiers} (kind, value, member_id, added_at, verified_at) values (${kind}, ${value}, ${memberId}, ${at}, ${at})
        on conflict (kind, value) do update set member_id = excluded.member_id, verified_at = excluded.verified_at,
          added_at = case when ${memberIdentifiers.memberId} = excluded.member_id then ${memberIdentifiers.addedAt} else excluded.added_at end
        where ${memberIdentifiers.verifiedAt} is null or ${memberIdentifiers.memberId} = excluded.member_id
        returning member_id`,
  )
  if (rows.length === 0) throw new IdentifierTaken(kind)
}
