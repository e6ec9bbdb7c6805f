import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows, rehomeRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { Forbidden, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { currencySymbol, minorDigits } from '../../platform/money.js'
import { staffNames } from '../accounts/index.js'
import { atRisk } from '../insights/index.js'
import { resolveMemberId } from '../members/index.js'
import { type ContactOutcome, conversations, followUps, memberNotes } from './schema.js'

type Staff = Extract<Principal, { kind: 'staff' }>
type ClientDeps = Pick<Deps, 'db' | 'clock' | 'config'>

/** Staff write about the live member: a merged-away id writes on its survivor. */
async function existingMember(db: Db, memberId: string) {
  const live = await resolveMemberId(db, memberId)
  if (!live) throw new NotFound('Member', memberId)
  return live
}

const staffEmail = async (db: Db, userId: string) =>
  (await queryRows<{ email: string }>(db, sql`select lower(email) as email from users where id = ${userId}`))[0]?.email ?? userId

export async function addNote(deps: ClientDeps, memberId: string, input: { body: string; tags?: string[]; shareable?: boolean }, actor: Staff) {
  const member = await existingMember(deps.db, memberId)
  return deps.db.transaction(async (tx) => {
    const [note] = await tx
      .insert(memberNotes)
      .values({
        memberId: member,
        id: newId(),
        authorId: actor.userId,
        authorName: actor.displayName,
        storeId: actor.storeIds[0] ?? null,
        body: input.body.trim(),
        tags: [...new Set((input.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))],
        shareable: input.shareable ?? false,
        createdAt: deps.clock.now(),
      })
      .returning()
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.note_added',
      targetKind: 'member_note',
      targetId: note.id,
      memberId: member,
      after: { body: note.body, tags: note.tags, shareable: note.shareable },
    })
    return note
  })
}

/** Newest first; the member themself only ever gets the shareable ones. */
export async function notesOf(db: Db, memberId: string, { shareableOnly }: { shareableOnly: boolean }) {
  return db
    .select()
    .from(memberNotes)
    .where(and(eq(memberNotes.memberId, memberId), shareableOnly ? eq(memberNotes.shareable, true) : undefined))
    .orderBy(desc(memberNotes.createdAt), desc(memberNotes.id))
    .limit(100)
}

export async function addFollowUp(deps: ClientDeps, memberId: string, input: { title: string; dueOn: string; assigneeId?: string }, actor: Staff) {
  const member = await existingMember(deps.db, memberId)
  if (input.assigneeId && input.assigneeId !== actor.userId && actor.role === 'associate') {
    throw new Forbidden('Associates set follow-ups for themselves; a manager can assign them to others.')
  }
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(followUps)
      .values({
        memberId: member,
        id: newId(),
        assigneeId: input.assigneeId ?? actor.userId,
        createdBy: actor.userId,
        title: input.title.trim(),
        dueOn: input.dueOn,
        createdAt: deps.clock.now(),
      })
      .returning()
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.follow_up_added',
      targetKind: 'follow_up',
      targetId: row.id,
      memberId: member,
      after: { title: row.title, dueOn: row.dueOn, assigneeId: row.assigneeId },
    })
    return row
  })
}

export async function followUpsOf(db: Db, memberId: string) {
  return db.select().from(followUps).where(eq(followUps.memberId, memberId)).orderBy(followUps.dueOn).limit(100)
}

/** Marks a follow-up done with what came of it: the one it is assigned to, or a manager. */
export async function completeFollowUp(deps: ClientDeps, memberId: string, id: string, outcome: string, actor: Staff) {
  const [row] = await deps.db
    .select()
    .from(followUps)
    .where(and(eq(followUps.memberId, memberId), eq(followUps.id, id)))
  if (!row) throw new NotFound('Follow-up', id)
  if (row.assigneeId !== actor.userId && actor.role === 'associate') throw new Forbidden('This follow-up is assigned to someone else.')
  if (row.doneAt) return row // done already: a repeat changes nothing, so nothing to audit
  return deps.db.transaction(async (tx) => {
    // Only a follow-up still open is marked: of two racing completions, one writes (and is audited).
    const [done] = await tx
      .update(followUps)
      .set({ doneAt: deps.clock.now(), outcome: outcome.trim() })
      .where(and(eq(followUps.memberId, memberId), eq(followUps.id, id), isNull(followUps.doneAt)))
      .returning()
    if (!done)
      return (
        await tx
          .select()
          .from(followUps)
          .where(and(eq(followUps.memberId, memberId), eq(followUps.id, id)))
      )[0]
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.follow_up_done',
      targetKind: 'follow_up',
      targetId: id,
      memberId,
      after: { outcome: done.outcome },
    })
    return done
  })
}

