import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { refuseDuplicates } from '../../platform/http/validation.js'
import { newId } from '../../platform/ids.js'
import { saveChannel } from './catalog.js'
import { listStores, type Product, setStock, upsertProducts, upsertStores } from './service.js'

// The catalogue's changes as admins and feeds make them: each with its audit entry, in one transaction.

type CatalogDeps = Pick<Deps, 'db' | 'clock'>

export interface StoreChange {
  code: string
  name: string
  region?: string | null
  timezone?: string
  currency?: string | null
}

/** Creates or updates stores by code; answers every store (none when nothing was saved). */
export async function saveStores(deps: CatalogDeps, items: StoreChange[], actor: Principal | undefined) {
  refuseDuplicates(items, 'code')
  return deps.db.transaction(async (db) => {
    const saved = await upsertStores(
      db,
      items.map((s) => ({ id: newId(), code: s.code, name: s.name, region: s.region ?? null, timezone: s.timezone ?? 'UTC', currency: s.currency ?? null })),
    )
    await recordAudit(db, deps.clock.now(), actor, { action: 'stores.saved', targetKind: 'store', after: items })
    return saved.length ? await listStores(db) : []
  })
}

/** Adds a channel, or changes what it does with unknown identifiers. */
export async function changeChannel(deps: CatalogDeps, channel: Parameters<typeof saveChannel>[1], actor: Principal | undefined) {
  return deps.db.transaction(async (db) => {
    const { before, after } = await saveChannel(db, channel)
    await recordAudit(db, deps.clock.now(), actor, { action: 'channel.saved', targetKind: 'channel', targetId: after.code, before: before ?? null, after })
    return after
  })
}

/** Creates or updates products by sku. */
export async function saveProducts(deps: CatalogDeps, items: Product[], actor: Principal | undefined) {
  refuseDuplicates(items, 'sku')
  return deps.db.transaction(async (db) => {
    await upsertProducts(db, items, deps.clock.now())
    await recordAudit(db, deps.clock.now(), actor, { action: 'products.saved', targetKind: 'product', after: { skus: items.map((p) => p.sku) } })
    return { saved: items.length }
  })
}

/** The stock system's feed: which skus can be bought now. */
export async function feedStock(deps: CatalogDeps, items: { sku: string; inStock: boolean }[], actor: Principal | undefined) {
  refuseDuplicates(items, 'sku')
  return deps.db.transaction(async (db) => {
    const stock = await setStock(db, items, deps.clock.now())
    await recordAudit(db, deps.clock.now(), actor, {
      action: 'products.stock_set',
      targetKind: 'product',
      after: { items: items.length, changed: stock.changed, backInStock: stock.backInStock },
    })
    return stock
  })
}
