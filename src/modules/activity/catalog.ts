import { and, asc, eq, gt, ilike, or } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.js'
import { builtinKinds } from './inputs.js'
import { activityKinds, channels, products } from './schema.js'

export type Channel = typeof channels.$inferSelect
export type ProductRow = typeof products.$inferSelect

export async function listChannels(db: Db): Promise<Channel[]> {
  return db.select().from(channels).orderBy(asc(channels.code))
}

/** Adds a channel or changes its name and what happens to activity naming unknown identifiers. */
export async function saveChannel(db: Db, channel: Channel): Promise<{ before: Channel | undefined; after: Channel }> {
  const [before] = await db.select().from(channels).where(eq(channels.code, channel.code))
  const [after] = await db
    .insert(channels)
    .values(channel)
    .onConflictDoUpdate({ target: channels.code, set: { name: channel.name, unknownIdentifier: channel.unknownIdentifier } })
    .returning()
  return { before, after }
}

export async function listActivityKinds(db: Db) {
  const custom = await db.select().from(activityKinds).orderBy(asc(activityKinds.code))
  return [
    ...builtinKinds.map((code) => ({ code, name: code.replace('_', ' '), custom: false })),
    ...custom.map((k) => ({ code: k.code, name: k.name, custom: true })),
  ]
}

/** Products by sku or name fragment, a page at a time (keyset on sku). */
export async function searchProducts(db: Db, { q, limit, after }: { q?: string; limit: number; after?: string }) {
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined
  const rows = await db
    .select()
    .from(products)
    .where(and(like ? or(ilike(products.sku, like), ilike(products.name, like)) : undefined, after ? gt(products.sku, after) : undefined))
    .orderBy(asc(products.sku))
    .limit(limit + 1)
  return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? (rows[limit - 1]?.sku ?? null) : null }
}
