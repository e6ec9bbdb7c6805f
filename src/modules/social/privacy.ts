import { sql } from 'drizzle-orm'
import { type MemberDataPart, tablesFor } from '../../platform/privacy.js'

const memberTables = ['friendships', 'friend_requests', 'blocks', 'people_met', 'shared_items', 'feed_items', 'lists', 'list_shares', 'list_items'] as const

/**
 * Social data is the member's own page (friends, requests, blocks, shares, feed, lists) and is
 * erased outright; where other members' pages name them (their friend, their request, an item in a
 * friend's feed, a list shared by them) those rows go too, and on lists they helped with their
 * name comes off what they added or said they would get.
 */
export const socialPrivacy: MemberDataPart = {
  module: 'social',
  tables: memberTables,
  exportFor: (db, { memberIds }) => tablesFor(db, memberTables, memberIds),
  async erase(db, { memberIds }) {
    const ids = sql`any(${sql.param(memberIds)}::uuid[])`
    for (const table of memberTables) await db.execute(sql`delete from ${sql.raw(table)} where member_id = ${ids}`)
    await db.execute(sql`delete from friendships where friend_id = ${ids}`)
    await db.execute(sql`delete from friend_requests where requester_id = ${ids}`)
    await db.execute(sql`delete from blocks where blocked_id = ${ids}`)
    await db.execute(sql`delete from people_met where other_id = ${ids}`)
    await db.execute(sql`delete from feed_items where actor_id = ${ids}`)
    await db.execute(sql`delete from list_shares where owner_id = ${ids}`)
    await db.execute(sql`update list_items set added_by = null where added_by = ${ids}`)
    await db.execute(sql`update list_items set reserved_by = null, reserved_at = null where reserved_by = ${ids}`)
  },
}
