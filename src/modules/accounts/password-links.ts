import { randomBytes } from 'node:crypto'
import { and, count, eq, gt, isNotNull, isNull, ne } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import { linkTokenHash, newLinkToken } from '../../platform/auth/one-time.js'
import type { Principal } from '../../platform/auth/principal.js'
import type { Db } from '../../platform/db/index.js'
import { deliver, type Message } from '../../platform/delivery/index.js'
import type { Deps } from '../../platform/deps.js'
import { Conflict, DomainError, NotFound } from '../../platform/http/problems.js'
import { memberProfile, resolveMemberId } from '../members/index.js'
import { requireStrongPassword } from './password-strength.js'
import { hashPassword } from './passwords.js'
import { passwordLinks, sessions, users } from './schema.js'
import { createUser, loginCondition, type User } from './service.js'

type Purpose = (typeof passwordLinks.$inferSelect)['purpose']
const linkHours: Record<Purpose, number> = { forgotten: 1, reset: 24, invitation: 7 * 24 }
/** "Forgot password" links one login may be sent in an hour (the answer never says whether any went). */
const maxForgottenPerHour = 3

export class LinkExpired extends DomainError {
  constructor() {
    super('/problems/link-expired', 400, 'This link has expired or was already used', {}, 'Ask for a new link: they work once, for a limited time.')
  }
}

export class NoVerifiedContact extends DomainError {
  constructor() {
    super(
      '/problems/no-verified-contact',
      409,
      'The member has no verified email or phone',
      {},
      'Add their email or phone and have them enter the code we send, then invite them.',
    )
  }
}

/** A password nobody knows: the login cannot be used until its owner sets one through the link. */
const unusablePassword = (deps: Pick<Deps, 'config'>) => hashPassword(randomBytes(32).toString('hex'), deps.config.passwordCost)

/** A new one-time link for the login; earlier unused links of the login stop working. */
async function issueLink(db: Db, userId: string, purpose: Purpose, now: Date) {
  await db
    .update(passwordLinks)
    .set({ usedAt: now })
    .where(and(eq(passwordLinks.userId, userId), isNull(passwordLinks.usedAt)))
  const { token, hash } = newLinkToken()
  const expiresAt = new Date(now.getTime() + linkHours[purpose] * 3_600_000)
  await db.insert(passwordLinks).values({ tokenHash: hash, userId, purpose, createdAt: now, expiresAt })
  return { token, expiresAt }
}

function linkMessage(publicUrl: string, to: { channel: Message['channel']; address: string }, purpose: Purpose, token: string, hours: number): Message {
  const url = `${publicUrl}/reset-password?token=${token}`
  const lead = {
    forgotten: 'To choose a new password for Regulars, open this link:',
    reset: 'An admin reset your Regulars password. Choose a new one here:',
    invitation: 'You are invited to your Regulars member page: your points, rewards and history. Choose a password here:',
  }[purpose]
  const validity = hours >= 48 ? `${hours / 24} days` : `${hours} hour${hours === 1 ? '' : 's'}`
  return {
    channel: to.channel,
    to: to.address,
    subject: purpose === 'invitation' ? 'Your invitation to Regulars' : 'Choose a new Regulars password',
    text: `${lead}\n${url}\nThe link works once, for ${validity}. If you did not expect this, ignore it: nothing changes.`,
  }
}

/**
 * "Forgot password": a one-time link to the login's own email, or by text to its phone when the person
 * typed their phone. The caller learns nothing: unknown, disabled or rate-limited logins get no
 * message and the same answer.
 */
export async function requestPasswordLink(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'delivery'>, login: string) {
  const { db, clock, config } = deps
  const now = clock.now()
  const [user] = await db
    .select()
    .from(users)
    .where(and(loginCondition(login, config.defaultRegion), isNull(users.disabledAt)))
  if (!user) return
  const [recent] = await db
    .select({ n: count() })
    .from(passwordLinks)
    .where(and(eq(passwordLinks.userId, user.id), eq(passwordLinks.purpose, 'forgotten'), gt(passwordLinks.createdAt, new Date(now.getTime() - 3_600_000))))
  if (recent.n >= maxForgottenPerHour) return
  const byPhone = !login.includes('@')
  const to = byPhone ? { channel: 'sms' as const, address: user.phone as string } : { channel: 'email' as const, address: user.email as string }
  const { token } = await db.transaction((tx) => issueLink(tx, user.id, 'forgotten', now))
  // Sent once the link is committed: whoever opens it at once finds it working.
  await deliver(deps.delivery, linkMessage(config.publicUrl, to, 'forgotten', token, linkHours.forgotten))
}

