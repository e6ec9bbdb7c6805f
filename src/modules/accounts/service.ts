import { createHash, randomBytes } from 'node:crypto'
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { MemberPrincipal, StaffPrincipal } from '../../platform/auth/caller.js'
import { csrfTokenFor, newCsrfSecret, type PrincipalResolvers } from '../../platform/auth/hooks.js'
import { apiScopes, type Principal, type StaffRole, unknownScopes } from '../../platform/auth/principal.js'
import type { Db } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { Conflict, DomainError, NotFound, Unauthenticated } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { listStores } from '../activity/index.js'
import { normaliseIdentifier } from '../members/index.js'
import { requireStrongPassword } from './password-strength.js'
import { hashPassword, passwordMatches } from './passwords.js'
import { apiKeys, sessions, users } from './schema.js'

export type Role = 'member' | StaffRole
export type User = typeof users.$inferSelect
export type ApiKey = Omit<typeof apiKeys.$inferSelect, 'keyHash'>

export class InvalidCredentials extends DomainError {
  constructor() {
    super('/problems/invalid-credentials', 401, 'Wrong email or password', {}, 'Check the email and password and try again.')
  }
}

export class UnknownScopes extends DomainError {
  constructor(scopes: string[]) {
    super(
      '/problems/invalid-request',
      400,
      'The request is not valid',
      { errors: scopes.map((scope) => ({ field: 'body/scopes', message: `"${scope}" is not a scope an API key can hold` })) },
      `Unknown scopes: ${scopes.join(', ')}.`,
    )
  }
}

export class WrongCurrentPassword extends DomainError {
  constructor() {
    super('/problems/wrong-current-password', 400, 'The current password is wrong', { errors: [{ field: 'body/currentPassword', message: 'does not match' }] })
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
const normaliseEmail = (email: string) => email.trim().toLowerCase()

/** Staff and member logins as clients see them: never the password hash. */
export function publicUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone,
    displayName: user.displayName,
    role: user.role,
    memberId: user.memberId,
    storeIds: user.storeIds,
    createdAt: user.createdAt.toISOString(),
    disabledAt: user.disabledAt?.toISOString() ?? null,
  }
}

export interface NewUser {
  email?: string | null
  /** A member who joined by text message: their login is their phone (E.164). */
  phone?: string | null
  displayName: string
  password: string
  role: Role
  memberId?: string | null
  storeIds?: string[]
  /** The demo's logins share a password printed for everyone: it is not meant to be strong. */
  skipStrengthCheck?: boolean
}

/**
 * Creates a login; the email (or phone) is unique whatever its case. The password must pass the
 * strength check, unless `passwordHash` is given (already checked when the person chose it).
 */
export async function createUser(
  { db, clock, config }: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: NewUser & { passwordHash?: string },
  actor?: Principal,
): Promise<User> {
  const email = input.email ? normaliseEmail(input.email) : null
  if (!input.passwordHash && !input.skipStrengthCheck) await requireStrongPassword(input.password, [email, input.displayName])
  const passwordHash = input.passwordHash ?? (await hashPassword(input.password, config.passwordCost))
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        id: newId(),
        email,
        phone: input.phone ?? null,
        displayName: input.displayName,
        passwordHash,
        role: input.role,
        memberId: input.memberId ?? null,
        storeIds: input.storeIds ?? [],
        createdAt: clock.now(),
        passwordChangedAt: clock.now(),
      })
      .onConflictDoNothing()
      .returning()
    if (!user) throw new Conflict(`A login with ${email ? `email ${email}` : 'that phone'} already exists.`, { field: email ? 'body/email' : 'body/phone' })
    if (actor) await recordAudit(tx, clock.now(), actor, { action: 'user.created', targetKind: 'user', targetId: user.id, after: publicUser(user) })
    return user
  })
}

/**
 * The names staff go by, by login id, for screens that say who did something: a colleague is shown
 * by name, never by their email (a login that is gone reads "A colleague").
 */
export async function staffNames(db: Db, userIds: string[]): Promise<(userId: string) => string> {
  const ids = [...new Set(userIds)]
  const rows = ids.length ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)) : []
  const names = new Map(rows.map((r) => [r.id, r.name]))
  return (userId) => names.get(userId) ?? 'A colleague'
}

/** Who is signed in, for `/auth/me`: their login and this session's CSRF token. */
export async function signedIn(db: Db, principal: StaffPrincipal | MemberPrincipal) {
  const [user] = await db.select().from(users).where(eq(users.id, principal.userId))
  if (!user) throw new Unauthenticated()
  return { user: publicUser(user), csrfToken: csrfTokenOf(principal) as string }
}

