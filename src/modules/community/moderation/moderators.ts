import { sql } from 'drizzle-orm'
import type { Clock } from '../../../platform/clock.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { notify } from '../notifications/service.js'

/**
 * Tells the people who moderate a post that it waits in their queue: the staff of its store (and
 * staff of every store), or for a retailer-wide post the admins. Once per post until a moderator
 * decides on it, however many reports follow.
 */
export async function alertModerators(
  { db, clock }: { db: Db; clock: Clock },
  { kind, contentId, storeId, title, body }: { kind: string; contentId: string; storeId: string | null; title: string; body?: string },
) {
  const staff = await queryRows<{ id: string }>(
    db,
    sql`select id from users where disabled_at is null and role in ('associate', 'manager', 'admin')
          and ${storeId === null ? sql`(role = 'admin' or (cardinality(store_ids) = 0))` : sql`(role = 'admin' or cardinality(store_ids) = 0 or ${storeId}::uuid = any(store_ids))`}`,
  )
  const [item] = await queryRows<{ decided_at: Date | null }>(
    db,
    sql`select decided_at from moderation_items where kind = ${kind} and content_id = ${contentId}`,
  )
  await notify(
    { db, clock },
    {
      recipients: staff.map((s) => ({ userId: s.id })),
      kind: 'report',
      title,
      body: body ?? null,
      link: '/associate/moderation',
      key: `moderation-queue:${kind}:${contentId}:${item?.decided_at ? new Date(item.decided_at).toISOString() : 'new'}`,
    },
  )
}
