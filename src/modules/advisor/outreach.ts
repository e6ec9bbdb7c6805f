import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { deliver } from '../../platform/delivery/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import { assertMemberInStoreScope } from '../activity/index.js'
import { marketingChannelsOf, memberProfile } from '../members/index.js'
import type { OutreachItem } from './clienteling.js'
import { logConversation } from './clienteling.js'
import { outreachMarks } from './schema.js'

type Staff = Extract<Principal, { kind: 'staff' }>
type OutreachDeps = Pick<Deps, 'db' | 'clock' | 'config'>
const day = 86_400_000
const isoDay = (d: Date) => d.toISOString().slice(0, 10)

export class NoConsentedChannel extends DomainError {
  constructor(channel: string) {
    super(
      '/problems/no-consented-channel',
      409,
      'The member has not allowed messages this way',
      { field: 'body/channel' },
      `The member has not allowed offers and news by ${channel === 'sms' ? 'text message' : 'email'}, or has no verified ${channel === 'sms' ? 'phone' : 'email'}.`,
    )
  }
}

export class SnoozeNotAhead extends DomainError {
  constructor() {
    super(
      '/problems/invalid-request',
      400,
      'The request is not valid',
      { errors: [{ field: 'body/until', message: 'Snooze to a day from tomorrow, at most 90 days ahead' }] },
      'Snooze to a day from tomorrow, at most 90 days ahead.',
    )
  }
}

/**
 * Puts an outreach entry aside for the associate: done leaves it off their list for 30 days, a
 * snooze until the day chosen (tomorrow to 90 days ahead). Only for members of the associate's stores.
 */
export async function markOutreach(
  deps: OutreachDeps,
  actor: Staff,
  memberId: string,
  mark: { reason: OutreachItem['reason']; state: 'done' | 'snoozed'; until?: string },
) {
  await assertMemberInStoreScope(deps.db, actor, memberId)
  const now = deps.clock.now()
  const tomorrow = isoDay(new Date(now.getTime() + day))
  const until = mark.state === 'done' ? isoDay(new Date(now.getTime() + 30 * day)) : (mark.until ?? tomorrow)
  if (until < tomorrow || until > isoDay(new Date(now.getTime() + 90 * day))) throw new SnoozeNotAhead()
  return deps.db.transaction(async (tx) => {
    const row = { memberId, associateId: actor.userId, reason: mark.reason, state: mark.state, until, markedAt: now }
    await tx
      .insert(outreachMarks)
      .values(row)
      .onConflictDoUpdate({
        target: [outreachMarks.memberId, outreachMarks.associateId, outreachMarks.reason],
        set: { state: row.state, until, markedAt: now },
      })
    await recordAudit(tx, now, actor, {
      action: `outreach.${mark.state}`,
      targetKind: 'member',
      targetId: memberId,
      memberId,
      after: { reason: mark.reason, until },
    })
    return { memberId, reason: mark.reason, state: mark.state, until }
  })
}

/** How the associate may write to the member: the channels they allow offers by and have proved, and a message for the reason. */
export async function contactOptions(deps: OutreachDeps, actor: Staff, memberId: string, reason: string) {
  await assertMemberInStoreScope(deps.db, actor, memberId)
  const channels = await consentedChannels(deps, memberId)
  const { member } = await memberProfile(deps.db, memberId)
  const first = member.givenName ?? 'there'
  const from = actor.displayName.split(' ')[0]
  return { channels, template: templateFor(reason, first, from) }
}

async function consentedChannels(deps: OutreachDeps, memberId: string) {
  const [{ identifiers }, allowed] = await Promise.all([memberProfile(deps.db, memberId), marketingChannelsOf(deps.db, memberId)])
  const granted = new Set(allowed.filter((c) => c.granted).map((c) => c.channel))
  return [
    ...identifiers.filter((i) => i.verified && i.kind === 'email' && granted.has('email')).map((i) => ({ channel: 'email' as const, to: i.value })),
    ...identifiers.filter((i) => i.verified && i.kind === 'phone' && granted.has('sms')).map((i) => ({ channel: 'sms' as const, to: i.value })),
  ]
}

const templates: Record<string, (first: string, from: string) => { subject: string; text: string }> = {
  birthday: (first, from) => ({
    subject: `Happy birthday, ${first}!`,
    text: `Happy birthday, ${first}! Come by this week and the coffee is on us.\n\n${from}`,
  }),
  back_in_stock: (first, from) => ({
    subject: 'It is back in stock',
    text: `Hello ${first}, the one on your wishlist is back in stock. Shall I put one aside for you?\n\n${from}`,
  }),
  new_arrival: (first, from) => ({
    subject: 'Something new you may like',
    text: `Hello ${first}, something new just came in that made me think of you. Come and have a look?\n\n${from}`,
  }),
  drifting: (first, from) => ({
    subject: 'We miss you',
    text: `Hello ${first}, it has been a while. We have new things in; I would love to show you round.\n\n${from}`,
  }),
  long_absence: (first, from) => ({
    subject: 'We miss you',
    text: `Hello ${first}, it has been a while. We have new things in; I would love to show you round.\n\n${from}`,
  }),
  follow_up: (first, from) => ({ subject: 'Following up', text: `Hello ${first}, as promised, I am following up. Let me know when suits you.\n\n${from}` }),
}
const templateFor = (reason: string, first: string, from: string) => (templates[reason] ?? templates.follow_up)(first, from)

/**
 * Writes to the member by a channel they allow offers by, through the delivery interface, and logs
 * it as a conversation ("messaged"), which also takes them off the outreach list for two weeks.
 */
export async function messageMember(
  deps: OutreachDeps & Pick<Deps, 'delivery'>,
  actor: Staff,
  memberId: string,
  message: { channel: 'email' | 'sms'; subject: string; text: string; reason: string },
) {
  await assertMemberInStoreScope(deps.db, actor, memberId)
  const to = (await consentedChannels(deps, memberId)).find((c) => c.channel === message.channel)?.to
  if (!to) throw new NoConsentedChannel(message.channel)
  await deliver(deps.delivery, { channel: message.channel, to, subject: message.subject, text: message.text })
  return logConversation(
    deps,
    memberId,
    { reason: message.reason, summary: `${message.channel === 'sms' ? 'Text' : 'Email'}: ${message.subject}`, outcome: 'messaged' },
    actor,
  )
}
