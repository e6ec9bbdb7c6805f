import { sql } from 'drizzle-orm'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { kindWords, moderatedStores, reasonWords } from './decisions.js'
import type { ContentKind, ReportReason } from './schema.js'

export interface QueueItem {
  kind: ContentKind
  kindName: string
  contentId: string
  status: 'published' | 'held'
  /** Why it is held, in words. */
  reasons: string[]
  /** The text as it stands now, plain (shown as text, never as HTML). */
  text: string
  about: string | null
  link: string | null
  postedAt: string
  store: { storeId: string; name: string } | null
  author: { memberId: string; name: string; posts: number; hidden: number; banned: boolean }
  reports: { reason: ReportReason; reasonName: string; note: string | null; reportedAt: string }[]
  /** What moderators did to it before, oldest first. */
  history: { action: string; by: string; at: string; reason: string | null }[]
}

/**
 * The moderation queue of the staff member's scope (their stores; admins and staff of every store
 * see all): held posts and published posts with open reports, the oldest waiting first, each with
 * its current text from its owner, the author, the reports and what was done before.
 */
export async function moderationQueue(
  deps: Pick<Deps, 'db' | 'clock' | 'wiring'>,
  staff: StaffPrincipal,
  { show = 'all', limit = 50 }: { show?: 'all' | 'held' | 'reported'; limit?: number } = {},
): Promise<{ items: QueueItem[] }> {
  const stores = moderatedStores(staff)
  const rows = await queryRows<{
    kind: ContentKind
    content_id: string
    status: 'published' | 'held'
    reasons: string[]
    text: string
    posted_at: Date
    store_id: string | null
    store: string | null
    member_id: string
    author: string
    reports: { reason: ReportReason; note: string | null; reported_at: string }[] | null
  }>(
    deps.db,
    sql`select i.kind, i.content_id, i.status, i.reasons, i.text, i.posted_at, i.store_id, s.name as store, i.member_id,
               coalesce(nullif(trim(concat_ws(' ', m.given_name, m.family_name)), ''), 'Member ' || right(m.id::text, 4)) as author, r.reports
          from moderation_items i
          join members m on m.id = i.member_id
          left join stores s on s.id = i.store_id
          left join lateral (
            select jsonb_agg(jsonb_build_object('reason', reason, 'note', note, 'reported_at', reported_at) order by reported_at) as reports
              from moderation_reports r where r.kind = i.kind and r.content_id = i.content_id and r.settled_at is null
          ) r on true
         where ${stores ? sql`i.store_id = any(${sql.param(stores)}::uuid[])` : sql`true`}
           and ${
             show === 'held'
               ? sql`i.status = 'held'`
               : show === 'reported'
                 ? sql`i.status = 'published' and r.reports is not null`
                 : sql`(i.status = 'held' or (i.status = 'published' and r.reports is not null))`
           }
         order by i.posted_at, i.content_id limit ${limit}`,
  )
  if (rows.length === 0) return { items: [] }
  const described = new Map<string, { text: string; about?: string; link?: string }>()
  for (const target of deps.wiring.moderationTargets) {
    const ids = rows.filter((r) => r.kind === target.kind).map((r) => r.content_id)
    if (ids.length) for (const d of await target.describe(deps.db, ids)) described.set(`${target.kind}:${d.contentId}`, d)
  }
  const authors = [...new Set(rows.map((r) => r.member_id))]
  const records = await queryRows<{ member_id: string; posts: number; hidden: number; banned: boolean }>(
    deps.db,
    sql`select i.member_id, count(*)::int as posts, (count(*) filter (where i.status = 'hidden'))::int as hidden,
               exists (select 1 from moderation_bans b where b.member_id = i.member_id and b.lifted_at is null
                         and b.starts_at <= ${deps.clock.now()} and (b.ends_at is null or b.ends_at > ${deps.clock.now()})) as banned
          from moderation_items i where i.member_id = any(${sql.param(authors)}::uuid[]) group by i.member_id`,
  )
  const recordOf = new Map(records.map((r) => [r.member_id, r]))
  const history = await queryRows<{ target_id: string; action: string; actor_name: string | null; at: Date; reason: string | null }>(
    deps.db,
    sql`select target_id, action, actor_name, at, after->>'reason' as reason from audit_entries
         where target_kind = 'moderation_item' and target_id = any(${sql.param(rows.map((r) => `${r.kind}:${r.content_id}`))}::text[])
         order by id`,
  )
  return {
    items: rows.map((r) => {
      const key = `${r.kind}:${r.content_id}`
      const now = described.get(key)
      const record = recordOf.get(r.member_id)
      return {
        kind: r.kind,
        kindName: kindWords[r.kind],
        contentId: r.content_id,
        status: r.status,
        reasons: r.reasons,
        text: now?.text ?? r.text,
        about: now?.about ?? null,
        link: now?.link ?? null,
        postedAt: new Date(r.posted_at).toISOString(),
        store: r.store_id ? { storeId: r.store_id, name: r.store ?? '' } : null,
        author: { memberId: r.member_id, name: r.author, posts: record?.posts ?? 0, hidden: record?.hidden ?? 0, banned: record?.banned ?? false },
        reports: (r.reports ?? []).map((p) => ({
          reason: p.reason,
          reasonName: reasonWords[p.reason],
          note: p.note,
          reportedAt: new Date(p.reported_at).toISOString(),
        })),
        history: history
          .filter((h) => h.target_id === key)
          .map((h) => ({ action: h.action.replace(/^moderation\./, ''), by: h.actor_name ?? 'system', at: new Date(h.at).toISOString(), reason: h.reason })),
      }
    }),
  }
}