export async function listUsers(db: Db) {
  return db.select().from(users).orderBy(asc(users.role), asc(users.email))
}

export interface UserChange {
  role?: StaffRole
  storeIds?: string[]
  disabled?: boolean
  displayName?: string
}

/** Changes a staff login; disabling it also ends its sessions at once. */
export async function updateUser({ db, clock }: Pick<Deps, 'db' | 'clock'>, userId: string, change: UserChange, actor: Principal): Promise<User> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update')
    if (!before || before.role === 'member') throw new NotFound('Staff login', userId)
    const stopsBeingAdmin = before.role === 'admin' && !before.disabledAt && (change.disabled || (change.role && change.role !== 'admin'))
    if (stopsBeingAdmin) await requireAnotherAdmin(tx, userId)
    const [after] = await tx
      .update(users)
      .set({
        ...(change.role ? { role: change.role } : {}),
        ...(change.storeIds ? { storeIds: change.storeIds } : {}),
        ...(change.displayName ? { displayName: change.displayName } : {}),
        ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? (before.disabledAt ?? clock.now()) : null }),
      })
      .where(eq(users.id, userId))
      .returning()
    if (change.disabled) await tx.delete(sessions).where(eq(sessions.userId, userId))
    await recordAudit(tx, clock.now(), actor, {
      action: 'user.updated',
      targetKind: 'user',
      targetId: userId,
      before: publicUser(before),
      after: publicUser(after),
    })
    return after
  })
}

export class LastAdmin extends DomainError {
  constructor() {
    super(
      '/problems/last-admin',
      409,
      'This is the last active admin',
      {},
      'Make another login an admin first: someone must be able to manage logins and keys.',
    )
  }
}

/** Refuses to leave the retailer with no active admin. Locks every admin row, so two admins disabling each other at once queue, and one of them is refused. */
async function requireAnotherAdmin(tx: Db, userId: string) {
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .for('update')
  if (!admins.some((a) => a.id !== userId)) throw new LastAdmin()
}

/** The login an email or phone names (a member who joined by text message logs in with their phone). */
export function loginCondition(login: string, defaultRegion: string) {
  if (login.includes('@')) return eq(users.email, normaliseEmail(login))
  const phone = normaliseIdentifier('phone', login, defaultRegion)
  return phone ? eq(users.phone, phone) : sql`false`
}

/** Checks an email (or phone) and password; the same error whether the login or the password is wrong. */
export async function authenticate({ db, config }: Pick<Deps, 'db' | 'config'>, login: string, password: string): Promise<User> {
  const [user] = await db.select().from(users).where(loginCondition(login, config.defaultRegion))
  const ok = await passwordMatches(user?.passwordHash, password, config.passwordCost)
  if (!user || !ok || user.disabledAt) throw new InvalidCredentials()
  return user
}

/** Opens a session: the cookie gets the token, the database only its hash. */
export async function startSession({ db, clock, config }: Pick<Deps, 'db' | 'clock' | 'config'>, userId: string) {
  const token = randomBytes(32).toString('base64url')
  const csrfSecret = newCsrfSecret()
  const expiresAt = new Date(clock.now().getTime() + config.sessionHours * 3_600_000)
  await db.insert(sessions).values({ tokenHash: sha256(token), userId, csrfSecret, createdAt: clock.now(), expiresAt })
  return { token, expiresAt, csrfToken: csrfTokenFor(csrfSecret) }
}

export async function endSession(db: Db, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, sessionId))
}

/** Changes the password and ends every other session of the login. */
export async function changePassword({ db, clock, config }: Pick<Deps, 'db' | 'clock' | 'config'>, principal: Principal, current: string, next: string) {
  if (principal.kind === 'apiKey') throw new NotFound('Login')
  const [user] = await db.select().from(users).where(eq(users.id, principal.userId))
  if (!user || !(await passwordMatches(user.passwordHash, current, config.passwordCost))) throw new WrongCurrentPassword()
  await requireStrongPassword(next, [user.email, user.phone, user.displayName], 'body/newPassword')
  const passwordHash = await hashPassword(next, config.passwordCost)
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: clock.now() }).where(eq(users.id, user.id))
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), sql`${sessions.tokenHash} <> ${principal.sessionId}`))
    await recordAudit(tx, clock.now(), principal, { action: 'user.password_changed', targetKind: 'user', targetId: user.id })
  })
}

export interface NewApiKey {
  name: string
  scopes: string[]
}

/**
 * Every scope a key can hold, in words: the server's own list (the one `createApiKey` checks
 * against) and a `store:<code>` for each store, which limits the key to that store's activity.
 */