/** An admin resets a staff password: the old one stops working, sessions end, and a link to choose a new one goes to the login's email. */
export async function resetStaffPassword(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'delivery'>, userId: string, actor: Principal) {
  const { db, clock, config } = deps
  const now = clock.now()
  const passwordHash = await unusablePassword(deps)
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now })
      .where(and(eq(users.id, userId), ne(users.role, 'member'), isNotNull(users.email)))
      .returning()
    if (!user) throw new NotFound('Staff login', userId)
    await tx.delete(sessions).where(eq(sessions.userId, userId))
    const { token, expiresAt } = await issueLink(tx, userId, 'reset', now)
    await recordAudit(tx, now, actor, { action: 'user.password_reset', targetKind: 'user', targetId: userId, after: { sentTo: user.email } })
    await deliver(deps.delivery, linkMessage(config.publicUrl, { channel: 'email', address: user.email as string }, 'reset', token, linkHours.reset))
    return { sentTo: user.email as string, expiresAt }
  })
}

/** Staff invite a member to their member page: a login on the member's verified email (or phone), and a link to choose its password. */
export async function inviteMember(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'delivery'>, memberId: string, actor: Principal) {
  const { db, clock, config } = deps
  const id = await resolveMemberId(db, memberId)
  if (!id) throw new NotFound('Member', memberId)
  const { member, identifiers } = await memberProfile(db, id)
  // Identifiers come by kind: an email before a phone.
  const contact = identifiers.find((i) => i.verified && (i.kind === 'email' || i.kind === 'phone'))
  if (!contact) throw new NoVerifiedContact()
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.memberId, id))
  if (existing) throw new Conflict('This member already has a login: they can use "forgot password" on the login page.')
  const passwordHash = await unusablePassword(deps)
  const now = clock.now()
  return db.transaction(async (tx) => {
    const user = await createUser(
      { ...deps, db: tx },
      { [contact.kind]: contact.value, displayName: member.displayName, password: '', passwordHash, role: 'member', memberId: id },
      actor,
    )
    const { token, expiresAt } = await issueLink(tx, user.id, 'invitation', now)
    const to = { channel: contact.kind === 'email' ? ('email' as const) : ('sms' as const), address: contact.value }
    await deliver(deps.delivery, linkMessage(config.publicUrl, to, 'invitation', token, linkHours.invitation))
    return { sentTo: contact.value, expiresAt }
  })
}

/** Sets the password through a one-time link: the link is spent, and every session of the login ends. */
export async function setPasswordWithLink(deps: Pick<Deps, 'db' | 'clock' | 'config'>, token: string, newPassword: string): Promise<User> {
  const { db, clock, config } = deps
  const now = clock.now()
  const [link] = await db
    .select({ user: users, tokenHash: passwordLinks.tokenHash })
    .from(passwordLinks)
    .innerJoin(users, eq(users.id, passwordLinks.userId))
    .where(and(eq(passwordLinks.tokenHash, linkTokenHash(token)), isNull(passwordLinks.usedAt), gt(passwordLinks.expiresAt, now), isNull(users.disabledAt)))
  if (!link) throw new LinkExpired()
  await requireStrongPassword(newPassword, [link.user.email, link.user.phone, link.user.displayName], 'body/newPassword')
  const passwordHash = await hashPassword(newPassword, config.passwordCost)
  return db.transaction(async (tx) => {
    // Spending the link and setting the password in one step: of two racing uses, one finds it spent.
    const [spent] = await tx
      .update(passwordLinks)
      .set({ usedAt: now })
      .where(and(eq(passwordLinks.tokenHash, link.tokenHash), isNull(passwordLinks.usedAt)))
      .returning()
    if (!spent) throw new LinkExpired()
    const [user] = await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, link.user.id)).returning()
    await tx.delete(sessions).where(eq(sessions.userId, user.id))
    const self: Principal =
      user.role === 'member'
        ? { kind: 'member', memberId: user.memberId as string, userId: user.id, displayName: user.displayName, via: 'session', sessionId: '', csrfSecret: '' }
        : {
            kind: 'staff',
            role: user.role,
            storeIds: user.storeIds,
            userId: user.id,
            displayName: user.displayName,
            via: 'session',
            sessionId: '',
            csrfSecret: '',
          }
    await recordAudit(tx, now, self, { action: 'user.password_set', targetKind: 'user', targetId: user.id, after: { through: spent.purpose } })
    return user
  })
}
