import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { setConsents } from '../members/index.js'
import { acceptRequest, addListItem, createList, inviteOf, refreshFeeds, requestFriend, shareList, sharePurchase } from '../social/index.js'

/**
 * Friends, a shared gift list and shared purchases for the demo member, so the member home's
 * Friends, feed and Lists show something on first start. Everything goes through the social
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
  await refreshFeeds(deps)
}
