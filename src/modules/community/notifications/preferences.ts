import { sql } from 'drizzle-orm'
import { type Db, insertMany, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError } from '../../../platform/http/problems.js'
import { notificationEmailConsent, notificationEmailsOf, setNotificationEmailConsent, verifiedEmailOf } from '../../members/index.js'
import { notificationPreferences } from './schema.js'

/**
 * What a member chooses to hear about: per kind of notification, in the app and by email. In the
 * app is on until they turn it off; email is off until they turn it on, and then goes only with the
 * consent ledger's `notifications` / `email` consent and a verified email address (members module):
 * the consent lives in the one ledger, the choice of kinds here.
 */
export const memberNotificationKinds = ['status', 'answer', 'reply', 'moderation'] as const
export type MemberNotificationKind = (typeof memberNotificationKinds)[number]

/** How the settings name each kind, in the member's words. */
export const kindNames: Record<MemberNotificationKind, { label: string; description: string }> = {
  status: { label: 'Ideas I follow or voted for', description: 'When the shop reviews, plans, stocks or declines them' },
  answer: { label: 'Answers to my questions', description: 'From members who bought it and from our staff' },
  reply: { label: 'Replies to my reviews', description: 'When the shop or the brand answers what you wrote' },
  moderation: { label: 'Moderators’ decisions', description: 'When a post of yours is held, hidden or shown again' },
}

export interface KindChoice {
  inApp: boolean
  email: boolean
}
const defaults: KindChoice = { inApp: true, email: false }

/** Each member's choices for these kinds (defaults where they chose nothing), keyed member then kind. */
export async function choicesOf(db: Db, memberIds: string[]): Promise<Map<string, Map<string, KindChoice>>> {
  const found = new Map<string, Map<string, KindChoice>>()
  if (memberIds.length === 0) return found
  const rows = await queryRows<{ member_id: string; kind: string; in_app: boolean; email: boolean }>(
    db,
    sql`select member_id, kind, in_app, email from notification_preferences where member_id = any(${sql.param(memberIds)}::uuid[])`,
  )
  for (const r of rows) {
    const mine = found.get(r.member_id) ?? new Map<string, KindChoice>()
    mine.set(r.kind, { inApp: r.in_app, email: r.email })
    found.set(r.member_id, mine)
  }
  return found
}

/**
 * How a notification of `kind` reaches each member: shown in the app or not, emailed or not (the
 * kind's email choice, the ledger's consent and a verified address all needed). Kinds members do not
 * choose about (staff's) are shown, never emailed.
 */
export async function deliveryFor(db: Db, kind: string, memberIds: string[]): Promise<Map<string, KindChoice>> {
  const chosen = (memberNotificationKinds as readonly string[]).includes(kind)
  const choices = chosen ? await choicesOf(db, memberIds) : new Map()
  const wantEmail = memberIds.filter((id) => (choices.get(id)?.get(kind) ?? defaults).email)
  const emails = await notificationEmailsOf(db, wantEmail)
  return new Map(
    memberIds.map((id) => {
      const choice: KindChoice = chosen ? (choices.get(id)?.get(kind) ?? defaults) : defaults
      return [id, { inApp: choice.inApp, email: choice.email && emails.has(id) }]
    }),
  )
}

/** The member's settings page: every kind with its choices, and whether email can reach them. */
export async function notificationSettings(db: Db, memberId: string) {
  const [choices, consent, verifiedEmail] = await Promise.all([
    choicesOf(db, [memberId]),
    notificationEmailConsent(db, memberId),
    verifiedEmailOf(db, memberId),
  ])
  const mine = choices.get(memberId)
  return {
    kinds: memberNotificationKinds.map((kind) => ({ kind, ...kindNames[kind], ...(mine?.get(kind) ?? defaults) })),
    email: { consent: consent.granted, changedAt: consent.changedAt?.toISOString() ?? null, wording: consent.wording, verifiedEmail },
  }
}

export class NoVerifiedEmail extends DomainError {
  constructor() {
    super(
      '/problems/no-verified-email',
      409,
      'There is no verified email address to write to',
      { field: 'email' },
      'Add your email address under Your details and confirm it with the code we send, then choose email here.',
    )
  }
}

/**
 * Saves the member's choices: any kinds given (the others stay as they were) and, when given,
 * their email consent as a ledger event. Letting email in needs a verified address first.
 */
export async function saveNotificationSettings(
  deps: Pick<Deps, 'db' | 'clock'>,
  memberId: string,
  change: { kinds?: Partial<Record<MemberNotificationKind, Partial<KindChoice>>>; email?: boolean },
) {
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    if (change.email === true && !(await verifiedEmailOf(tx, memberId))) throw new NoVerifiedEmail()
    if (change.email !== undefined) await setNotificationEmailConsent(tx, memberId, change.email, now)
    const given = Object.entries(change.kinds ?? {}) as [MemberNotificationKind, Partial<KindChoice>][]
    if (given.length === 0) return
    const current = (await choicesOf(tx, [memberId])).get(memberId)
    await insertMany(
      tx,
      notificationPreferences,
      given.map(([kind, choice]) => ({ memberId, kind, ...(current?.get(kind) ?? defaults), ...choice, changedAt: now })),
      sql`on conflict (member_id, kind) do update set in_app = excluded.in_app, email = excluded.email, changed_at = excluded.changed_at`,
    )
  })
  return notificationSettings(deps.db, memberId)
}
