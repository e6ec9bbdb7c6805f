import { sql } from 'drizzle-orm'
import { recordAudit } from '../../../platform/audit/index.js'
import type { Clock } from '../../../platform/clock.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { DomainError } from '../../../platform/http/problems.js'
import { alertModerators } from './moderators.js'
import { type ContentKind, kindWords } from './schema.js'
import { matchFilters, type WordFilter } from './words.js'

export interface ModerationSettings {
  /** How many of a member's posts wait for a moderator before theirs publish straight away (0: none). */
  holdFirstPosts: number
  /** At most this many posts… */
  ratePosts: number
  /** …in this many minutes. */
  rateMinutes: number
}

/** Until an admin says otherwise: no first posts held, 20 posts per 10 minutes. */
export const defaultModerationSettings: ModerationSettings = { holdFirstPosts: 0, ratePosts: 20, rateMinutes: 10 }

export async function moderationSettings(db: Db): Promise<ModerationSettings> {
  const [row] = await queryRows<{ hold_first_posts: number; rate_posts: number; rate_minutes: number }>(
    db,
    sql`select hold_first_posts, rate_posts, rate_minutes from moderation_settings`,
  )
  return row ? { holdFirstPosts: row.hold_first_posts, ratePosts: row.rate_posts, rateMinutes: row.rate_minutes } : defaultModerationSettings
}

export interface Screening {
  kind: ContentKind
  contentId: string
  /** The author (the live member). */
  memberId: string
  /** Everything the author wrote (title and text together), as plain text. */
  text: string
  /** The store whose associates moderate it; null or absent: retailer-wide. */
  storeId?: string | null
}

export interface Screened {
  /** published: show it. held: keep it from others until a moderator restores it. hidden: a moderator hid it (an edit does not bring it back). */
  status: 'published' | 'held' | 'hidden'
  /** Why it is held, in words. */
  reasons: string[]
}

export class MemberBanned extends DomainError {
  constructor(until: Date | null, store: string | null, reason: string) {
    const where = store ? `about ${store}` : 'in the community'
    const when = until
      ? `until ${until.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} UTC`
      : 'for now: the ban has no end date'
    super(
      '/problems/member-banned',
      403,
      'You cannot post here at the moment',
      { until: until?.toISOString() ?? null, reason },
      `A moderator has stopped you posting ${where} ${when}. The reason given: ${reason}`,
    )
  }
}

