import { sql } from 'drizzle-orm'
import { type Db, queryRows, rehomeRows } from '../../platform/db/index.js'
import type { MergeParticipant } from '../identity/index.js'

/** A table's rows on a member's page: `keys` (besides member_id) say which rows are the same; `other` names another member. */
const owned = [
  { table: 'friendships', keys: ['friend_id'], other: 'friend_id' },
  { table: 'friend_requests', keys: ['requester_id'], other: 'requester_id' },
  { table: 'blocks', keys: ['blocked_id'], other: 'blocked_id' },
  { table: 'people_met', keys: ['other_id', 'source'], other: 'other_id' },
  { table: 'shared_items', keys: ['id'] },
  { table: 'feed_items', keys: ['event_id'], other: 'actor_id' },
  { table: 'lists', keys: ['id'] },
  { table: 'list_shares', keys: ['list_id'], other: 'owner_id' },
  { table: 'list_items', keys: ['id'] },
] as const

/** Columns on other members' rows that name the member; `self` rows (the survivor naming itself) are dropped. */
const references = [
  { table: 'friendships', column: 'friend_id', keys: ['friend_id'], self: true },
  { table: 'friend_requests', column: 'requester_id', keys: ['requester_id'], self: true },
  { table: 'blocks', column: 'blocked_id', keys: ['blocked_id'], self: true },
  { table: 'people_met', column: 'other_id', keys: ['other_id', 'source'], self: true },
  { table: 'feed_items', column: 'actor_id', keys: ['event_id'], self: true },
  { table: 'list_shares', column: 'owner_id', keys: ['list_id'], self: true },
  { table: 'list_items', column: 'added_by', keys: ['id'], self: false },
  { table: 'list_items', column: 'reserved_by', keys: ['id'], self: false },
] as const

interface Moved {
  /** Rows deleted as duplicates or as the survivor befriending itself, as JSON, put back by unmerge. */
  dropped: Record<string, unknown[]>
  /** Keys ({member_id, …}) of rows rehomed, per table. */
  rehomed: Record<string, unknown[]>
  /** Keys of other members' rows re-pointed, per table.column. */
  repointed: Record<string, unknown[]>
}

const keyText = (keys: readonly string[]) => `jsonb_build_object('member_id', member_id${keys.map((k) => `, '${k}', ${k}`).join('')})`
const keyObject = (keys: readonly string[]) => sql.raw(keyText(keys))
const sameRow = (table: string, keys: readonly string[], member: string) =>
  sql.raw(`exists (select 1 from ${table} twin where twin.member_id = '${member}' and ${keys.map((k) => `twin.${k} = ${table}.${k}`).join(' and ')})`)
const uuid = /^[0-9a-f-]{36}$/i

/**
 * Friends, requests, blocks, people met, shares, feed and lists move to the survivor with a merge,
 * without duplicates (a friend of both stays one friend; the two never befriend themselves), and
 * other members' rows naming the merged member name the survivor. Never an update of member_id:
 * rows move by rehomeRows, and rows on other members' pages are found by their member_id first.
 */
export async function mergeSocial(db: Db, mergedId: string, survivorId: string): Promise<Moved> {
  if (!uuid.test(mergedId) || !uuid.test(survivorId)) throw new Error('member ids must be uuids')
  const moved: Moved = { dropped: {}, rehomed: {}, repointed: {} }
  const drop = (table: string, rows: { row: unknown }[]) => {
    if (rows.length) moved.dropped[table] = [...(moved.dropped[table] ?? []), ...rows.map((r) => r.row)]
  }
  for (const t of owned) {
    const self = 'other' in t ? sql.raw(`${t.other} = '${survivorId}' or `) : sql``
    drop(
      t.table,
      await queryRows(
        db,
        sql`delete from ${sql.raw(t.table)} where member_id = ${mergedId} and (${self}${sameRow(t.table, t.keys, survivorId)}) returning to_jsonb(${sql.raw(t.table)}.*) as row`,
      ),
    )
    const rows = await rehomeRows<{ key: unknown }>(db, t.table, mergedId, survivorId, { returning: `${keyText(t.keys)} as key` })
    if (rows.length) moved.rehomed[t.table] = rows.map((r) => r.key)
  }
  for (const r of references) {
    const table = sql.raw(r.table)
    const column = sql.raw(r.column)
    const pages = (await queryRows<{ member_id: string }>(db, sql`select distinct member_id from ${table} where ${column} = ${mergedId}`)).map(
      (p) => p.member_id,
    )
    if (pages.length === 0) continue
    const onPages = sql`member_id = any(${sql.param(pages)}::uuid[]) and ${column} = ${mergedId}`
    if (r.self) {
      const twin = sql.raw(
        `exists (select 1 from ${r.table} twin where twin.member_id = ${r.table}.member_id and twin.${r.column} = '${survivorId}'${r.keys
          .filter((k) => k !== r.column)
          .map((k) => ` and twin.${k} = ${r.table}.${k}`)
          .join('')})`,
      )
      const duplicate = r.keys.includes(r.column as never) ? twin : sql`false`
      drop(
        r.table,
        await queryRows(db, sql`delete from ${table} where ${onPages} and (member_id = ${survivorId} or ${duplicate}) returning to_jsonb(${table}.*) as row`),
      )
    }
    const rows = await queryRows<{ key: unknown }>(
      db,
      sql`update ${table} set ${column} = ${survivorId} where ${onPages} returning ${keyObject(r.keys)} as key`,
    )
    if (rows.length) moved.repointed[`${r.table}.${r.column}`] = rows.map((row) => row.key)
  }
  return moved
}

/** Undoes mergeSocial: re-pointed rows point back, rehomed rows go home, dropped rows return. */
export async function unmergeSocial(db: Db, mergedId: string, survivorId: string, moved: Moved) {
  for (const r of [...references].reverse()) {
    const keys = moved.repointed[`${r.table}.${r.column}`]
    if (!keys?.length) continue
    const pages = [...new Set(keys.map((k) => (k as { member_id: string }).member_id))]
    await db.execute(
      sql`update ${sql.raw(r.table)} set ${sql.raw(r.column)} = ${mergedId}
           where member_id = any(${sql.param(pages)}::uuid[]) and ${sql.raw(r.column)} = ${survivorId}
             and ${JSON.stringify(keys)}::jsonb @> jsonb_build_array(${keyObject(r.keys)})`,
    )
  }
  for (const t of [...owned].reverse()) {
    const keys = moved.rehomed[t.table]
    if (keys?.length) {
      await rehomeRows(db, t.table, survivorId, mergedId, {
        only: sql`${JSON.stringify(keys)}::jsonb @> jsonb_build_array(${keyObject(t.keys)})`,
        returning: 'member_id',
      })
    }
  }
  for (const [table, rows] of Object.entries(moved.dropped)) {
    await db.execute(
      sql`insert into ${sql.raw(table)} select (jsonb_populate_record(null::${sql.raw(table)}, r)).* from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r
           where r->>'member_id' is not null on conflict do nothing`,
    )
  }
}

/** Wired in src/composition.ts. */
export const socialMergeParticipant: MergeParticipant = {
  name: 'social',
  merge: mergeSocial,
  unmerge: (db, merged, survivor, moved) => unmergeSocial(db, merged, survivor, moved as Moved),
}
