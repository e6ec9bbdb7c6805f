import { sql } from 'drizzle-orm'
import { recordAudit } from '../../../platform/audit/index.js'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import { storeScopeOf } from '../../../platform/auth/principal.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { Conflict, DomainError, Forbidden, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { notify } from '../notifications/service.js'
import { alertModerators } from './moderators.js'
import { type ContentKind, kindWords, type ReportReason } from './schema.js'

type ModerationDeps = Pick<Deps, 'db' | 'clock' | 'wiring'>

const reasonWords: Record<ReportReason, string> = {
  spam: 'spam',
  offensive: 'offensive or abusive',
  off_topic: 'off topic',
  personal_information: 'shares personal information',
  misleading: 'misleading',
  other: 'something else',
}

/** The stores a staff login moderates; undefined: every store and the retailer-wide community. */
export function moderatedStores(staff: StaffPrincipal): string[] | undefined {
  const scope = storeScopeOf(staff)
  return scope && 'storeIds' in scope ? scope.storeIds : undefined
}

const inScope = (stores: string[] | undefined) => (stores ? sql`i.store_id = any(${sql.param(stores)}::uuid[])` : sql`true`)

interface ItemRow {
  kind: ContentKind
  content_id: string
  member_id: string
  store_id: string | null
  status: 'published' | 'held' | 'hidden'
}

/** The item, if the staff member moderates its scope; out of scope reads as not found. */
async function itemFor(db: Db, staff: StaffPrincipal, kind: ContentKind, contentId: string, lock = false) {
  const [item] = await queryRows<ItemRow>(
    db,
    sql`select kind, content_id, member_id, store_id, status from moderation_items i
         where kind = ${kind} and content_id = ${contentId} and ${inScope(moderatedStores(staff))} ${lock ? sql`for update` : sql``}`,
  )
  if (!item) throw new NotFound('Community post', `${kind}/${contentId}`)
  return item
}

/**
 * A member reports a post, once: reporting it again answers the first report. Only posts others
 * can see can be reported (a held or hidden one is already with the moderators).
 */
export async function reportContent(
  { db, clock }: ModerationDeps,
  memberId: string,
  report: { kind: ContentKind; contentId: string; reason: ReportReason; note?: string | null },
) {
  return db.transaction(async (tx) => {
    const [item] = await queryRows<ItemRow>(
      tx,
      sql`select kind, content_id, member_id, store_id, status from moderation_items where kind = ${report.kind} and content_id = ${report.contentId} and status = 'published'`,
    )
    if (!item) throw new NotFound('Community post', `${report.kind}/${report.contentId}`)
    const [created] = await queryRows<{ id: string; reported_at: Date }>(
      tx,
      sql`insert into moderation_reports (id, kind, content_id, member_id, reason, note, reported_at)
          values (${newId()}, ${report.kind}, ${report.contentId}, ${memberId}, ${report.reason}, ${report.note ?? null}, ${clock.now()})
          on conflict (kind, content_id, member_id) do nothing returning id, reported_at`,
    )
    if (created)
      await alertModerators(
        { db: tx, clock },
        {
          kind: report.kind,
          contentId: report.contentId,
          storeId: item.store_id,
          title: `A ${kindWords[report.kind]} was reported`,
          body: `Reported as ${reasonWords[report.reason]}${report.note ? `: “${report.note}”` : ''}`,
        },
      )
    const [row] = created
      ? [created]
      : await queryRows<{ id: string; reported_at: Date }>(
          tx,
          sql`select id, reported_at from moderation_reports where kind = ${report.kind} and content_id = ${report.contentId} and member_id = ${memberId}`,
        )
    return { reportId: row.id, reportedAt: new Date(row.reported_at).toISOString(), created: Boolean(created) }
  })
}

export class NoModerationTarget extends DomainError {
  constructor(kind: string) {
    super(
      '/problems/moderation-unavailable',
      409,
      'This kind of post cannot be moderated here yet',
      { kind },
      `Nothing is registered to hide or restore ${kind} posts; the part that owns them has to register a moderation target.`,
    )
  }
}

export type Decision = 'hide' | 'restore' | 'dismiss'

const decisionOutcome = { hide: 'hidden', restore: 'restored', dismiss: 'dismissed' } as const

/**
 * A moderator's decision on a post in their scope: hide it, restore (or approve a held one), or
 * dismiss its reports. The owner shows or hides it (and does its consequences) in the same
 * transaction; the reports are settled, the decision audited and the author told.
 */