export class PostingTooFast extends DomainError {
  readonly headers: Record<string, string>
  constructor(posts: number, minutes: number, retryAfterSeconds: number) {
    const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`
    super(
      '/problems/posting-too-fast',
      429,
      'You are posting too quickly',
      { retryAfterSeconds },
      `You can post ${posts} times in ${minutes} minutes. Please wait about ${wait} and try again.`,
    )
    this.headers = { 'retry-after': String(retryAfterSeconds) }
  }
}

export class ContentRefused extends DomainError {
  constructor(terms: string[]) {
    super(
      '/problems/content-refused',
      422,
      'Please reword your post',
      { field: 'text', terms },
      `It uses ${terms.length === 1 ? 'a word' : 'words'} the community does not allow: ${terms.map((t) => `“${t}”`).join(', ')}.`,
    )
  }
}

/** The active ban that keeps the member from posting about the store (or anywhere), if any. */
export async function activeBan(db: Db, memberId: string, storeId: string | null, at: Date) {
  const [ban] = await queryRows<{ id: string; ends_at: Date | null; reason: string; store: string | null }>(
    db,
    sql`select b.id, b.ends_at, b.reason, s.name as store from moderation_bans b left join stores s on s.id = b.store_id
         where b.member_id = ${memberId} and b.lifted_at is null and b.starts_at <= ${at} and (b.ends_at is null or b.ends_at > ${at})
           and (b.store_id is null or b.store_id = ${storeId})
         order by b.ends_at desc nulls first limit 1`,
  )
  return ban
}

/**
 * Screens a member's post in the caller's transaction, before the caller shows it: refuses a
 * banned member (403), a flood (429, the count held in the database so it holds across
 * processes), a word the community refuses (422); holds it for a moderator when a filtered word
 * or one of the member's first posts; and records it for reports and the queue. Called again for
 * an edit (same kind and id), it screens the new text without counting a new post.
 */
export async function screenContent({ db, clock }: { db: Db; clock: Clock }, post: Screening): Promise<Screened> {
  const at = clock.now()
  const storeId = post.storeId ?? null
  return db.transaction(async (tx) => {
    const ban = await activeBan(tx, post.memberId, storeId, at)
    if (ban) throw new MemberBanned(ban.ends_at ? new Date(ban.ends_at) : null, ban.store, ban.reason)
    const filters = await queryRows<WordFilter>(tx, sql`select term, normalised, action from moderation_word_filters order by term`)
    const tripped = matchFilters(post.text, filters)
    const refused = tripped.filter((f) => f.action === 'refuse')
    if (refused.length) throw new ContentRefused(refused.map((f) => f.term))
    const [existing] = await queryRows<{ status: Screened['status'] }>(
      tx,
      sql`select status from moderation_items where kind = ${post.kind} and content_id = ${post.contentId} for update`,
    )
    const settings = await moderationSettings(tx)
    const reasons = tripped.map((f) => `Uses a filtered word: “${f.term}”`)
    if (!existing) {
      await countPost(tx, post.memberId, settings, at)
      if (settings.holdFirstPosts > 0) {
        const [{ published }] = await queryRows<{ published: number }>(
          tx,
          sql`select count(*)::int as published from moderation_items where member_id = ${post.memberId} and status = 'published'`,
        )
        if (published < settings.holdFirstPosts) reasons.push('One of a new member’s first posts: a moderator looks at it first')
      }
    }
    const status: Screened['status'] = existing?.status === 'hidden' ? 'hidden' : reasons.length ? 'held' : (existing?.status ?? 'published')
    await tx.execute(
      sql`insert into moderation_items (kind, content_id, member_id, store_id, status, reasons, text, posted_at)
          values (${post.kind}, ${post.contentId}, ${post.memberId}, ${storeId}, ${status}, ${sql.param(reasons)}::text[], ${post.text}, ${at})
          on conflict (kind, content_id) do update set status = excluded.status, reasons = excluded.reasons, text = excluded.text`,
    )
    if (status === 'held' && existing?.status !== 'held') {
      await recordAudit(tx, at, undefined, {
        action: 'moderation.held',
        targetKind: 'moderation_item',
        targetId: `${post.kind}:${post.contentId}`,
        after: { status, reasons },
        memberId: post.memberId,
      })
      await alertModerators(
        { db: tx, clock },
        { kind: post.kind, contentId: post.contentId, storeId, title: `A ${kindWords[post.kind]} waits for a moderator`, body: reasons.join('. ') },
      )
    }
    return { status, reasons: status === 'held' ? reasons : [] }
  })
}

/** Counts the post in its rate window; past the limit, the post is refused and (the transaction rolling back) not counted. */
async function countPost(db: Db, memberId: string, { ratePosts, rateMinutes }: ModerationSettings, at: Date) {
  const windowMs = rateMinutes * 60_000
  const windowStart = new Date(Math.floor(at.getTime() / windowMs) * windowMs)
  const [{ posts }] = await queryRows<{ posts: number }>(
    db,
    sql`insert into moderation_post_counts (member_id, window_start, posts) values (${memberId}, ${windowStart}, 1)
        on conflict (member_id, window_start) do update set posts = moderation_post_counts.posts + 1 returning posts`,
  )
  if (posts > ratePosts) {
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at.getTime()) / 1000))
    throw new PostingTooFast(ratePosts, rateMinutes, retryAfterSeconds)
  }
}