export async function logConversation(
  deps: ClientDeps,
  memberId: string,
  input: { reason: string; summary: string; outcome: ContactOutcome; at?: string },
  actor: Staff,
) {
  const member = await existingMember(deps.db, memberId)
  const associateEmail = await staffEmail(deps.db, actor.userId)
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(conversations)
      .values({
        memberId: member,
        id: newId(),
        associateId: actor.userId,
        associateEmail,
        storeId: actor.storeIds[0] ?? null,
        at: input.at ? new Date(input.at) : deps.clock.now(),
        reason: input.reason,
        summary: input.summary.trim(),
        outcome: input.outcome,
      })
      .returning()
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.conversation_logged',
      targetKind: 'conversation',
      targetId: row.id,
      memberId: member,
      after: { reason: row.reason, summary: row.summary, outcome: row.outcome, at: row.at },
    })
    const { associateEmail: _, ...logged } = row
    return { ...logged, associateName: actor.displayName }
  })
}

/** Conversations with a member, newest first, each with the associate's name (their email stays with the scorecards). */
export async function conversationsOf(db: Db, memberId: string) {
  const rows = await db
    .select()
    .from(conversations)
    .where(eq(conversations.memberId, memberId))
    .orderBy(desc(conversations.at), desc(conversations.id))
    .limit(100)
  const nameOf = await staffNames(
    db,
    rows.map((r) => r.associateId),
  )
  return rows.map(({ associateEmail: _, ...row }) => ({ ...row, associateName: nameOf(row.associateId) }))
}

export interface OutreachItem {
  memberId: string
  name: string
  reason: 'follow_up' | 'birthday' | 'back_in_stock' | 'new_arrival' | 'drifting' | 'long_absence'
  why: string
  /** Assigned to this associate (a follow-up they or a manager set), rather than suggested for their stores. */
  assigned: boolean
  followUpId?: string
}

const day = 86_400_000

/**
 * An associate's list for the day: their follow-ups due, then members of their stores with a
 * birthday this week, members whose wishlist item came back in stock in the last 7 days (a wish is
 * explicit, so no profiling consent is needed; not if they bought it since), members (with
 * profiling consent) who bought twice or more this year in a category with something new and in
 * stock from the last 14 days (a third of the list at most, keenest first), valuable members
 * drifting away (top quarter of lifetime value, probability alive under 0.5, as the insights
 * dashboard counts them) and regulars not seen for two months. Members someone talked to in the
 * last two weeks wait.
 */
