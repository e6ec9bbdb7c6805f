import { sql } from 'drizzle-orm'
import { recordAudit } from '../../../platform/audit/index.js'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { type ModerationSettings, moderationSettings } from './screening.js'
import { normaliseTerm } from './words.js'

type AdminDeps = Pick<Deps, 'db' | 'clock'>

export class EmptyFilterTerm extends DomainError {
  constructor() {
    super('/problems/invalid-request', 400, 'The request is not valid', { field: '/body/term' }, 'The word or phrase needs at least one letter or digit.')
  }
}

export class DuplicateFilter extends DomainError {
  constructor(term: string, existing: string) {
    super(
      '/problems/duplicate-word-filter',
      409,
      'That word is already filtered',
      { field: '/body/term', existing },
      `“${term}” reads the same as “${existing}”, which is on the list already.`,
    )
  }
}

/** The word filters, as the admin wrote them and as they are matched. */
export async function wordFilters({ db }: AdminDeps) {
  const rows = await queryRows<{ id: string; term: string; normalised: string; action: 'hold' | 'refuse'; created_at: Date }>(
    db,
    sql`select id, term, normalised, action, created_at from moderation_word_filters order by term`,
  )
  return {
    items: rows.map((r) => ({ filterId: r.id, term: r.term, matches: r.normalised, action: r.action, createdAt: new Date(r.created_at).toISOString() })),
  }
}

/** Adds a word or phrase (audited); one that reads the same as one on the list is refused by name. */
export async function addWordFilter({ db, clock }: AdminDeps, admin: StaffPrincipal, filter: { term: string; action: 'hold' | 'refuse'; requestId?: string }) {
  const term = filter.term.trim()
  const normalised = normaliseTerm(term)
  if (!normalised.replace(/\*$/, '')) throw new EmptyFilterTerm()
  return db.transaction(async (tx) => {
    const id = newId()
    const [row] = await queryRows<{ id: string; created_at: Date }>(
      tx,
      sql`insert into moderation_word_filters (id, term, normalised, action, created_at, created_by)
          values (${id}, ${term}, ${normalised}, ${filter.action}, ${clock.now()}, ${admin.userId})
          on conflict (normalised) do nothing returning id, created_at`,
    )
    if (!row) {
      const [existing] = await queryRows<{ term: string }>(tx, sql`select term from moderation_word_filters where normalised = ${normalised}`)
      throw new DuplicateFilter(term, existing.term)
    }
    await recordAudit(
      tx,
      clock.now(),
      admin,
      { action: 'moderation.filter_added', targetKind: 'moderation_word_filter', targetId: id, after: { term, action: filter.action } },
      filter.requestId,
    )
    return { filterId: id, term, matches: normalised, action: filter.action, createdAt: new Date(row.created_at).toISOString() }
  })
}

export async function removeWordFilter({ db, clock }: AdminDeps, admin: StaffPrincipal, filterId: string, requestId?: string) {
  await db.transaction(async (tx) => {
    const [row] = await queryRows<{ term: string; action: string }>(tx, sql`delete from moderation_word_filters where id = ${filterId} returning term, action`)
    if (!row) throw new NotFound('Word filter', filterId)
    await recordAudit(
      tx,
      clock.now(),
      admin,
      { action: 'moderation.filter_removed', targetKind: 'moderation_word_filter', targetId: filterId, before: row },
      requestId,
    )
  })
}

export { moderationSettings }

/** Changes how many first posts are held and how fast members may post (audited). */
export async function setModerationSettings({ db, clock }: AdminDeps, admin: StaffPrincipal | undefined, settings: ModerationSettings, requestId?: string) {
  return db.transaction(async (tx) => {
    const before = await moderationSettings(tx)
    await tx.execute(
      sql`insert into moderation_settings (id, hold_first_posts, rate_posts, rate_minutes, updated_at, updated_by)
          values (true, ${settings.holdFirstPosts}, ${settings.ratePosts}, ${settings.rateMinutes}, ${clock.now()}, ${admin?.userId ?? null})
          on conflict (id) do update set hold_first_posts = excluded.hold_first_posts, rate_posts = excluded.rate_posts,
            rate_minutes = excluded.rate_minutes, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    await recordAudit(tx, clock.now(), admin, { action: 'moderation.settings', targetKind: 'moderation_settings', before, after: settings }, requestId)
    return settings
  })
}
