import { eq, inArray, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import type { MemberDataPart } from '../../platform/privacy.js'
import { passwordMatches } from './passwords.js'
import { erasureCodes, users } from './schema.js'

/** A member's own logins (and a pending erasure code): erasure deletes them (and with them every session), so nobody can sign in as the erased member. */
export const accountsPrivacy: MemberDataPart = {
  module: 'accounts',
  tables: ['users', 'erasure_codes'],
  async exportFor(db, { memberIds }) {
    // Everything but the password hash: it identifies nobody and must never leave the database.
    const logins = await queryRows<Record<string, unknown>>(
      db,
      sql`select id, email, phone, display_name, role, member_id, created_at, password_changed_at, disabled_at from users where member_id = any(${sql.param(memberIds)}::uuid[])`,
    )
    const codes = await queryRows<Record<string, unknown>>(
      db,
      sql`select member_id, expires_at, attempts from erasure_codes where member_id = any(${sql.param(memberIds)}::uuid[])`,
    )
    return { users: logins, erasure_codes: codes }
  },
  async erase(db, { memberIds }) {
    await db.delete(users).where(inArray(users.memberId, memberIds))
    await db.delete(erasureCodes).where(inArray(erasureCodes.memberId, memberIds))
  },
}

/** The logins of these members. */
export async function loginsOf(db: Db, memberIds: string[]): Promise<string[]> {
  const rows = await db.select({ id: users.id }).from(users).where(inArray(users.memberId, memberIds))
  return rows.map((r) => r.id)
}

export class PasswordNotConfirmed extends DomainError {
  constructor() {
    super(
      '/problems/password-not-confirmed',
      400,
      'The password is wrong',
      { errors: [{ field: 'body/password', message: 'does not match' }] },
      'Type your password again to confirm.',
    )
  }
}

/** A costly request (erasing one's data) asks for the password again, whoever holds the session. */
export async function confirmPassword({ db, config }: Pick<Deps, 'db' | 'config'>, userId: string, password: string) {
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId))
  if (!(await passwordMatches(user?.passwordHash, password, config.passwordCost))) throw new PasswordNotConfirmed()
}