export async function outreachList(deps: ClientDeps, actor: Staff, limit = 25): Promise<OutreachItem[]> {
  const today = new Date(Math.floor(deps.clock.now().getTime() / day) * day)
  const week = Array.from({ length: 7 }, (_, i) => new Date(today.getTime() + i * day).toISOString().slice(5, 10))
  const stores = actor.storeIds.length ? sql`and m.home_store_id = any(${sql.param(actor.storeIds)}::uuid[])` : sql``
  const quiet = sql`not exists (select 1 from conversations c where c.member_id = m.id and c.at >= ${new Date(today.getTime() - 14 * day)})`
  const name = sql`coalesce(nullif(concat_ws(' ', m.given_name, m.family_name), ''), 'Unnamed member')`
  const rows = await queryRows<{ member_id: string; name: string; reason: OutreachItem['reason']; why: string; follow_up_id: string | null }>(
    deps.db,
    sql`select * from ((select f.member_id, ${name} as name, 'follow_up' as reason,
                f.title || case when f.due_on < ${today.toISOString().slice(0, 10)}::date then ' (overdue since ' || to_char(f.due_on, 'DD Mon') || ')' else '' end as why,
                f.id::text as follow_up_id, 0 as rank, f.due_on::text as sort
           from follow_ups f join members m on m.id = f.member_id
          where f.assignee_id = ${actor.userId} and f.done_at is null and f.due_on <= ${today.toISOString().slice(0, 10)}::date)
        union all
        (select m.id, ${name}, 'birthday', 'Birthday on ' || to_char(m.birth_date, 'DD Mon'), null, 1, to_char(m.birth_date, 'MM-DD')
           from members m
          where m.merged_into is null and m.birth_date is not null and to_char(m.birth_date, 'MM-DD') = any(${sql.param(week)}::text[]) ${stores} and ${quiet})
        union all
        (select distinct on (m.id) m.id, ${name}, 'back_in_stock', 'Back in stock: ' || p.name || ', on their wishlist since ' || to_char(w.occurred_at, 'DD Mon YYYY'),
                null, 2, to_char(p.back_in_stock_at, 'YYYY-MM-DD')
           from products p
           join activities w on w.kind = 'wishlist_add' and w.details ->> 'sku' = p.sku and w.occurred_at >= ${new Date(today.getTime() - 365 * day)}
           join members m on m.id = w.member_id
          where p.in_stock and p.back_in_stock_at >= ${new Date(today.getTime() - 7 * day)} and m.merged_into is null ${stores} and ${quiet}
            and not exists (select 1 from activity_lines own where own.member_id = m.id and own.sku = p.sku and own.quantity > 0)
          order by m.id, w.occurred_at desc
          limit ${limit})
        union all
        (select member_id, name, 'new_arrival', why, null, 3, lpad((100000 - bought)::text, 6, '0')
           from (select distinct on (m.id) m.id as member_id, ${name} as name, count(*) as bought,
                        'New in ' || array_to_string(n.category, ' > ') || ': ' || n.name || ' (they bought ' || count(*) || ' things there this year)' as why
                   from products n
                   join products bought on bought.category = n.category and bought.sku <> n.sku
                   join activity_lines l on l.sku = bought.sku
                   join activities a on a.member_id = l.member_id and a.id = l.activity_id and a.kind = 'purchase'
                        and a.occurred_at >= ${new Date(today.getTime() - 365 * day)}
                   join members m on m.id = a.member_id
                   join member_consents c on c.member_id = m.id and c.purpose = 'profiling' and c.granted = 'yes'
                  where n.added_at >= ${new Date(today.getTime() - 14 * day)} and n.in_stock and cardinality(n.category) > 0 and m.merged_into is null ${stores} and ${quiet}
                    and not exists (select 1 from activity_lines own where own.member_id = m.id and own.sku = n.sku)
                  group by m.id, n.sku, n.name, n.category, n.added_at
                 having count(*) >= 2
                  order by m.id, count(*) desc, n.added_at desc) fans
          order by bought desc
          limit ${Math.ceil(limit / 3)})
        union all
        (select m.id, ${name}, 'drifting',
                'Worth ' || ${currencySymbol(deps.config.currency)} || to_char(round(mi.clv_minor / ${10 ** minorDigits(deps.config.currency)}::numeric), 'FM999,999,990') || ' a year to us, but only ' || round(mi.p_alive * 100) || '% likely still shopping',
                null, 4, lpad((1000000000 - mi.clv_minor)::text, 12, '0')
           from member_insights mi join members m on m.id = mi.member_id
          where ${atRisk('mi')} and mi.repeat_purchases > 0 and ${quiet} ${stores}
          order by mi.clv_minor desc limit ${limit})
        union all
        (select m.id, ${name}, 'long_absence', 'Not seen since ' || to_char(mi.last_purchase_at, 'DD Mon YYYY') || ' after ' || mi.orders || ' orders this year',
                null, 5, to_char(mi.last_purchase_at, 'YYYY-MM-DD')
           from member_insights mi join members m on m.id = mi.member_id
          where mi.orders >= 3 and mi.last_purchase_at < ${new Date(today.getTime() - 60 * day)} and (mi.p_alive is null or mi.p_alive >= 0.5) ${stores} and ${quiet}
          order by mi.last_purchase_at limit ${limit})
        ) o
        -- Entries the associate marked done or snoozed wait until the day they chose.
        where not exists (select 1 from outreach_marks k where k.member_id = o.member_id and k.associate_id = ${actor.userId}
                            and k.reason = o.reason and k.until > ${today.toISOString().slice(0, 10)}::date)
        order by rank, sort
        limit ${limit}`,
  )
  const seen = new Set<string>()
  return rows.flatMap((r) => {
    // A member is on the list once, for the most pressing reason.
    if (seen.has(r.member_id)) return []
    seen.add(r.member_id)
    return [
      {
        memberId: r.member_id,
        name: r.name,
        reason: r.reason,
        why: r.why,
        assigned: r.reason === 'follow_up',
        ...(r.follow_up_id ? { followUpId: r.follow_up_id } : {}),
      },
    ]
  })
}

/** Notes, follow-ups, conversations and stated tastes move with a merge, and back with an unmerge. */
export async function moveClienteling(db: Db, fromId: string, toId: string, only?: Record<string, string[]>) {
  const moved: Record<string, string[]> = {}
  for (const table of ['member_notes', 'follow_ups', 'conversations', 'taste_preferences', 'suggestion_feedback']) {
    const ids = only?.[table]
    if (only && !ids?.length) continue
    const rows = await rehomeRows<{ id: string }>(db, table, fromId, toId, {
      only: ids ? sql`id = any(${sql.param(ids)}::uuid[])` : undefined,
      returning: 'id',
    })
    moved[table] = rows.map((r) => r.id)
  }
  return moved
}
