import { sql } from 'drizzle-orm'
import { queryRows } from '../../../platform/db/index.js'
import { erased, type MemberDataPart, rowsFor, tablesFor } from '../../../platform/privacy.js'
import { recountIdeas } from './votes.js'

const memberTables = ['idea_votes', 'idea_follows', 'idea_demand', 'idea_comments'] as const

/**
 * A member's ideas data: their votes, follows, "I'd buy it" and pledges, comments, and the ideas they
 * shared. Erasure takes their votes, follows and demand away (the ideas' support is recounted), blanks
 * their comments, and leaves the ideas they shared without an author: others voted for those.
 */
export const ideasPrivacy: MemberDataPart = {
  module: 'community/ideas',
  tables: [...memberTables, 'ideas'],
  exportFor: async (db, { memberIds }) => ({ ...(await tablesFor(db, memberTables, memberIds)), ideas: await rowsFor(db, 'ideas', memberIds, 'author_id') }),
  async erase(db, { memberIds }) {
    const ids = sql`any(${sql.param(memberIds)}::uuid[])`
    const voted = await queryRows<{ idea_id: string }>(db, sql`delete from idea_votes where member_id = ${ids} returning idea_id`)
    await db.execute(sql`delete from idea_follows where member_id = ${ids}`)
    await db.execute(sql`delete from idea_demand where member_id = ${ids}`)
    await db.execute(sql`update idea_comments set body = ${erased} where member_id = ${ids}`)
    await db.execute(sql`update ideas set author_id = null where author_id = ${ids}`)
    await recountIdeas(
      db,
      voted.map((r) => r.idea_id),
    )
  },
}