export async function apiKeyScopes(db: Db): Promise<{ scope: string; description: string }[]> {
  const stores = await listStores(db)
  return [
    ...Object.entries(apiScopes).map(([scope, description]) => ({ scope, description })),
    ...stores.map((store) => ({ scope: `store:${store.code}`, description: `only ${store.name}: activity and redemptions for that store` })),
  ]
}

/** Creates a key for a channel integration. The key itself is returned once and never stored. */
export async function createApiKey({ db, clock }: Pick<Deps, 'db' | 'clock'>, input: NewApiKey, actor?: Principal) {
  const unknown = unknownScopes(input.scopes)
  if (unknown.length || input.scopes.length === 0) throw new UnknownScopes(unknown)
  const key = `rk_${randomBytes(32).toString('base64url')}`
  const [row] = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(apiKeys)
      .values({
        id: newId(),
        name: input.name,
        prefix: key.slice(0, 10),
        keyHash: sha256(key),
        scopes: [...new Set(input.scopes)],
        createdBy: actor && actor.kind !== 'apiKey' ? actor.userId : null,
        createdAt: clock.now(),
      })
      .returning()
    if (actor)
      await recordAudit(tx, clock.now(), actor, {
        action: 'api_key.created',
        targetKind: 'api_key',
        targetId: inserted[0].id,
        after: { name: input.name, scopes: input.scopes },
      })
    return inserted
  })
  const { keyHash: _, ...apiKey } = row
  return { apiKey, key }
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt))
  return rows.map(({ keyHash: _, ...key }) => key)
}

/** Revokes a key; it stops working on every node within the resolver cache's few seconds. */
export async function revokeApiKey({ db, clock }: Pick<Deps, 'db' | 'clock'>, keyId: string, actor: Principal) {
  await db.transaction(async (tx) => {
    const [key] = await tx
      .update(apiKeys)
      .set({ revokedAt: clock.now() })
      .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning()
    if (!key) {
      const [exists] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, keyId))
      if (!exists) throw new NotFound('API key', keyId)
      return // already revoked: revoking again changes nothing
    }
    await recordAudit(tx, clock.now(), actor, {
      action: 'api_key.revoked',
      targetKind: 'api_key',
      targetId: keyId,
      before: { revokedAt: null },
      after: { revokedAt: key.revokedAt },
    })
  })
}

const apiKeyCacheMs = 5_000
const lastUsedEveryMs = 60_000

/**
 * Turns a session token or API key into a principal. API keys are cached for a few seconds so an
 * integration's steady traffic costs no lookup per request; last-used time is written once a minute.
 */
export function principalResolvers({ db, clock }: Pick<Deps, 'db' | 'clock'>): PrincipalResolvers {
  const keyCache = new Map<string, { principal: Principal | undefined; until: number; lastUsedWritten: number }>()
  return {
    async fromSession(token) {
      // A member login follows its member through a merge: the redirect is resolved here, once.
      const [row] = await db
        .select({
          user: users,
          csrfSecret: sessions.csrfSecret,
          tokenHash: sessions.tokenHash,
          memberId: sql<string | null>`live_member(${users.memberId})`,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, clock.now()), isNull(users.disabledAt)))
      if (!row) return undefined
      const session = { via: 'session' as const, sessionId: row.tokenHash, csrfSecret: row.csrfSecret, userId: row.user.id, displayName: row.user.displayName }
      return row.user.role === 'member'
        ? { kind: 'member', memberId: row.memberId as string, ...session }
        : { kind: 'staff', role: row.user.role, storeIds: row.user.storeIds, ...session }
    },
    async fromApiKey(key) {
      const keyHash = sha256(key)
      const now = clock.now().getTime()
      let cached = keyCache.get(keyHash)
      if (!cached || cached.until < now) {
        const [row] = await db
          .select()
          .from(apiKeys)
          .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        const principal: Principal | undefined = row && { kind: 'apiKey', via: 'apiKey', keyId: row.id, name: row.name, scopes: row.scopes }
        cached = { principal, until: now + apiKeyCacheMs, lastUsedWritten: cached?.lastUsedWritten ?? row?.lastUsedAt?.getTime() ?? 0 }
        if (keyCache.size > 10_000) keyCache.clear()
        keyCache.set(keyHash, cached)
      }
      if (cached.principal?.kind === 'apiKey' && now - cached.lastUsedWritten > lastUsedEveryMs) {
        cached.lastUsedWritten = now
        await db.update(apiKeys).set({ lastUsedAt: clock.now() }).where(eq(apiKeys.id, cached.principal.keyId))
      }
      return cached.principal
    },
  }
}

export const csrfTokenOf = (principal: Principal) => (principal.via === 'session' ? csrfTokenFor(principal.csrfSecret) : null)
