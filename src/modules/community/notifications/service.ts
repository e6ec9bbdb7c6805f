import { sql } from 'drizzle-orm'
import type { Clock } from '../../../platform/clock.js'
import { type Db, insertMany, queryRows } from '../../../platform/db/index.js'
import { deliver } from '../../../platform/delivery/index.js'
import type { Deps } from '../../../platform/deps.js'
import { NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { type ConsumedEvent, consumeOutbox, publish } from '../../../platform/outbox/index.js'
import { notificationEmailsOf } from '../../members/index.js'
import { deliveryFor } from './preferences.js'
import { memberNotifications, staffNotifications } from './schema.js'

/** Whom a notification is for: a member (their home page) or a staff login (the console). */
export type Recipient = { memberId: string } | { userId: string }

/** What the centre shows: replies, answers, mentions, status changes, moderation outcomes, and staff's reports and questions. */
export type NotificationKind = 'reply' | 'answer' | 'mention' | 'status' | 'moderation' | 'report' | 'question'

export interface Notification {
  recipients: Recipient[]
  kind: NotificationKind
  title: string
  body?: string | null
  /** A path in the web app ("/community/ideas/…"). */
  link?: string | null
  /** The sender's name for it: a recipient is notified once per key, however often it is sent. */
  key: string
}

/** The outbox topic notifications travel on, and the consumer's name in outbox_consumers. */
export const notificationTopic = 'community.notification'
export const notificationConsumer = 'community.notifications'

const localPath = /^\/(?!\/)[^\s\\]*$/

/**
 * Sends a notification in the caller's transaction: an outbox event, so it exists exactly when the
 * change it tells of does, and the centre applies it once per recipient and key.
 */
export async function notify({ db, clock }: { db: Db; clock: Clock }, notification: Notification) {
  if (notification.recipients.length === 0) return
  // A sender's mistake, not a member's: a link elsewhere would put another site in a trusted list.
  if (notification.link && !localPath.test(notification.link))
    throw new Error(`A notification links to a page of this app ("/…"), not to “${notification.link}”.`)
  await publish(db, clock.now(), [
    {
      topic: notificationTopic,
      memberId: null,
      payload: {
        recipients: notification.recipients,
        kind: notification.kind,
        title: notification.title,
        body: notification.body ?? null,
        link: notification.link ?? null,
        key: notification.key,
      },
    },
  ])
}

/** Writes the events' notifications into the centres, in the consumer's transaction (a replay adds nothing). */
export async function applyNotifications(db: Db, events: ConsumedEvent[]) {
  const members: (typeof memberNotifications.$inferInsert)[] = []
  const staff: (typeof staffNotifications.$inferInsert)[] = []
  for (const event of events) {
    const p = event.payload as unknown as Omit<Notification, 'recipients'> & { recipients: Recipient[] }
    const row = { id: newId(), key: p.key, kind: p.kind, title: p.title, body: p.body ?? null, link: p.link ?? null, createdAt: event.occurredAt }
    for (const r of p.recipients) {
      if ('memberId' in r) members.push({ ...row, id: newId(), memberId: r.memberId })
      else staff.push({ ...row, id: newId(), userId: r.userId })
    }
  }
  // The members' live ids: a notification for a member merged since goes to the survivor.
  if (members.length) {
    const live = await queryRows<{ id: string; live: string }>(
      db,
      sql`select m.id, coalesce(m.merged_into, m.id) as live from members m where m.id = any(${sql.param([...new Set(members.map((m) => m.memberId))])}::uuid[])`,
    )
    const liveOf = new Map(live.map((l) => [l.id, l.live]))
    for (const m of members) m.memberId = liveOf.get(m.memberId) ?? m.memberId
    // Each member's choices for the kind (preferences.ts): shown in the app, emailed, both, or neither (then no row at all).
    const delivered: typeof members = []
    for (const kind of new Set(members.map((m) => m.kind))) {
      const ofKind = members.filter((m) => m.kind === kind)
      const how = await deliveryFor(db, kind, [...new Set(ofKind.map((m) => m.memberId))])
      for (const m of ofKind) {
        const choice = how.get(m.memberId)
        if (choice && !choice.inApp && !choice.email) continue
        delivered.push({ ...m, inApp: choice?.inApp ?? true, emailStatus: choice?.email ? 'due' : null })
      }
    }
    await insertMany(db, memberNotifications, delivered, sql`on conflict do nothing`)
  }
  if (staff.length) await insertMany(db, staffNotifications, staff, sql`on conflict do nothing`)
}

/**
 * Brings every centre up to date with the outbox: the notifications job runs it each minute, and
 * reading a centre runs it first without queueing (when another node is at it, read what is there).
 */
export async function deliverNotifications(deps: Pick<Deps, 'db' | 'clock'>, { wait = true } = {}): Promise<number> {
  let total = 0
  for (;;) {
    const applied = await consumeOutbox(
      deps.db,
      { consumer: notificationConsumer, topics: [notificationTopic], at: deps.clock.now(), wait },
      applyNotifications,
    )
    total += applied
    if (applied < 500 || !wait) return total
  }
}

/** Whose centre, and which of its rows show: a member's kinds sent by email only stay out of it. */
const owner = (recipient: Recipient) =>
  'memberId' in recipient
    ? { table: sql.raw('member_notifications'), column: sql.raw('member_id'), id: recipient.memberId, shown: sql`and in_app` }
    : { table: sql.raw('staff_notifications'), column: sql.raw('user_id'), id: recipient.userId, shown: sql`` }

export interface NotificationItem {
  id: string
  kind: string
  title: string
  body: string | null
  link: string | null
  createdAt: string
  readAt: string | null
}

/** The recipient's notifications, newest first, and how many are unread. Nobody else's are ever read here. */
export async function notificationsOf(
  deps: Pick<Deps, 'db' | 'clock'>,
  recipient: Recipient,
  { limit = 30, before, unreadOnly = false }: { limit?: number; before?: { at: string; id: string }; unreadOnly?: boolean } = {},
) {
  await deliverNotifications(deps, { wait: false })
  const { table, column, id, shown } = owner(recipient)
  const rows = await queryRows<{ id: string; kind: string; title: string; body: string | null; link: string | null; created_at: Date; read_at: Date | null }>(
    deps.db,
    sql`select id, kind, title, body, link, created_at, read_at from ${table}
         where ${column} = ${id} ${shown} ${unreadOnly ? sql`and read_at is null` : sql``}
           ${before ? sql`and (created_at, id) < (${before.at}::timestamptz, ${before.id}::uuid)` : sql``}
         order by created_at desc, id desc limit ${limit + 1}`,
  )
  const items: NotificationItem[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  }))
  const last = items[items.length - 1]
  return { items, unread: await unreadCount(deps.db, recipient), next: rows.length > limit && last ? { at: last.createdAt, id: last.id } : undefined }
}

