import { eq, inArray, sql } from 'drizzle-orm'
import { type Principal, storeScopeOf } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import { Forbidden, NotFound } from '../../platform/http/problems.js'
import { stores } from './schema.js'

export interface ScopedStore {
  id: string
  code: string
}

/** The stores a caller may read and write, in its own order; undefined when it is held to none (every store). */
export async function storesInScope(db: Db, principal: Principal | undefined): Promise<ScopedStore[] | undefined> {
  const scope = storeScopeOf(principal)
  if (!scope) return undefined
  const named = 'storeIds' in scope ? scope.storeIds : scope.storeCodes
  const rows = await db
    .select({ id: stores.id, code: stores.code })
    .from(stores)
    .where('storeIds' in scope ? inArray(stores.id, scope.storeIds) : inArray(stores.code, scope.storeCodes))
  const position = (s: ScopedStore) => named.indexOf('storeIds' in scope ? s.id : s.code)
  return rows.sort((a, b) => position(a) - position(b))
}

/** Refuses a store the caller is held away from; `undefined` (no store named) passes. */
export function assertStoreInScope(scoped: ScopedStore[] | undefined, storeCode: string | null | undefined) {
  if (!scoped || !storeCode || scoped.some((s) => s.code === storeCode)) return
  throw new Forbidden(`Store ${storeCode} is not one of yours (${scoped.map((s) => s.code).join(', ') || 'none'}).`)
}

/**
 * The stores a report covers, as ids: the one asked for (which must exist and be the caller's),
 * else the caller's own (undefined: every store). Asking for another store is refused rather than
 * quietly emptied.
 */
export async function storesToReport(db: Db, principal: Principal | undefined, storeCode: string | undefined): Promise<string[] | undefined> {
  const scoped = await storesInScope(db, principal)
  if (!storeCode) return scoped?.map((s) => s.id)
  const [store] = await db.select({ id: stores.id }).from(stores).where(eq(stores.code, storeCode))
  if (!store) throw new NotFound('Store', storeCode)
  assertStoreInScope(scoped, storeCode)
  return [store.id]
}

/**
 * The store a write happens at: the one named, which a store-held caller must hold, or else its
 * first store (a till's key or associate naming none acts at its own store).
 */
export async function storeForWrite(db: Db, principal: Principal | undefined, storeCode: string | undefined): Promise<string | undefined> {
  const scoped = await storesInScope(db, principal)
  if (!scoped) return storeCode
  if (scoped.length === 0) throw new Forbidden('This caller is held to stores that do not exist.')
  assertStoreInScope(scoped, storeCode)
  return storeCode ?? scoped[0].code
}

/**
 * Refuses a member outside a store-held caller's stores, as "not found" (not yours reads the same):
 * a member is a store's when it is their home store or they have activity there. `memberIds` is the
 * person: the member and the memberships merged into them.
 */
export async function assertMemberInStoreScope(db: Db, principal: Principal | undefined, memberId: string, memberIds: string[] = [memberId]) {
  const scoped = await storesInScope(db, principal)
  if (!scoped) return
  const storeIds = sql.param(scoped.map((s) => s.id))
  const [{ ours }] = await queryRows<{ ours: boolean }>(
    db,
    sql`select exists (select 1 from members where id = any(${sql.param(memberIds)}::uuid[]) and home_store_id = any(${storeIds}::uuid[]))
            or exists (select 1 from activities where member_id = any(${sql.param(memberIds)}::uuid[]) and store_id = any(${storeIds}::uuid[])) as ours`,
  )
  if (!ours) throw new NotFound('Member', memberId)
}