export async function decide(
  deps: ModerationDeps,
  staff: StaffPrincipal,
  { kind, contentId, decision, reason, requestId }: { kind: ContentKind; contentId: string; decision: Decision; reason?: string | null; requestId?: string },
) {
  const at = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const item = await itemFor(tx, staff, kind, contentId, true)
    const status = decision === 'hide' ? 'hidden' : decision === 'restore' ? 'published' : item.status
    if (decision === 'dismiss' && item.status !== 'published')
      throw new Conflict('Only reports on a published post can be dismissed; restore or hide it instead.')
    if (decision !== 'dismiss') {
      const target = deps.wiring.moderationTargets.find((t) => t.kind === kind)
      if (!target) throw new NoModerationTarget(kind)
      if (status !== item.status) await target.setVisible(tx, contentId, status === 'published', staff.userId)
    }
    await tx.execute(
      sql`update moderation_items set status = ${status}, reasons = case when ${status} = 'held' then reasons else '{}'::text[] end,
            decided_at = ${at}, decided_by = ${staff.userId}, decision = ${decision}
          where kind = ${kind} and content_id = ${contentId}`,
    )
    const settled = await queryRows(
      tx,
      sql`update moderation_reports set settled_at = ${at}, outcome = ${decisionOutcome[decision]}
           where kind = ${kind} and content_id = ${contentId} and settled_at is null returning id`,
    )
    await recordAudit(
      tx,
      at,
      staff,
      {
        action: `moderation.${decision}`,
        targetKind: 'moderation_item',
        targetId: `${kind}:${contentId}`,
        before: { status: item.status },
        after: { status, reason: reason ?? null, reportsSettled: settled.length },
        memberId: item.member_id,
      },
      requestId,
    )
    const words = kindWords[kind]
    if (status !== item.status) {
      await notify(
        { db: tx, clock: deps.clock },
        {
          recipients: [{ memberId: item.member_id }],
          kind: 'moderation',
          title: status === 'hidden' ? `A moderator hid your ${words}` : item.status === 'held' ? `Your ${words} is published` : `Your ${words} is shown again`,
          body: status === 'hidden' ? (reason ? `The reason given: ${reason}` : 'It broke the community guidelines.') : (reason ?? null),
          key: `moderation:${kind}:${contentId}:${decision}:${at.toISOString()}`,
        },
      )
    }
    return { kind, contentId, status, reportsSettled: settled.length }
  })
}

export class BanOutOfScope extends Forbidden {}

/**
 * Stops a member posting, everywhere or about one store, for some days or for good. Staff held to
 * stores may ban only about their own stores; the ban is audited and the member told.
 */
export async function banMember(
  deps: ModerationDeps,
  staff: StaffPrincipal,
  ban: { memberId: string; storeId?: string | null; days?: number | null; reason: string; requestId?: string },
) {
  const stores = moderatedStores(staff)
  const storeId = ban.storeId ?? null
  if (stores && (storeId === null || !stores.includes(storeId)))
    throw new BanOutOfScope('You can stop a member posting about your own store only; choose your store, or ask an admin for a wider ban.')
  const at = deps.clock.now()
  const endsAt = ban.days ? new Date(at.getTime() + ban.days * 86_400_000) : null
  return deps.db.transaction(async (tx) => {
    const [member] = await queryRows<{ id: string }>(tx, sql`select id from members where id = ${ban.memberId} and merged_into is null`)
    if (!member) throw new NotFound('Member', ban.memberId)
    const [store] = storeId ? await queryRows<{ name: string }>(tx, sql`select name from stores where id = ${storeId}`) : [{ name: null }]
    if (!store) throw new NotFound('Store', storeId ?? undefined)
    const id = newId()
    await tx.execute(
      sql`insert into moderation_bans (member_id, id, store_id, reason, starts_at, ends_at, banned_by)
          values (${ban.memberId}, ${id}, ${storeId}, ${ban.reason}, ${at}, ${endsAt}, ${staff.userId})`,
    )
    await recordAudit(
      tx,
      at,
      staff,
      { action: 'moderation.ban', targetKind: 'moderation_ban', targetId: id, after: { storeId, endsAt, reason: ban.reason }, memberId: ban.memberId },
      ban.requestId,
    )
    const where = store.name ? `about ${store.name}` : 'in the community'
    const until = endsAt ? `until ${endsAt.toLocaleDateString('en-GB', { dateStyle: 'long', timeZone: 'UTC' })}` : 'until a moderator lifts it'
    await notify(
      { db: tx, clock: deps.clock },
      {
        recipients: [{ memberId: ban.memberId }],
        kind: 'moderation',
        title: `You cannot post ${where} ${until}`,
        body: `The reason given: ${ban.reason}`,
        key: `moderation:ban:${id}`,
      },
    )
    return {
      banId: id,
      memberId: ban.memberId,
      storeId,
      store: store.name,
      reason: ban.reason,
      startsAt: at.toISOString(),
      endsAt: endsAt?.toISOString() ?? null,
    }
  })
}

/** Lifts a ban the staff member could have made; audited, and the member told. */
export async function liftBan(
  deps: ModerationDeps,
  staff: StaffPrincipal,
  { memberId, banId, requestId }: { memberId: string; banId: string; requestId?: string },
) {
  const stores = moderatedStores(staff)
  const at = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const [ban] = await queryRows<{ id: string; store_id: string | null }>(
      tx,
      sql`update moderation_bans set lifted_at = ${at}, lifted_by = ${staff.userId}
           where member_id = ${memberId} and id = ${banId} and lifted_at is null
             ${stores ? sql`and store_id = any(${sql.param(stores)}::uuid[])` : sql``}
         returning id, store_id`,
    )
    if (!ban) throw new NotFound('Ban', banId)
    await recordAudit(tx, at, staff, { action: 'moderation.lift_ban', targetKind: 'moderation_ban', targetId: banId, memberId }, requestId)
    await notify(
      { db: tx, clock: deps.clock },
      {
        recipients: [{ memberId }],
        kind: 'moderation',
        title: 'You can post again',
        body: 'A moderator lifted the ban on your posts.',
        key: `moderation:lift:${banId}`,
      },
    )
  })
}

export { kindWords, reasonWords }
