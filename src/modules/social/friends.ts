import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { referralCodeOf, referralCodeOwner, referralPartners } from '../rewards/index.js'
import { assertVisible, eitherBlocked, isVisible, shownName } from './visibility.js'

/** How a friend request was made: a typed code, an opened link, a scanned QR code, or from people you may know. */
export type RequestVia = 'code' | 'link' | 'qr' | 'met'

export class AlreadyBlocked extends DomainError {
  constructor(memberId: string) {
    super('/problems/member-blocked', 409, 'You blocked this member', { memberId }, 'Unblock them first.')
  }
}

export class CannotBefriendSelf extends DomainError {
  constructor() {
    super('/problems/own-invite', 409, 'That is your own invite', {}, 'Share it with a friend instead.')
  }
}

/** Whether the two are friends. */
export async function areFriends(db: Db, a: string, b: string): Promise<boolean> {
  const rows = await queryRows(db, sql`select 1 from friendships where member_id = ${a} and friend_id = ${b}`)
  return rows.length > 0
}

/** Whether either member has blocked the other: then neither can invite, befriend or see the other. */
export async function isBlocked(db: Db, a: string, b: string): Promise<boolean> {
  const [row] = await queryRows<{ blocked: boolean }>(db, sql`select ${eitherBlocked(a, b)} as blocked`)
  return row.blocked
}

export interface Person {
  memberId: string
  name: string
}

/** A member's friends who let themselves be seen, with their shown names. */
export async function friendsOf(db: Db, memberId: string): Promise<(Person & { since: string; via: string })[]> {
  const rows = await queryRows<{ id: string; name: string; since: Date; via: string }>(
    db,
    sql`select m.id, ${shownName('m')} as name, f.since, f.via from friendships f join members m on m.id = f.friend_id
         where f.member_id = ${memberId} and ${isVisible(sql`f.friend_id`)} order by name, m.id`,
  )
  return rows.map((r) => ({ memberId: r.id, name: r.name, since: new Date(r.since).toISOString(), via: r.via }))
}

/** Every friend's id, seen or not: the feed writes to them, and reading filters again. */
export async function friendIdsOf(db: Db, memberId: string): Promise<string[]> {
  return (await queryRows<{ id: string }>(db, sql`select friend_id as id from friendships where member_id = ${memberId}`)).map((r) => r.id)
}

/**
 * Records that members met where Regulars saw it (rooms call this for everyone who was in one):
 * each then finds the others in "people you may know". Repeats keep the first meeting.
 */
export async function recordMeeting(db: Db, memberIds: string[], { source, ref, at }: { source: string; ref?: string; at: Date }) {
  const ids = [...new Set(memberIds)]
  if (ids.length < 2) return
  await db.execute(
    sql`insert into people_met (member_id, other_id, source, ref, met_at)
        select a, b, ${source}, ${ref ?? null}, ${at} from unnest(${sql.param(ids)}::uuid[]) a, unnest(${sql.param(ids)}::uuid[]) b where a <> b
        on conflict do nothing`,
  )
}

/**
 * Members this one may know: met in a room, brought by or bringing them. Never inferred from what
 * anyone bought or where they shop. Friends, requests either way, blocks either way and members
 * who are not visible are left out.
 */
export async function peopleYouMayKnow(db: Db, memberId: string): Promise<(Person & { reasons: string[] })[]> {
  const referred = await referralPartners(db, memberId)
  const rows = await queryRows<{ id: string; name: string; reasons: string[] }>(
    db,
    sql`with known as (
          select other_id as id, source as reason from people_met where member_id = ${memberId}
          union all select id, 'referral' from unnest(${sql.param(referred)}::uuid[]) id)
        select m.id, ${shownName('m')} as name, array_agg(distinct k.reason order by k.reason) as reasons
          from known k join members m on m.id = k.id and m.merged_into is null
         where k.id <> ${memberId}
           and not exists (select 1 from friendships f where f.member_id = ${memberId} and f.friend_id = k.id)
           and not exists (select 1 from friend_requests r where (r.member_id = ${memberId} and r.requester_id = k.id) or (r.member_id = k.id and r.requester_id = ${memberId}))
           and not ${eitherBlocked(memberId, sql`k.id`)}
           and ${isVisible(sql`k.id`)}
         group by m.id, name order by name, m.id limit 50`,
  )
  return rows.map((r) => ({ memberId: r.id, name: r.name, reasons: r.reasons }))
}

