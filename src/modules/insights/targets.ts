import { and, eq, inArray, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { StaffPrincipal } from '../../platform/auth/caller.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { storeForWrite, storesToReport } from '../activity/index.js'
import { type TargetFigure, targetFigures } from './api-schemas.js'
import { scorecardTargets } from './schema.js'

export interface TargetChange {
  dimension: 'store' | 'associate'
  /** A store's code, or an associate's login email. */
  who: string
  figure: TargetFigure
  /** Each month, in the figure's units (sales in minor units); null takes the target away. */
  monthly: number | null
  /** For an associate: the store they are held to it at (default the manager's first store). */
  store?: string
}

export class UnknownAssociate extends DomainError {
  constructor(email: string) {
    super(
      '/problems/unknown-associate',
      404,
      'There is no associate with that login',
      { errors: [{ field: '/who', message: 'is not a staff login' }] },
      `No staff login is ${email}.`,
    )
  }
}

/** The targets of the stores a caller reports on (every store's for admins), with who each is for. */
export async function listTargets(deps: Pick<Deps, 'db'>, caller: Principal, store?: string) {
  const stores = await storesToReport(deps.db, caller, store)
  const rows = await queryRows<{
    id: string
    dimension: 'store' | 'associate'
    key: string
    figure: TargetFigure
    monthly: number
    store_code: string
    name: string | null
  }>(
    deps.db,
    sql`select t.id, t.dimension, t.key, t.figure, t.monthly, s.code as store_code,
               case when t.dimension = 'store' then s.name else (select u.display_name from users u where lower(u.email) = t.key limit 1) end as name
          from scorecard_targets t join stores s on s.id = t.store_id
         ${stores ? sql`where t.store_id = any(${sql.param(stores)}::uuid[])` : sql``}
         order by s.code, t.dimension desc, name, t.figure`,
  )
  return {
    items: rows.map((r) => ({
      id: r.id,
      dimension: r.dimension,
      key: r.key,
      name: r.name ?? r.key,
      store: r.store_code,
      figure: r.figure,
      monthly: Number(r.monthly),
    })),
  }
}

/** Sets (or with `monthly: null` takes away) one target, at a store the manager holds; audited in the same transaction. */
export async function setTarget(deps: Pick<Deps, 'db' | 'clock'>, caller: StaffPrincipal, change: TargetChange) {
  const storeCode = change.dimension === 'store' ? change.who : await storeForWrite(deps.db, caller, change.store)
  const [store] = await queryRows<{ id: string }>(deps.db, sql`select id from stores where code = ${storeCode ?? ''}`)
  if (!store) throw new NotFound('Store', storeCode ?? '')
  await storesToReport(deps.db, caller, storeCode) // a store outside the manager's is refused (403)
  const key = change.dimension === 'store' ? store.id : change.who.trim().toLowerCase()
  if (change.dimension === 'associate') {
    const [login] = await queryRows<{ id: string }>(deps.db, sql`select id from users where lower(email) = ${key} and role <> 'member'`)
    if (!login) throw new UnknownAssociate(key)
  }
  await deps.db.transaction(async (tx) => {
    const who = and(eq(scorecardTargets.dimension, change.dimension), eq(scorecardTargets.key, key), eq(scorecardTargets.figure, change.figure))
    const [before] = await tx.select().from(scorecardTargets).where(who)
    const [after] =
      change.monthly === null
        ? await tx.delete(scorecardTargets).where(who).returning()
        : await tx
            .insert(scorecardTargets)
            .values({
              id: newId(),
              storeId: store.id,
              dimension: change.dimension,
              key,
              figure: change.figure,
              monthly: change.monthly,
              updatedAt: deps.clock.now(),
              updatedBy: caller.userId,
            })
            .onConflictDoUpdate({
              target: [scorecardTargets.dimension, scorecardTargets.key, scorecardTargets.figure],
              set: { monthly: change.monthly, storeId: store.id, updatedAt: deps.clock.now(), updatedBy: caller.userId },
            })
            .returning()
    const shown = (t: typeof before | undefined) => t && { dimension: t.dimension, who: change.who, store: storeCode, figure: t.figure, monthly: t.monthly }
    await recordAudit(tx, deps.clock.now(), caller, {
      action: change.monthly === null ? 'insights.target_removed' : 'insights.target_set',
      targetKind: 'scorecard_target',
      targetId: (after ?? before)?.id,
      before: shown(before) ?? null,
      after: change.monthly === null ? null : (shown(after) ?? null),
    })
  })
  return listTargets(deps, caller)
}

/** Monthly targets by row key and figure, for the rows of a scorecard. */
export async function targetsFor(db: Db, dimension: 'store' | 'associate' | 'channel', keys: string[]) {
  if (dimension === 'channel' || keys.length === 0) return new Map<string, Partial<Record<TargetFigure, number>>>()
  const rows = await db
    .select({ key: scorecardTargets.key, figure: scorecardTargets.figure, monthly: scorecardTargets.monthly })
    .from(scorecardTargets)
    .where(and(eq(scorecardTargets.dimension, dimension), inArray(scorecardTargets.key, keys)))
  const byKey = new Map<string, Partial<Record<TargetFigure, number>>>()
  for (const r of rows) if ((targetFigures as readonly string[]).includes(r.figure)) byKey.set(r.key, { ...byKey.get(r.key), [r.figure]: Number(r.monthly) })
  return byKey
}
