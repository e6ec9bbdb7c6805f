import { and, eq, sql } from 'drizzle-orm'
import { CodeExpired, codeExpiry, codeMinutes, newCode, sendWindow, spendCodeTry, TooManyCodes } from '../../platform/auth/one-time.js'
import { queryRows } from '../../platform/db/index.js'
import { deliver } from '../../platform/delivery/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { claimParkedActivities } from '../activity/index.js'
import { enrolMembers, InvalidContact, identifierHolders, markIdentifierVerified, normaliseIdentifier } from '../members/index.js'
import { requireStrongPassword } from './password-strength.js'
import { hashPassword } from './passwords.js'
import { signupRequests, users } from './schema.js'
import { createUser } from './service.js'

export type Channel = 'email' | 'phone'
export interface Joining {
  kind: Channel
  value: string
  displayName: string
  password: string
}

const purposeOf = (kind: Channel, value: string) => `signup:${kind}:${value}`
const what = (kind: Channel) => (kind === 'email' ? 'email address' : 'phone number')

function normalised(kind: Channel, raw: string, defaultRegion: string) {
  const value = normaliseIdentifier(kind, raw, defaultRegion)
  if (!value) throw new InvalidContact(kind, kind)
  return value
}

/**
 * Starts joining: a code goes to the email or phone. The answer is the same whether or not a login
 * already has that address (no one can learn who is a member by trying): an existing login's owner
 * gets a note instead of a code, pointing them to "forgot password".
 */
export async function startJoining(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'delivery'>, joining: Joining) {
  const { db, clock, config } = deps
  const value = normalised(joining.kind, joining.value, config.defaultRegion)
  await requireStrongPassword(joining.password, [value, joining.displayName])
  const passwordHash = await hashPassword(joining.password, config.passwordCost)
  const now = clock.now()
  const { code, hash } = newCode(purposeOf(joining.kind, value))
  const window = sendWindow(signupRequests, now)
  // Every request counts against the address's hourly sends, whether a code or a note goes out.
  const sent = await queryRows<{ expires_at: Date }>(
    db,
    sql`insert into ${signupRequests} (kind, value, display_name, password_hash, code_hash, expires_at, attempts, sends, window_started_at)
        values (${joining.kind}, ${value}, ${joining.displayName}, ${passwordHash}, ${hash}, ${codeExpiry(now)}, 0, 1, ${now})
        on conflict (kind, value) do update set
          display_name = excluded.display_name, password_hash = excluded.password_hash, code_hash = excluded.code_hash,
          expires_at = excluded.expires_at, attempts = 0, ${window.set}
        where ${window.allowed}
        returning expires_at`,
  )
  if (sent.length === 0) throw new TooManyCodes()
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(joining.kind === 'email' ? eq(users.email, value) : eq(users.phone, value))
  const channel = joining.kind === 'email' ? ('email' as const) : ('sms' as const)
  await deliver(
    deps.delivery,
    existing
      ? {
          channel,
          to: value,
          subject: 'You already have a Regulars login',
          text: `Someone (perhaps you) tried to join Regulars with this ${what(joining.kind)}, which already has a login.\nForgot your password? Choose a new one at ${config.publicUrl}/forgot-password\nIf it was not you, ignore this message.`,
        }
      : {
          channel,
          to: value,
          subject: `Your Regulars code: confirm your ${what(joining.kind)}`,
          text: `Your code to join Regulars is ${code}. It works for ${codeMinutes} minutes.\nIf you did not ask to join, ignore this message.`,
        },
  )
  return { expiresAt: new Date(sent[0].expires_at) }
}

/**
 * Finishes joining with the code. The new login belongs to the member who already holds that email
 * or phone and has no login yet (a shopper the tills knew as a guest: their cards, history and
 * points come with them), else to a new member. Parked guest activity under the address attaches.
 */
export async function finishJoining(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>, kind: Channel, raw: string, code: string) {
  const { db, clock, config } = deps
  const value = normaliseIdentifier(kind, raw, config.defaultRegion)
  if (!value) throw new CodeExpired()
  const now = clock.now()
  const key = and(eq(signupRequests.kind, kind), eq(signupRequests.value, value))
  await spendCodeTry(db, signupRequests, key, purposeOf(kind, value), code, now)
  return db.transaction(async (tx) => {
    const [request] = await tx.delete(signupRequests).where(key).returning()
    if (!request) throw new CodeExpired() // a racing request used it first
    const holder = (await identifierHolders(tx, [{ kind, value }])).get(`${kind}:${value}`)
    const [holderLogin] = holder ? await tx.select({ id: users.id }).from(users).where(eq(users.memberId, holder.memberId)) : []
    let memberId = holder && !holderLogin ? holder.memberId : undefined
    if (!memberId) {
      memberId = newId()
      const contact = kind === 'email' ? { email: value } : { phone: value }
      // The name they gave is the new member's too (the home page greets them by it): first word given, the rest family.
      const [givenName, ...family] = request.displayName.trim().split(/\s+/)
      const name = { givenName: givenName || null, familyName: family.join(' ') || null }
      await enrolMembers(tx, [{ member: { id: memberId, ...contact, ...name, joinedAt: now, joinedChannel: 'web' }, identifiers: [] }], {
        defaultRegion: config.defaultRegion,
        at: now,
      })
    }
    await markIdentifierVerified(tx, memberId, kind, value, now)
    await claimParkedActivities({ ...deps, db: tx }, memberId, [{ kind, value }], now)
    return createUser(
      { ...deps, db: tx },
      {
        ...(kind === 'email' ? { email: value } : { phone: value }),
        displayName: request.displayName,
        password: '',
        passwordHash: request.passwordHash,
        role: 'member',
        memberId,
      },
    )
  })
}