/** The member's invite: their referral code, and the link (and QR code) that carries it. */
export async function inviteOf(deps: Pick<Deps, 'db' | 'clock' | 'config'>, memberId: string) {
  const code = await referralCodeOf(deps, memberId)
  return { code, link: `${deps.config.publicUrl}/me?invite=${encodeURIComponent(code)}` }
}

/**
 * Asks to be friends, by the other's invite code (typed, from a link or a QR code) or, for people
 * you may know, by member id. When the other already asked, they are friends at once. A member the
 * asker may not reach (unknown, invisible, not someone they may know, or who blocked them) is one
 * and the same 404, so a block is never revealed.
 */
export async function requestFriend(
  deps: Pick<Deps, 'db' | 'clock'>,
  requesterId: string,
  target: { code: string; via?: 'code' | 'link' | 'qr' } | { memberId: string },
): Promise<{ status: 'requested' | 'friends'; member: Person }> {
  const { db, clock } = deps
  await assertVisible(db, requesterId)
  const byCode = 'code' in target
  const otherId = byCode ? await referralCodeOwner(db, target.code) : target.memberId
  const notFound = () => new NotFound(byCode ? 'Invite code' : 'Member', byCode ? target.code : target.memberId)
  if (!otherId) throw notFound()
  if (otherId === requesterId) throw new CannotBefriendSelf()
  const via: RequestVia = byCode ? (target.via ?? 'code') : 'met'
  return db.transaction(async (tx) => {
    const [other] = await queryRows<{ name: string; visible: boolean; blocked_by_them: boolean; blocked_by_me: boolean; may_know: boolean }>(
      tx,
      sql`select ${shownName('m')} as name, ${isVisible(sql`m.id`)} as visible,
                 exists (select 1 from blocks where member_id = m.id and blocked_id = ${requesterId}) as blocked_by_them,
                 exists (select 1 from blocks where member_id = ${requesterId} and blocked_id = m.id) as blocked_by_me,
                 exists (select 1 from people_met where member_id = ${requesterId} and other_id = m.id) as may_know
            from members m where m.id = ${otherId} and m.merged_into is null`,
    )
    const mayKnow = other?.may_know || (!byCode && (await referralPartners(tx, requesterId)).includes(otherId))
    if (!other?.visible || other.blocked_by_them || (!byCode && !mayKnow)) throw notFound()
    if (other.blocked_by_me) throw new AlreadyBlocked(otherId)
    const member = { memberId: otherId, name: other.name }
    if (await areFriends(tx, requesterId, otherId)) return { status: 'friends' as const, member }
    // Their request to me, taken (and so locked) once: two crossing requests make one friendship.
    const [theirs] = await queryRows<{ via: string }>(
      tx,
      sql`delete from friend_requests where member_id = ${requesterId} and requester_id = ${otherId} returning via`,
    )
    if (theirs) {
      await befriend(tx, requesterId, otherId, theirs.via, clock.now())
      return { status: 'friends' as const, member }
    }
    await tx.execute(
      sql`insert into friend_requests (member_id, requester_id, via, sent_at) values (${otherId}, ${requesterId}, ${via}, ${clock.now()}) on conflict do nothing`,
    )
    return { status: 'requested' as const, member }
  })
}

async function befriend(db: Db, a: string, b: string, via: string, at: Date) {
  await db.execute(
    sql`insert into friendships (member_id, friend_id, since, via) values (${a}, ${b}, ${at}, ${via}), (${b}, ${a}, ${at}, ${via}) on conflict do nothing`,
  )
  await db.execute(sql`delete from friend_requests where (member_id = ${a} and requester_id = ${b}) or (member_id = ${b} and requester_id = ${a})`)
}