export async function unreadCount(db: Db, recipient: Recipient): Promise<number> {
  const { table, column, id, shown } = owner(recipient)
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${table} where ${column} = ${id} ${shown} and read_at is null`)
  return n
}

/** The unread count for the bell, after delivering what is waiting. */
export async function unreadNotifications(deps: Pick<Deps, 'db' | 'clock'>, recipient: Recipient) {
  await deliverNotifications(deps, { wait: false })
  return { unread: await unreadCount(deps.db, recipient) }
}

/** Marks one of the recipient's notifications read; someone else's is not found. */
export async function markRead({ db, clock }: Pick<Deps, 'db' | 'clock'>, recipient: Recipient, notificationId: string) {
  const { table, column, id, shown } = owner(recipient)
  const [row] = await queryRows(
    db,
    sql`update ${table} set read_at = coalesce(read_at, ${clock.now()}) where ${column} = ${id} ${shown} and id = ${notificationId} returning id`,
  )
  if (!row) throw new NotFound('Notification', notificationId)
  return { unread: await unreadCount(db, recipient) }
}

/** Marks everything the recipient has read. */
export async function markAllRead({ db, clock }: Pick<Deps, 'db' | 'clock'>, recipient: Recipient) {
  const { table, column, id } = owner(recipient)
  await db.execute(sql`update ${table} set read_at = ${clock.now()} where ${column} = ${id} and read_at is null`)
  return { unread: 0 }
}

/**
 * Emails the notifications members chose to have by email (`email_status = 'due'`), a batch at a
 * time: rows locked (skip locked), so two nodes never send one twice; consent and the verified address
 * are read again at sending, and a notification whose member withdrew either is `skipped`. A failing
 * provider leaves the rest due for the next run.
 */
export async function sendNotificationEmails(deps: Pick<Deps, 'db' | 'delivery' | 'config'>, batch = 50): Promise<{ sent: number; skipped: number }> {
  let sent = 0
  let skipped = 0
  await deps.db.transaction(async (tx) => {
    const due = await queryRows<{ member_id: string; id: string; title: string; body: string | null; link: string | null }>(
      tx,
      sql`select member_id, id, title, body, link from member_notifications where email_status = 'due' order by created_at limit ${batch} for update skip locked`,
    )
    const addresses = await notificationEmailsOf(tx, [...new Set(due.map((d) => d.member_id))])
    for (const n of due) {
      const to = addresses.get(n.member_id)
      if (to) {
        try {
          await deliver(deps.delivery, {
            channel: 'email',
            to,
            subject: n.title,
            text: [n.body, n.link ? `${deps.config.publicUrl}${n.link}` : null, 'Choose what you hear about in Notifications → Settings.']
              .filter(Boolean)
              .join('\n\n'),
          })
        } catch {
          break // the provider is failing: this one and the rest stay due
        }
      }
      await tx.execute(sql`update member_notifications set email_status = ${to ? 'sent' : 'skipped'} where member_id = ${n.member_id} and id = ${n.id}`)
      if (to) sent++
      else skipped++
    }
  })
  return { sent, skipped }
}
