import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { MergeParticipant } from '../../identity/index.js'
import { recountIdeas } from './votes.js'

/** Tables keyed by (idea, member[, kind]): where both members have a row, one person keeps one. */
const perPerson = [
  { table: 'idea_votes', keys: ['idea_id'], live: (t: string) => `${t}.withdrawn_at is null` },
  { table: 'idea_follows', keys: ['idea_id'], live: () => 'true' },
  { table: 'idea_demand', keys: ['idea_id', 'kind'], live: (t: string) => `${t}.cancelled_at is null` },
] as const

interface Moved {
  /** Rows deleted so one person keeps one (as JSON), put back by unmerge. */
  dropped: Record<string, unknown[]>
  /** Keys of rows re-pointed from the merged member to the survivor, per table. */
  repointed: Record<string, unknown[]>
  comments: unknown[]
  ideas: string[]
}

const uuid = /^[0-9a-f-]{36}$/i
const keyOf = (keys: readonly string[]) => sql.raw(`jsonb_build_object(${keys.map((k) => `'${k}', ${k}`).join(', ')})`)
const sameIdea = (table: string, keys: readonly string[], other: string, also = 'true') =>
  sql.raw(
    `exists (select 1 from ${table} twin where twin.member_id = '${other}' and ${keys.map((k) => `twin.${k} = ${table}.${k}`).join(' and ')} and ${also})`,
  )

/**
 * One person, one voice after a merge: the merged member's votes, follows and demand become the
 * survivor's, and where both voted for an idea one vote stays (a live one before a withdrawn one, the
 * survivor's before the merged member's), so the idea's support counts the person once. These tables
 * are placed by the idea, so member_id is re-pointed here, not a distribution column.
 */
export async function mergeIdeasOfMember(db: Db, mergedId: string, survivorId: string): Promise<Moved> {
  if (!uuid.test(mergedId) || !uuid.test(survivorId)) throw new Error('member ids must be uuids')
  const moved: Moved = { dropped: {}, repointed: {}, comments: [], ideas: [] }
  const touched: string[] = []
  for (const t of perPerson) {
    const table = sql.raw(t.table)
    const dropped = [
      // The survivor's dead row gives way to the merged member's live one…
      ...(await queryRows<{ row: { idea_id: string } }>(
        db,
        sql`delete from ${table} where member_id = ${survivorId} and not (${sql.raw(t.live(t.table))})
             and ${sameIdea(t.table, t.keys, mergedId, t.live('twin'))} returning to_jsonb(${table}.*) as row`,
      )),
      // …else the survivor's row stays and the merged member's goes.
      ...(await queryRows<{ row: { idea_id: string } }>(
        db,
        sql`delete from ${table} where member_id = ${mergedId} and ${sameIdea(t.table, t.keys, survivorId)} returning to_jsonb(${table}.*) as row`,
      )),
    ]
    if (dropped.length) moved.dropped[t.table] = dropped.map((d) => d.row)
    const repointed = await queryRows<{ key: { idea_id: string } }>(
      db,
      sql`update ${table} set member_id = ${survivorId} where member_id = ${mergedId} returning ${keyOf(t.keys)} as key`,
    )
    if (repointed.length) moved.repointed[t.table] = repointed.map((r) => r.key)
    if (t.table === 'idea_votes') touched.push(...dropped.map((d) => d.row.idea_id), ...repointed.map((r) => r.key.idea_id))
  }
  moved.comments = (
    await queryRows<{ key: unknown }>(
      db,
      sql`update idea_comments set member_id = ${survivorId} where member_id = ${mergedId} returning ${keyOf(['idea_id', 'id'])} as key`,
    )
  ).map((r) => r.key)
  moved.ideas = (await queryRows<{ id: string }>(db, sql`update ideas set author_id = ${survivorId} where author_id = ${mergedId} returning id`)).map(
    (r) => r.id,
  )
  await recountIdeas(db, touched)
  return moved
}

/** Undoes the merge: re-pointed rows go back, dropped rows return, and the ideas' support is recounted. */
export async function unmergeIdeasOfMember(db: Db, mergedId: string, survivorId: string, moved: Moved) {
  const touched: string[] = []
  for (const t of perPerson) {
    const keys = moved.repointed[t.table]
    if (keys?.length) {
      await db.execute(
        sql`update ${sql.raw(t.table)} set member_id = ${mergedId} where member_id = ${survivorId}
             and ${JSON.stringify(keys)}::jsonb @> jsonb_build_array(${keyOf(t.keys)})`,
      )
    }
    const rows = moved.dropped[t.table] ?? []
    if (rows.length) {
      await db.execute(
        sql`insert into ${sql.raw(t.table)} select (jsonb_populate_record(null::${sql.raw(t.table)}, r)).* from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r on conflict do nothing`,
      )
    }
    if (t.table === 'idea_votes')
      touched.push(...(keys ?? []).map((k) => (k as { idea_id: string }).idea_id), ...rows.map((r) => (r as { idea_id: string }).idea_id))
  }
  if (moved.comments.length) {
    await db.execute(
      sql`update idea_comments set member_id = ${mergedId} where member_id = ${survivorId} and ${JSON.stringify(moved.comments)}::jsonb @> jsonb_build_array(${keyOf(['idea_id', 'id'])})`,
    )
  }
  if (moved.ideas.length) await db.execute(sql`update ideas set author_id = ${mergedId} where id = any(${sql.param(moved.ideas)}::uuid[])`)
  await recountIdeas(db, touched)
}

/** Wired in src/composition.ts. */
export const ideasMergeParticipant: MergeParticipant = {
  name: 'ideas',
  merge: mergeIdeasOfMember,
  unmerge: (db, merged, survivor, moved) => unmergeIdeasOfMember(db, merged, survivor, moved as Moved),
}
