import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { setConsents } from '../members/index.js'
import { acceptRequest, addListItem, createList, inviteOf, refreshFeeds, requestFriend, shareList, sharePurchase } from '../social/index.js'
import { inviteToRoom, joinRoom, openRoom } from '../social/rooms/index.js'

/**
 * Friends, a shared gift list, shared purchases and an invitation to a friend's live room for the
 * demo member, so the member home's Friends, feed, Lists and Shop together show something on first start. Everything goes through the social
 * module's own services, as a member's clicks would.
 */
export async function seedSocial(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>, demoMemberId: string, at: Date) {
  const { db } = deps
  // Three other members with purchases become the demo member's friends.
  const friends = await queryRows<{ id: string }>(
    db,
    sql`select member_id as id from activities where kind = 'purchase' and member_id <> ${demoMemberId}
         group by member_id order by count(*) desc, member_id limit 3`,
  )
  if (friends.length === 0) return
  for (const id of [demoMemberId, ...friends.map((f) => f.id)]) await setConsents(db, id, { social_visibility: true }, at)
  const { code } = await inviteOf(deps, demoMemberId)
  for (const friend of friends) {
    await requestFriend(deps, friend.id, { code, via: 'link' })
    await acceptRequest(deps, demoMemberId, friend.id)
  }
  // Each friend shares the newest line they bought; the feed shows it with live price and stock.
  for (const friend of friends) {
    const [line] = await queryRows<{ activity_id: string; sku: string }>(
      db,
      sql`select l.activity_id, l.sku from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id
           where a.member_id = ${friend.id} and a.kind = 'purchase' order by a.occurred_at desc, l.sku limit 1`,
    )
    if (line) await sharePurchase(deps, friend.id, { activityId: line.activity_id, sku: line.sku, note: 'Really pleased with this one.' })
  }
  // A birthday gift list the demo member shares with the first friend, who may add to it.
  const skus = await queryRows<{ sku: string }>(db, sql`select sku from products order by sku limit 3`)
  const list = await createList(deps, demoMemberId, { kind: 'gift', title: 'Birthday ideas' })
  for (const { sku } of skus) await addListItem(deps, demoMemberId, list.listId, { sku })
  await shareList(deps, demoMemberId, list.listId, friends[0].id, 'editor')
  // The first friend is shopping live with the second and has invited the demo member: "Shop
  // together" on the home page has an invitation, and the feed says who is shopping live.
  const names = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id, concat_ws(' ', given_name, left(family_name, 1) || '.') as name from members where id in (${friends[0].id}, ${friends[1]?.id ?? friends[0].id})`,
  )
  const nameOf = (id: string) => names.find((n) => n.id === id)?.name ?? 'A friend'
  const { room } = await openRoom(deps, { memberId: friends[0].id, name: nameOf(friends[0].id) }, 'Saturday coffee run')
  if (friends[1]) await joinRoom(deps, room.id, { memberId: friends[1].id, name: nameOf(friends[1].id) }, room.inviteCode)
  const host = {
    kind: 'member' as const,
    userId: 'demo',
    displayName: nameOf(friends[0].id),
    memberId: friends[0].id,
    via: 'session' as const,
    sessionId: 'demo',
    csrfSecret: '',
  }
  await inviteToRoom(deps, room.id, host, demoMemberId)
  await refreshFeeds(deps)
}
