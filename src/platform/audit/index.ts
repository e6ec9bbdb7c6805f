import { desc, lt } from 'drizzle-orm'
import type { Principal } from '../auth/principal.js'
import type { Db } from '../db/index.js'
import { auditEntries } from './schema.js'

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

/** Newest first; the cursor is the last id seen. */
export async function listAudit(db: Db, { limit, before }: { limit: number; before?: number }) {
  const rows = await db
    .select()
    .from(auditEntries)
    .where(before ? lt(auditEntries.id, before) : undefined)
    .orderBy(desc(auditEntries.id))
    .limit(limit + 1)
  return { items: rows.slice(0, limit), more: rows.length > limit }
}
