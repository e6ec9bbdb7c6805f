import { sql } from 'drizzle-orm'
import { strToU8, zipSync } from 'fflate'
import { recordAudit } from '../../platform/audit/index.js'
import type { MemberPrincipal } from '../../platform/auth/caller.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { csvText } from '../../platform/http/csv.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { publish } from '../../platform/outbox/index.js'
import type { ExportedRows, Person } from '../../platform/privacy.js'
import { checkErasureCode, confirmPassword, loginsOf } from '../accounts/index.js'
import { assertMemberInStoreScope } from '../activity/index.js'

/** The person behind a member id: the member it resolves to and every member merged into that one. */
async function personOf(db: Db, memberId: string): Promise<Person & { memberId: string; erasedAt: Date | null }> {
  const rows = await queryRows<{ id: string; live: string; erased_at: Date | null }>(
    db,
    sql`with recursive person as (
          select id, id as live, erased_at from members where id = live_member(${memberId}::uuid)
          union select m.id, p.live, p.erased_at from members m join person p on m.merged_into = p.id)
        select id, live, erased_at from person`,
  )
  if (rows.length === 0) throw new NotFound('Member', memberId)
  const memberIds = rows.map((r) => r.id)
  return { memberId: rows[0].live, erasedAt: rows[0].erased_at, memberIds, userIds: await loginsOf(db, memberIds) }
}

export interface MemberExport {
  memberId: string
  exportedAt: string
  /** Every table holding the member's rows, by its name in the database, with those rows as they are stored. */
  tables: Record<string, ExportedRows>
}

/** Everything Regulars holds about a member, from every module; staff exports are audited (the member's own are not). */
export async function exportMemberData(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, memberId: string, actor: Principal): Promise<MemberExport> {
  const person = await personOf(deps.db, memberId)
  // A manager held to stores exports only their stores' members.
  if (actor.kind !== 'member') await assertMemberInStoreScope(deps.db, actor, memberId, person.memberIds)
  const parts = await Promise.all(deps.wiring.memberDataParts.map((part) => part.exportFor(deps.db, person)))
  const tables = Object.fromEntries(
    parts
      .flatMap((part) => Object.entries(part))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([table, rows]) => [table, JSON.parse(JSON.stringify(rows))]),
  )
  if (actor.kind !== 'member')
    await recordAudit(deps.db, deps.clock.now(), actor, {
      action: 'member.data_exported',
      targetKind: 'member',
      targetId: person.memberId,
      memberId: person.memberId,
    })
  return { memberId: person.memberId, exportedAt: deps.clock.now().toISOString(), tables }
}

/** The export as a zip: member-data.json whole, and one CSV per table that holds rows (nested values as JSON). */
export function zipMemberData(data: MemberExport): Uint8Array {
  const files: Record<string, Uint8Array> = { 'member-data.json': strToU8(JSON.stringify(data, null, 2)) }
  for (const [table, rows] of Object.entries(data.tables)) {
    if (rows.length === 0) continue
    // The API's one CSV convention (platform/http/csv.ts): snake_case headers, formulae escaped (a note
    // reading "=HYPERLINK(…)" must not run in the member's spreadsheet); amounts stay as stored, in
    // columns that say so (`total_minor`), beside their `currency`.
    const columns = Object.keys(rows[0] as object).map((key): [string, (row: Record<string, unknown>) => unknown] => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      (row) => (row[key] !== null && typeof row[key] === 'object' ? JSON.stringify(row[key]) : row[key]),
    ])
    files[`${table}.csv`] = strToU8(csvText(rows as Record<string, unknown>[], columns))
  }
  return zipSync(files)
}

export interface Erasure {
  memberId: string
  erasedAt: string
  /** The memberships erased: the member and those merged into it. */
  members: number
  alreadyErased: boolean
}

export class ErasureNotConfirmed extends DomainError {
  constructor() {
    super(
      '/problems/erasure-not-confirmed',
      400,
      'The erasure is not confirmed',
      { errors: [{ field: 'body/confirmMemberId', message: 'is not this member' }] },
      'Give the id of the member to erase in confirmMemberId.',
    )
  }
}

/** How staff verified that an erasure request came from the member. */
export interface StaffErasureRequest {
  confirmMemberId: string
  verifiedBy: string
}

/**
 * Erases a member's personal data in every module, in one transaction: the rows that make figures
 * (activity, the ledger, scores) stay under the member's uuid, now an anonymous id. Erasing again
 * changes nothing. Audited without personal values; `member.erased` on the outbox tells consumers.
 */
export async function eraseMember(
  deps: Pick<Deps, 'db' | 'clock' | 'wiring'>,
  memberId: string,
  actor: Principal,
  request?: StaffErasureRequest,
): Promise<Erasure> {
  if (request && request.confirmMemberId !== memberId) throw new ErasureNotConfirmed()
  return deps.db.transaction(async (tx) => {
    const person = await personOf(tx, memberId)
    if (actor.kind !== 'member') await assertMemberInStoreScope(tx, actor, memberId, person.memberIds)
    await tx.execute(sql`select id from members where id = any(${sql.param(person.memberIds)}::uuid[]) order by id for update`)
    if (person.erasedAt)
      return { memberId: person.memberId, erasedAt: new Date(person.erasedAt).toISOString(), members: person.memberIds.length, alreadyErased: true }
    const at = deps.clock.now()
    for (const part of deps.wiring.memberDataParts) await part.erase(tx, person, { at })
    await recordAudit(tx, at, actor.kind === 'member' ? undefined : actor, {
      action: 'member.erased',
      targetKind: 'member',
      targetId: person.memberId,
      memberId: person.memberId,
      after: { members: person.memberIds.length, requestedBy: actor.kind, verifiedBy: request?.verifiedBy ?? 'password' },
    })
    await publish(tx, at, [{ topic: 'member.erased', memberId: person.memberId, payload: { memberId: person.memberId, memberIds: person.memberIds } }])
    return { memberId: person.memberId, erasedAt: at.toISOString(), members: person.memberIds.length, alreadyErased: false }
  })
}

/**
 * A member's own erasure: their password again and the code sent to an address they proved is
 * theirs (so the request is verified), then the erasure itself.
 */
export async function eraseMyself(
  deps: Parameters<typeof eraseMember>[0] & Parameters<typeof confirmPassword>[0] & Parameters<typeof checkErasureCode>[0],
  me: MemberPrincipal,
  proof: { password: string; code: string },
) {
  await confirmPassword(deps, me.userId, proof.password)
  await checkErasureCode(deps, me.memberId, proof.code)
  return eraseMember(deps, me.memberId, me)
}
