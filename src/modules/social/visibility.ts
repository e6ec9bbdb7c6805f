import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import { DomainError } from '../../platform/http/problems.js'
import { consentStates } from '../members/index.js'

/**
 * Whether the member lets other members see them (the `social_visibility` consent, channel `all`).
 * A member without it is invisible to other members: not in anyone's friends, requests, feed,
 * people you may know or shared lists; what they set up is kept and shows again when they give it.
 */
export const isVisible = (memberId: SQL | string) =>
  sql`exists (select 1 from ${consentStates} v where v.member_id = ${memberId} and v.purpose = 'social_visibility' and v.channel = 'all' and v.granted)`

/** Either has blocked the other. */
export const eitherBlocked = (a: SQL | string, b: SQL | string) =>
  sql`exists (select 1 from blocks b where (b.member_id = ${a} and b.blocked_id = ${b}) or (b.member_id = ${b} and b.blocked_id = ${a}))`

/** How a member is named to other members: given name and the family name's initial, as referrals do. */
export const shownName = (alias: string) =>
  sql.raw(`coalesce(nullif(trim(concat_ws(' ', ${alias}.given_name, left(${alias}.family_name, 1) || '.')), ''), 'Member ' || right(${alias}.id::text, 4))`)

export async function visibleToOthers(db: Db, memberId: string): Promise<boolean> {
  const [row] = await queryRows<{ visible: boolean }>(db, sql`select ${isVisible(memberId)} as visible`)
  return row.visible
}

export class SocialVisibilityOff extends DomainError {
  constructor() {
    super(
      '/problems/social-visibility-off',
      409,
      'Friends need your social visibility consent',
      {},
      'Turn on “Let other members see my name, reviews and ideas” under your consents to add friends and share.',
    )
  }
}

/** Refuses a social action by a member who is invisible to others (their friends could not see it). */
export async function assertVisible(db: Db, memberId: string) {
  if (!(await visibleToOthers(db, memberId))) throw new SocialVisibilityOff()
}