/** Accepts a request waiting on the member; a request that is not there (or from someone now invisible) is a 404. */
export async function acceptRequest(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, requesterId: string): Promise<Person> {
  await assertVisible(deps.db, memberId)
  return deps.db.transaction(async (tx) => {
    const [request] = await queryRows<{ via: string; name: string; visible: boolean }>(
      tx,
      sql`delete from friend_requests r using members m where r.member_id = ${memberId} and r.requester_id = ${requesterId} and m.id = r.requester_id
          returning r.via, ${shownName('m')} as name, ${isVisible(sql`r.requester_id`)} as visible`,
    )
    if (!request?.visible) throw new NotFound('Friend request', requesterId)
    await befriend(tx, memberId, requesterId, request.via, deps.clock.now())
    return { memberId: requesterId, name: request.name }
  })
}

/** Declines a request to the member or withdraws one they sent; nothing to remove is still done. */
export async function dropRequest(db: Db, memberId: string, otherId: string) {
  await db.execute(
    sql`delete from friend_requests where (member_id = ${memberId} and requester_id = ${otherId}) or (member_id = ${otherId} and requester_id = ${memberId})`,
  )
}

/** Ends a friendship on both sides, and the friend's access to the member's lists and theirs to the friend's. */
export async function unfriend(db: Db, memberId: string, friendId: string) {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`delete from friendships where (member_id = ${memberId} and friend_id = ${friendId}) or (member_id = ${friendId} and friend_id = ${memberId})`,
    )
    await tx.execute(
      sql`delete from list_shares where (member_id = ${memberId} and owner_id = ${friendId}) or (member_id = ${friendId} and owner_id = ${memberId})`,
    )
    await tx.execute(
      sql`delete from feed_items where (member_id = ${memberId} and actor_id = ${friendId}) or (member_id = ${friendId} and actor_id = ${memberId})`,
    )
  })
}

/**
 * Blocks a member: friendship, requests either way, shared lists either way and feed items either
 * way go, and from now on neither can ask the other or see the other anywhere.
 */
export async function blockMember(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, otherId: string) {
  if (otherId === memberId) throw new CannotBefriendSelf()
  const [exists] = await queryRows(deps.db, sql`select 1 from members where id = ${otherId}`)
  if (!exists) throw new NotFound('Member', otherId)
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`insert into blocks (member_id, blocked_id, blocked_at) values (${memberId}, ${otherId}, ${deps.clock.now()}) on conflict do nothing`)
    await unfriend(tx, memberId, otherId)
    await dropRequest(tx, memberId, otherId)
  })
}

export async function unblockMember(db: Db, memberId: string, otherId: string) {
  await db.execute(sql`delete from blocks where member_id = ${memberId} and blocked_id = ${otherId}`)
}

/** Everything on the member's Friends card. */
export async function friendsPage(deps: Pick<Deps, 'db' | 'clock' | 'config'>, memberId: string) {
  const { db } = deps
  const requests = await queryRows<{ id: string; name: string; via: string; sent_at: Date; incoming: boolean }>(
    db,
    sql`select m.id, ${shownName('m')} as name, r.via, r.sent_at, r.member_id = ${memberId} as incoming
          from friend_requests r join members m on m.id = case when r.member_id = ${memberId} then r.requester_id else r.member_id end
         where (r.member_id = ${memberId} or r.requester_id = ${memberId}) and ${isVisible(sql`m.id`)}
         order by r.sent_at desc, m.id`,
  )
  const blocked = await queryRows<{ id: string; name: string; blocked_at: Date }>(
    db,
    sql`select m.id, ${shownName('m')} as name, b.blocked_at from blocks b join members m on m.id = b.blocked_id where b.member_id = ${memberId} order by b.blocked_at desc`,
  )
  const request = (r: (typeof requests)[number]) => ({ memberId: r.id, name: r.name, via: r.via, sentAt: new Date(r.sent_at).toISOString() })
  const [{ visible }] = await queryRows<{ visible: boolean }>(db, sql`select ${isVisible(memberId)} as visible`)
  return {
    visible,
    invite: await inviteOf(deps, memberId),
    friends: await friendsOf(db, memberId),
    incoming: requests.filter((r) => r.incoming).map(request),
    outgoing: requests.filter((r) => !r.incoming).map(request),
    blocked: blocked.map((b) => ({ memberId: b.id, name: b.name, blockedAt: new Date(b.blocked_at).toISOString() })),
    peopleYouMayKnow: await peopleYouMayKnow(db, memberId),
  }
}
