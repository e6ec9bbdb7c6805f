import { asc, eq, ilike, or, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { products } from '../activity/index.js'
import { share, unshare } from './feed.js'
import { areFriends } from './friends.js'
import { assertVisible, eitherBlocked, isVisible, shownName } from './visibility.js'

export type ListRole = 'owner' | 'editor' | 'viewer'
export type ListKind = 'wishlist' | 'gift'

export class ListRoleTooLow extends DomainError {
  constructor(role: ListRole, needs: string) {
    super('/problems/list-role', 403, `You are this list’s ${role}`, { role }, `Only its ${needs} can do that.`)
  }
}

export class AlreadyReserved extends DomainError {
  constructor() {
    super('/problems/already-reserved', 409, 'Someone already said they will get this', {}, 'Pick another item, or ask your friends.')
  }
}

export class NotAFriend extends DomainError {
  constructor(memberId: string) {
    super('/problems/not-a-friend', 409, 'Lists are shared with friends only', { memberId }, 'Add them as a friend first.')
  }
}

/**
 * The member's role on a list: owner, or the role a friend gave them while the owner stays
 * visible and neither blocked the other. No access and no such list are one and the same 404.
 */
export async function roleOn(db: Db, memberId: string, listId: string): Promise<{ ownerId: string; role: ListRole }> {
  const [own] = await queryRows(db, sql`select 1 from lists where member_id = ${memberId} and id = ${listId}`)
  if (own) return { ownerId: memberId, role: 'owner' }
  const [shared] = await queryRows<{ owner_id: string; role: 'editor' | 'viewer' }>(
    db,
    sql`select s.owner_id, s.role from list_shares s where s.member_id = ${memberId} and s.list_id = ${listId}
           and ${isVisible(sql`s.owner_id`)} and not ${eitherBlocked(memberId, sql`s.owner_id`)}`,
  )
  if (!shared) throw new NotFound('List', listId)
  return { ownerId: shared.owner_id, role: shared.role }
}

async function needRole(db: Db, memberId: string, listId: string, allowed: ListRole[], needs: string) {
  const access = await roleOn(db, memberId, listId)
  if (!allowed.includes(access.role)) throw new ListRoleTooLow(access.role, needs)
  return access
}

export async function createList({ db, clock }: Pick<Deps, 'db' | 'clock'>, ownerId: string, { kind, title }: { kind: ListKind; title: string }) {
  const id = newId()
  await db.execute(sql`insert into lists (member_id, id, kind, title, created_at) values (${ownerId}, ${id}, ${kind}, ${title}, ${clock.now()})`)
  return listOf({ db }, ownerId, id)
}

/** The member's own lists and those friends share with them. */
export async function listsOf(db: Db, memberId: string) {
  const rows = await queryRows<{ id: string; kind: ListKind; title: string; owner_id: string; owner: string; role: ListRole; items: number; created_at: Date }>(
    db,
    sql`select l.id, l.kind, l.title, l.member_id as owner_id, ${shownName('m')} as owner, 'owner' as role, l.created_at,
               (select count(*)::int from list_items i where i.member_id = l.member_id and i.list_id = l.id) as items
          from lists l join members m on m.id = l.member_id where l.member_id = ${memberId}
        union all
        select l.id, l.kind, l.title, l.member_id, ${shownName('m')}, s.role, l.created_at,
               (select count(*)::int from list_items i where i.member_id = l.member_id and i.list_id = l.id)
          from list_shares s join lists l on l.member_id = s.owner_id and l.id = s.list_id join members m on m.id = l.member_id
         where s.member_id = ${memberId} and ${isVisible(sql`s.owner_id`)} and not ${eitherBlocked(memberId, sql`s.owner_id`)}
        order by role desc, created_at desc`,
  )
  return rows.map((r) => ({
    listId: r.id,
    kind: r.kind,
    title: r.title,
    owner: { memberId: r.owner_id, name: r.owner },
    role: r.role,
    items: r.items,
  }))
}

/**
 * One list as the member may see it: items with the product's live name, price and stock. Who said
 * "I'll get this" is shown to everyone on the list except its owner, who is never told.
 */
export async function listOf({ db }: Pick<Deps, 'db'>, memberId: string, listId: string) {
  const { ownerId, role } = await roleOn(db, memberId, listId)
  const [list] = await queryRows<{ kind: ListKind; title: string; owner: string }>(
    db,
    sql`select l.kind, l.title, ${shownName('m')} as owner from lists l join members m on m.id = l.member_id where l.member_id = ${ownerId} and l.id = ${listId}`,
  )
  const items = await queryRows<{
    id: string
    sku: string
    quantity: number
    note: string | null
    added_at: Date
    added_by: string | null
    added_by_name: string | null
    reserved_by: string | null
    reserved_by_name: string | null
    name: string | null
    price_minor: number | null
    currency: string | null
    in_stock: boolean | null
  }>(
    db,
    sql`select i.id, i.sku, i.quantity, i.note, i.added_at, i.added_by, ${shownName('a')} as added_by_name, i.reserved_by, ${shownName('r')} as reserved_by_name,
               p.name, p.price_minor, p.currency, p.in_stock
          from list_items i left join products p on p.sku = i.sku
          left join members a on a.id = i.added_by left join members r on r.id = i.reserved_by
         where i.member_id = ${ownerId} and i.list_id = ${listId} order by i.added_at, i.id`,
  )
  const shares =
    role === 'owner'
      ? await queryRows<{ id: string; name: string; role: 'editor' | 'viewer' }>(
          db,
          sql`select m.id, ${shownName('m')} as name, s.role from list_shares s join members m on m.id = s.member_id
               where s.owner_id = ${ownerId} and s.list_id = ${listId} and s.member_id in (select friend_id from friendships where member_id = ${ownerId})
               order by name, m.id`,
        )
      : []
  return {
    listId,
    kind: list.kind,
    title: list.title,
    owner: { memberId: ownerId, name: list.owner },
    role,
    sharedWith: shares.map((s) => ({ memberId: s.id, name: s.name, role: s.role })),
    items: items.map((i) => ({
      itemId: i.id,
      sku: i.sku,
      quantity: i.quantity,
      note: i.note,
      addedAt: new Date(i.added_at).toISOString(),
      addedBy: i.added_by ? { memberId: i.added_by, name: i.added_by_name as string } : null,
      product: { name: i.name, priceMinor: i.price_minor === null ? null : Number(i.price_minor), currency: i.currency, inStock: i.in_stock ?? false },
      // The owner's answer leaves the reservation out altogether: a gift stays a surprise.
      reservation:
        role === 'owner' ? null : i.reserved_by ? { memberId: i.reserved_by, name: i.reserved_by_name as string, mine: i.reserved_by === memberId } : null,
    })),
  }
}

/** Adds a catalogue product (owner or editor); `share` also tells friends, for a wishlist. */
export async function addListItem(
  deps: Pick<Deps, 'db' | 'clock'>,
  memberId: string,
  listId: string,
  item: { sku: string; quantity?: number; note?: string | null; share?: boolean },
) {
  const { db, clock } = deps
  const { ownerId } = await needRole(db, memberId, listId, ['owner', 'editor'], 'owner and editors')
  const [product] = await db.select({ sku: products.sku }).from(products).where(eq(products.sku, item.sku))
  if (!product) throw new NotFound('Product', item.sku)
  const id = newId()
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into list_items (member_id, id, list_id, sku, quantity, note, added_by, added_at)
          values (${ownerId}, ${id}, ${listId}, ${product.sku}, ${item.quantity ?? 1}, ${item.note ?? null}, ${memberId}, ${clock.now()})`,
    )
    if (item.share) {
      await assertVisible(tx, memberId)
      const [{ kind }] = await queryRows<{ kind: ListKind }>(tx, sql`select kind from lists where member_id = ${ownerId} and id = ${listId}`)
      // A gift list is for the few it is shared with; only wishlist adds go to the feed.
      if (kind === 'wishlist') await share({ db: tx, clock }, memberId, { kind: 'wishlist', id, sku: product.sku, listId, note: item.note ?? null })
    }
  })
  return listOf(deps, memberId, listId)
}

/** Removes an item (owner or editor); a share of it leaves the feed too. */
export async function removeListItem(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, listId: string, itemId: string) {
  const { ownerId } = await needRole(deps.db, memberId, listId, ['owner', 'editor'], 'owner and editors')
  await deps.db.transaction(async (tx) => {
    const [gone] = await queryRows<{ added_by: string | null }>(
      tx,
      sql`delete from list_items where member_id = ${ownerId} and list_id = ${listId} and id = ${itemId} returning added_by`,
    )
    if (!gone) throw new NotFound('List item', itemId)
    const [shared] = gone.added_by ? await queryRows(tx, sql`select 1 from shared_items where member_id = ${gone.added_by} and id = ${itemId}`) : []
    if (shared && gone.added_by) await unshare({ db: tx, clock: deps.clock }, gone.added_by, itemId)
  })
}

/** "I'll get this": one member per item, never the list's owner. */
export async function reserveItem(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, listId: string, itemId: string) {
  const { ownerId } = await needRole(deps.db, memberId, listId, ['editor', 'viewer'], 'friends (the owner is not told who gets what)')
  const [row] = await queryRows<{ reserved_by: string }>(
    deps.db,
    sql`update list_items set reserved_by = ${memberId}, reserved_at = ${deps.clock.now()}
         where member_id = ${ownerId} and list_id = ${listId} and id = ${itemId} and (reserved_by is null or reserved_by = ${memberId})
         returning reserved_by`,
  )
  if (!row) {
    const [exists] = await queryRows(deps.db, sql`select 1 from list_items where member_id = ${ownerId} and list_id = ${listId} and id = ${itemId}`)
    throw exists ? new AlreadyReserved() : new NotFound('List item', itemId)
  }
  return listOf(deps, memberId, listId)
}

/** Takes back one's own "I'll get this". */
export async function releaseItem(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, listId: string, itemId: string) {
  const { ownerId } = await needRole(deps.db, memberId, listId, ['editor', 'viewer'], 'friends')
  await deps.db.execute(
    sql`update list_items set reserved_by = null, reserved_at = null where member_id = ${ownerId} and list_id = ${listId} and id = ${itemId} and reserved_by = ${memberId}`,
  )
  return listOf(deps, memberId, listId)
}

/** The owner shares a list with a friend as editor or viewer (again: the role changes). */
export async function shareList(deps: Pick<Deps, 'db' | 'clock'>, ownerId: string, listId: string, friendId: string, role: 'editor' | 'viewer') {
  await needRole(deps.db, ownerId, listId, ['owner'], 'owner')
  await assertVisible(deps.db, ownerId)
  if (!(await areFriends(deps.db, ownerId, friendId))) throw new NotAFriend(friendId)
  await deps.db.execute(
    sql`insert into list_shares (member_id, list_id, owner_id, role, shared_at) values (${friendId}, ${listId}, ${ownerId}, ${role}, ${deps.clock.now()})
        on conflict (member_id, list_id) do update set role = excluded.role`,
  )
  return listOf(deps, ownerId, listId)
}

/** The owner stops sharing with a friend, or a friend leaves a list shared with them. */
export async function unshareList(db: Db, memberId: string, listId: string, otherId: string) {
  const { ownerId, role } = await roleOn(db, memberId, listId)
  const leaving = role !== 'owner'
  if (leaving && otherId !== memberId) throw new ListRoleTooLow(role, 'owner')
  await db.execute(sql`delete from list_shares where member_id = ${leaving ? memberId : otherId} and list_id = ${listId} and owner_id = ${ownerId}`)
}

/** The owner deletes a list, its items and its shares. */
export async function deleteList(db: Db, memberId: string, listId: string) {
  await needRole(db, memberId, listId, ['owner'], 'owner')
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from list_items where member_id = ${memberId} and list_id = ${listId}`)
    await tx.execute(sql`delete from list_shares where owner_id = ${memberId} and list_id = ${listId}`)
    await tx.execute(sql`delete from lists where member_id = ${memberId} and id = ${listId}`)
  })
}

/** Catalogue products by name or sku fragment, for adding to a list: what a shopper may see (name, price, stock). */
export async function findProducts(db: Db, q: string) {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return db
    .select({ sku: products.sku, name: products.name, priceMinor: products.priceMinor, currency: products.currency, inStock: products.inStock })
    .from(products)
    .where(or(ilike(products.name, like), ilike(products.sku, like)))
    .orderBy(asc(products.name), asc(products.sku))
    .limit(20)
}
