import { sql } from 'drizzle-orm'
import { type Db, queryRows, rehomeRows } from '../../../platform/db/index.js'
import type { MergeParticipant } from '../../identity/index.js'

interface Moved {
  /** Bans and notifications rehomed to the survivor, by id. */
  bans: string[]
  notifications: string[]
  /** Posts and reports (coordinator tables, keyed by the content) re-pointed at the survivor. */
  items: { kind: string; content_id: string }[]
  reports: string[]
}

/**
 * A merge brings the merged member's moderation record to the survivor: their bans hold for the
 * survivor (a duplicate card is no way round a ban), their posts and reports count as the
 * survivor's (first posts held, the author's record in the queue) and their notifications move to
 * the survivor's centre. The rate-limit counters are dropped, not added (they last minutes).
 * Member-scoped rows move by rehomeRows, never by updating member_id; unmerge moves exactly them back.
 */
export const moderationMergeParticipant: MergeParticipant = {
  name: 'community/moderation',
  async merge(db: Db, mergedId: string, survivorId: string): Promise<Moved> {
    const bans = await rehomeRows<{ id: string }>(db, 'moderation_bans', mergedId, survivorId, { returning: 'id' })
    // A key the survivor was notified of already stays theirs once.
    const notifications = await rehomeRows<{ id: string }>(db, 'member_notifications', mergedId, survivorId, {
      only: sql`not exists (select 1 from member_notifications s where s.member_id = ${survivorId} and s.key = member_notifications.key)`,
      returning: 'id',
    })
    await db.execute(sql`delete from moderation_post_counts where member_id = ${mergedId}`)
    const items = await queryRows<{ kind: string; content_id: string }>(
      db,
      sql`update moderation_items set member_id = ${survivorId} where member_id = ${mergedId} returning kind, content_id`,
    )
    const reports = await queryRows<{ id: string }>(
      db,
      sql`update moderation_reports r set member_id = ${survivorId} where member_id = ${mergedId}
            and not exists (select 1 from moderation_reports s where s.member_id = ${survivorId} and s.kind = r.kind and s.content_id = r.content_id)
          returning id`,
    )
    return { bans: bans.map((b) => b.id), notifications: notifications.map((n) => n.id), items, reports: reports.map((r) => r.id) }
  },
  async unmerge(db: Db, mergedId: string, survivorId: string, moved: unknown) {
    const m = moved as Moved
    if (m.bans.length) await rehomeRows(db, 'moderation_bans', survivorId, mergedId, { only: sql`id = any(${sql.param(m.bans)}::uuid[])`, returning: 'id' })
    if (m.notifications.length)
      await rehomeRows(db, 'member_notifications', survivorId, mergedId, { only: sql`id = any(${sql.param(m.notifications)}::uuid[])`, returning: 'id' })
    if (m.items.length)
      await db.execute(
        sql`update moderation_items i set member_id = ${mergedId} from jsonb_to_recordset(${JSON.stringify(m.items)}::jsonb) as x(kind text, content_id uuid)
             where i.kind = x.kind and i.content_id = x.content_id and i.member_id = ${survivorId}`,
      )
    if (m.reports.length)
      await db.execute(sql`update moderation_reports set member_id = ${mergedId} where id = any(${sql.param(m.reports)}::uuid[]) and member_id = ${survivorId}`)
  },
}
