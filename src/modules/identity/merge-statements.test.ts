import { sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStores, callersFor, enrol, sendActivity } from '../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../test/support/testing.js'
import { tablePlacement } from '../../distribution.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { mergeMembers, unmergeMembers } from './index.js'

const admin: Principal = {
  kind: 'staff',
  userId: newId(),
  displayName: 'Recorder',
  role: 'admin',
  storeIds: [],
  via: 'session',
  sessionId: 'r',
  csrfSecret: '',
}
const memberTables = Object.entries(tablePlacement).filter(([, p]) => p.kind === 'member' && p.column === 'member_id')
const distributed = Object.entries(tablePlacement).flatMap(([table, p]) => (p.kind === 'member' || p.kind === 'own' ? [[table, p.column] as const] : []))

/** What Citus would refuse in one statement: changing a table's distribution column, or a member table touched without its member. */
function refusals(statement: string): string[] {
  const text = statement.toLowerCase().replace(/"/g, '')
  const found: string[] = []
  for (const [table, column] of distributed) {
    const set = new RegExp(`update\\s+${table}\\s+set\\s+(.*?)(\\swhere\\s|\\sfrom\\s|\\sreturning\\s|$)`, 's').exec(text)?.[1]
    if (set && new RegExp(`(^|[\\s,])${column}\\s*=`).test(set)) found.push(`updates ${table}.${column}`)
  }
  for (const [table] of memberTables) {
    if (new RegExp(`(from|into|update|join)\\s+${table}\\b`).test(text) && !text.includes('member_id')) found.push(`${table} without member_id`)
  }
  return found
}

describe('merge and unmerge as Citus would run them', () => {
  let t: TestApp
  let as: Record<'associate' | 'manager' | 'pos', Caller>
  const [ada, adaAgain] = [newId(), newId()]
  beforeAll(async () => {
    t = await testApp()
    await addStores(t, [{ code: 'S01', name: 'Camden' }])
    await enrol(t, [
      { id: ada, card: 'R-1' },
      { id: adaAgain, card: 'R-2' },
    ])
    as = await callersFor(t, { associate: 'associate', manager: 'manager', pos: { scopes: ['activity:write'] } })
    const m = `/v1/members/${adaAgain}`
    const post = (caller: Caller, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: caller.headers, payload })
    await sendActivity(t, as.pos, {
      kind: 'purchase',
      member: { kind: 'card', value: 'R-2' },
      orderRef: 'r-1',
      lines: [{ sku: 'X', quantity: 1, unitPrice: 900 }],
    })
    await post(as.associate, `${m}/notes`, { body: 'likes dark roast' })
    await post(as.associate, `${m}/follow-ups`, { title: 'call back', dueOn: '2026-11-20' })
    await post(as.associate, `${m}/conversations`, { reason: 'visit', summary: 'chatted', outcome: 'talked' })
    await post(as.associate, `${m}/taste/preferences`, { kind: 'like', subjectKind: 'brand', subject: 'Acme' })
    await post(as.manager, `${m}/points/adjustments`, { points: 30, reason: 'welcome' })
  })
  afterAll(() => t.close())

  /** The same database through a handle that writes down every statement it runs. */
  const recording = (statements: string[]): Db => {
    const logger = { logQuery: (query: string) => statements.push(query) }
    const { database } = t.deps
    return (database.pglite ? drizzlePglite(database.pglite, { logger }) : drizzlePg(database.pool as never, { logger })) as unknown as Db
  }
  const rowsOf = async (memberId: string) => {
    const counts: Record<string, number> = {}
    for (const [table] of memberTables)
      counts[table] = (await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from ${sql.raw(table)} where member_id = ${memberId}`))[0].n
    return counts
  }

  it('never updates a distribution column nor touches a member table without its member_id, and unmerge restores every row', async () => {
    const before = { ada: await rowsOf(ada), adaAgain: await rowsOf(adaAgain) }
    expect(before.adaAgain.member_notes).toBe(1)
    const statements: string[] = []
    const deps = { ...t.deps, db: recording(statements) }
    const merge = await mergeMembers(deps, ada, adaAgain, admin)
    expect((await rowsOf(ada)).member_notes).toBe(1)
    expect((await rowsOf(adaAgain)).activities).toBe(0)
    await unmergeMembers(deps, merge.id, admin)
    expect(statements.length).toBeGreaterThan(10)
    expect(statements.flatMap(refusals)).toEqual([])
    // Transfers are new ledger entries on both sides (and give the survivor a balance row); every other row is back where it was.
    const ignore = ['ledger_entries', 'ledger_postings', 'points_balances']
    const same = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([table]) => !ignore.includes(table)))
    expect(same(await rowsOf(ada))).toEqual(same(before.ada))
    expect(same(await rowsOf(adaAgain))).toEqual(same(before.adaAgain))
  })

  it('catches a statement that updates member_id', () => {
    expect(refusals('update "member_notes" set "member_id" = $1 where "member_notes"."member_id" = $2')).toEqual(['updates member_notes.member_id'])
    expect(refusals('select * from points_lots where entry_id = $1')).toEqual(['points_lots without member_id'])
  })
})
