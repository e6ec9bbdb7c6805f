import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm'
import type { Principal } from '../auth/principal.js'
import type { Db } from '../db/index.js'
import type { Deps } from '../deps.js'
import { auditEntries } from './schema.js'

/**
 * Names for the ids an audit entry holds (a member's name, a reward's), so the trail reads as
 * people say things. Each module answers for its own records; an id no source knows (an erased
 * member) stays an id.
 */
export type AuditNameSource = (db: Db, ids: string[]) => Promise<Map<string, string>>

declare module '../deps.js' {
  interface Wiring {
    /** Who can name the ids in audit entries (wired in src/composition.ts). */
    auditNames: AuditNameSource[]
  }
}

export interface AuditChange {
  action: string
  targetKind: string
  targetId?: string | null
  before?: unknown
  after?: unknown
  memberId?: string | null
}

/** Records a staff or admin action; call it inside the transaction that makes the change. */
export async function recordAudit(db: Db, at: Date, actor: Principal | undefined, change: AuditChange, requestId?: string) {
  await db.insert(auditEntries).values({
    at,
    actorKind: actor?.kind ?? 'system',
    actorId: actor ? (actor.kind === 'apiKey' ? actor.keyId : actor.userId) : 'system',
    actorName: actor ? (actor.kind === 'apiKey' ? actor.name : actor.displayName) : 'system',
    action: change.action,
    targetKind: change.targetKind,
    targetId: change.targetId ?? null,
    before: change.before ?? null,
    after: change.after ?? null,
    memberId: change.memberId ?? null,
    requestId: requestId ?? null,
  })
}

export interface AuditFilter {
  /** Who: the login's or key's id. */
  actorId?: string
  /** What: an action (`member.merged`), or a kind of record (`member`) for every action on it. */
  action?: string
  targetKind?: string
  /** When: from this instant, up to (not including) that one. */
  from?: Date
  to?: Date
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The ids an entry names: its target, its member, and fields such as `mergedId` in what it changed. */
function idsIn(entry: { targetId: string | null; memberId: string | null; before: unknown; after: unknown }): string[] {
  const found = [entry.targetId, entry.memberId]
  for (const side of [entry.before, entry.after]) {
    if (side && typeof side === 'object') for (const value of Object.values(side)) if (typeof value === 'string') found.push(value)
  }
  return found.filter((id): id is string => typeof id === 'string' && uuid.test(id))
}

/** Newest first, filtered by who, what and when; each entry with the names of the ids it holds. The cursor is the last id seen. */
export async function listAudit({ db, wiring }: Pick<Deps, 'db' | 'wiring'>, { limit, before, ...filter }: AuditFilter & { limit: number; before?: number }) {
  const where: (SQL | undefined)[] = [
    before ? lt(auditEntries.id, before) : undefined,
    filter.actorId ? eq(auditEntries.actorId, filter.actorId) : undefined,
    filter.action ? eq(auditEntries.action, filter.action) : undefined,
    filter.targetKind ? eq(auditEntries.targetKind, filter.targetKind) : undefined,
    filter.from ? gte(auditEntries.at, filter.from) : undefined,
    filter.to ? lt(auditEntries.at, filter.to) : undefined,
  ]
  const rows = await db
    .select()
    .from(auditEntries)
    .where(and(...where))
    .orderBy(desc(auditEntries.id))
    .limit(limit + 1)
  const items = rows.slice(0, limit)
  const ids = [...new Set(items.flatMap(idsIn))]
  const names = new Map<string, string>()
  if (ids.length)
    for (const found of await Promise.all((wiring.auditNames ?? []).map((source) => source(db, ids)))) for (const [id, name] of found) names.set(id, name)
  return {
    items: items.map((entry) => ({
      ...entry,
      names: Object.fromEntries(idsIn(entry).flatMap((id) => (names.has(id) ? [[id, names.get(id) as string]] : []))),
    })),
    more: rows.length > limit,
  }
}

/**
 * One page of the trail as the API reads it: `cursor` is the last id of the page before, `from`
 * and `to` ISO timestamps; dates leave as ISO text.
 */
export async function auditPage(
  deps: Pick<Deps, 'db' | 'wiring'>,
  query: Omit<AuditFilter, 'from' | 'to'> & { limit?: number; cursor?: string; from?: string; to?: string },
) {
  const { limit = 50, cursor, from, to, ...filter } = query
  const { items, more } = await listAudit(deps, {
    ...filter,
    limit,
    before: cursor ? Number(cursor) : undefined,
    from: from ? new Date(from) : undefined,
    to: to ? new Date(to) : undefined,
  })
  return { items: items.map((e) => ({ ...e, at: e.at.toISOString() })), nextCursor: more ? String(items.at(-1)?.id) : null }
}

/** Who has acted and what they did, for the trail's filters. */
export async function auditChoices(db: Db) {
  const [actors, actions] = await Promise.all([
    db
      .selectDistinct({ actorId: auditEntries.actorId, actorName: sql<string>`coalesce(${auditEntries.actorName}, ${auditEntries.actorKind})` })
      .from(auditEntries)
      .orderBy(sql`2`),
    db.selectDistinct({ action: auditEntries.action }).from(auditEntries).orderBy(auditEntries.action),
  ])
  return { actors, actions: actions.map((a) => a.action) }
}
