import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { recordParticipation } from '../activity/index.js'
import { lockMembers } from '../members/index.js'
import { referralCodes, referrals } from './schema.js'

/** How long the friend's first purchase must be kept before both are rewarded (its return window). */
export const referralWindowDays = 30
/** Friends one member can be rewarded for in a year: generous for real friends, useless for farming. */
export const referralsPerYear = 20

export class ReferralRefused extends DomainError {
  constructor(detail: string) {
    super('/problems/referral-refused', 409, 'This referral cannot be accepted', {}, detail)
  }
}

/** Codes are typed loosely: spaces, dashes, any case. */
const normaliseCode = (raw: string) => raw.trim().toUpperCase().replace(/[\s-]/g, '')

/** Whose invite code this is, if anyone's (friend requests by code use the same codes). */
export async function referralCodeOwner(db: Db, rawCode: string): Promise<string | undefined> {
  const [row] = await db
    .select()
    .from(referralCodes)
    .where(eq(referralCodes.code, normaliseCode(rawCode)))
  return row?.memberId
}

/** The members this member brought, and the one who brought them. */
export async function referralPartners(db: Db, memberId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select member_id as id from referrals where referrer_id = ${memberId} union select referrer_id from referrals where member_id = ${memberId}`,
  )
  return rows.map((r) => r.id)
}

/** A member's invite code (made on first ask): short, unambiguous letters and digits. */
export async function referralCodeOf({ db, clock }: Pick<Deps, 'db' | 'clock'>, memberId: string) {
  const [existing] = await db.select().from(referralCodes).where(eq(referralCodes.memberId, memberId))
  if (existing) return existing.code
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return db.transaction(async (tx) => {
    // Two first asks at once queue on the member's row, so the second finds the first's code:
    // one code a member without a unique index on member_id (the table is distributed by code).
    await lockMembers(tx, [memberId])
    const [raced] = await tx.select().from(referralCodes).where(eq(referralCodes.memberId, memberId))
    if (raced) return raced.code
    for (;;) {
      const code = [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('')
      const [row] = await tx.insert(referralCodes).values({ code, memberId, createdAt: clock.now() }).onConflictDoNothing().returning()
      if (row) return row.code
    }
  })
}

/**
 * A new member says who brought them. Refused when it is themselves (the same member, or a
 * membership whose phone or email is the referrer's, or merged with it), when they already bought
 * before, when they were referred already, or when the referrer reached the yearly cap.
 */
export async function claimReferral({ db, clock }: Pick<Deps, 'db' | 'clock'>, inviteeId: string, rawCode: string, actor: Principal) {
  const code = normaliseCode(rawCode)
  return db.transaction(async (tx) => {
    const [owner] = await tx.select().from(referralCodes).where(eq(referralCodes.code, code))
    if (!owner) throw new NotFound('Invite code', code)
    const referrerId = owner.memberId
    if (referrerId === inviteeId) throw new ReferralRefused('That is your own invite code.')
    // Identifiers are one member's each, so a second membership of the same person shows in its
    // profile's phone or email matching the referrer's (or was merged with it).
    const [shared] = await queryRows<{ why: string }>(
      tx,
      sql`select 'profile' as why from members a join members b on a.id = ${referrerId} and b.id = ${inviteeId}
           where (a.phone is not null and a.phone = b.phone) or (a.email is not null and lower(a.email) = lower(b.email))
          union all
          select 'identifier' from member_identifiers i join members m on true
           where (i.member_id = ${referrerId} and m.id = ${inviteeId} or i.member_id = ${inviteeId} and m.id = ${referrerId})
             and ((i.kind = 'phone' and i.value = m.phone) or (i.kind = 'email' and i.value = lower(m.email)))
          union all
          select 'merged' from members where (id = ${inviteeId} and merged_into = ${referrerId}) or (id = ${referrerId} and merged_into = ${inviteeId})
          limit 1`,
    )
    if (shared) throw new ReferralRefused('The invite code belongs to a membership that shares details with yours.')
    const [{ bought }] = await queryRows<{ bought: number }>(
      tx,
      sql`select count(*)::int as bought from activities where member_id = ${inviteeId} and kind = 'purchase'`,
    )
    if (bought > 0) throw new ReferralRefused('Invites are for new customers; you have shopped with us before.')
    const yearAgo = new Date(clock.now().getTime() - 365 * 86_400_000)
    const [{ recent }] = await queryRows<{ recent: number }>(
      tx,
      sql`select count(*)::int as recent from referrals where referrer_id = ${referrerId} and claimed_at >= ${yearAgo}`,
    )
    if (recent >= referralsPerYear) throw new ReferralRefused(`This invite code has been used ${referralsPerYear} times this year.`)
    const [row] = await tx
      .insert(referrals)
      .values({ memberId: inviteeId, referrerId, code, claimedAt: clock.now(), status: 'waiting' })
      .onConflictDoNothing()
      .returning()
    if (!row) throw new ReferralRefused('You were already invited by someone.')
    await recordAudit(tx, clock.now(), actor, {
      action: 'member.referral_recorded',
      targetKind: 'member',
      targetId: inviteeId,
      memberId: inviteeId,
      after: { referrerId, code },
    })
    return row
  })
}

/**
 * Rewards both sides of referrals whose friend made a first purchase more than the return window
 * ago and did not return all of it: each gets an activity (`referral_completed`, `referred_welcome`)
 * that the earning rules pay for, so the points and their explanation come from the rules.
 */
export async function rewardReferrals(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>) {
  const { db, clock } = deps
  const now = clock.now()
  const due = await queryRows<{ member_id: string; referrer_id: string; kept: number }>(
    db,
    sql`select r.member_id, r.referrer_id,
               (select coalesce(sum(a.total_minor), 0) from activities a where a.member_id = r.member_id and a.kind in ('purchase', 'return'))::int as kept
          from referrals r
         where r.status = 'waiting'
           and exists (select 1 from activities a where a.member_id = r.member_id and a.kind = 'purchase' and a.occurred_at <= ${new Date(now.getTime() - referralWindowDays * 86_400_000)})
         limit 1000`,
  )
  const qualifying = due.filter((d) => d.kept > 0)
  for (const referral of qualifying) {
    await db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(referrals)
        .set({ status: 'rewarded', rewardedAt: now })
        .where(sql`${referrals.memberId} = ${referral.member_id} and ${referrals.status} = 'waiting'`)
        .returning()
      if (!claimed) return
      const thanks = (memberId: string, kind: string, details: Record<string, unknown>) => ({
        memberId,
        kind,
        source: 'referrals',
        key: `${kind}:${referral.member_id}`,
        details,
      })
      await recordParticipation(deps, tx, now, [
        thanks(referral.referrer_id, 'referral_completed', { friend: referral.member_id }),
        thanks(referral.member_id, 'referred_welcome', { by: referral.referrer_id }),
      ])
    })
  }
  return qualifying.length
}

/** Every referral with both names, for the admins' referral tree; or one referrer's, for their home page. */
export async function referralTree(db: Db, { referrerId }: { referrerId?: string } = {}) {
  const rows = await queryRows<{ member_id: string; referrer_id: string; status: string; claimed_at: Date; invitee: string; referrer: string }>(
    db,
    sql`select r.member_id, r.referrer_id, r.status, r.claimed_at,
               coalesce(nullif(trim(concat_ws(' ', i.given_name, i.family_name)), ''), 'Member ' || right(i.id::text, 6)) as invitee,
               coalesce(nullif(trim(concat_ws(' ', f.given_name, f.family_name)), ''), 'Member ' || right(f.id::text, 6)) as referrer
          from referrals r join members i on i.id = r.member_id join members f on f.id = r.referrer_id
         ${referrerId ? sql`where r.referrer_id = ${referrerId}` : sql``}
         order by r.claimed_at`,
  )
  return rows.map((r) => ({
    memberId: r.member_id,
    name: r.invitee,
    referrerId: r.referrer_id,
    referrerName: r.referrer,
    status: r.status,
    claimedAt: new Date(r.claimed_at).toISOString(),
  }))
}

/** A member's own invite code and the friends it brought (first names only: it is their friends' privacy). */
export async function myReferrals(deps: Pick<Deps, 'db' | 'clock'>, memberId: string) {
  const code = await referralCodeOf(deps, memberId)
  const friends = (await referralTree(deps.db, { referrerId: memberId })).map((r) => ({ name: r.name.split(' ')[0], status: r.status, claimedAt: r.claimedAt }))
  return { code, friends }
}
