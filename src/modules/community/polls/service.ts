import { and, asc, eq, gt, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { Conflict, DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { categoriesBoughtBy, listStores, recordParticipation, registerActivityKind } from '../../activity/index.js'
import { memberProfile } from '../../members/index.js'
import { pollAnswers, pollOptions, polls } from './schema.js'

export type PollKind = 'single' | 'multiple' | 'pairwise'
export type PollScope = 'retailer' | 'region' | 'store' | 'category'
export type Poll = typeof polls.$inferSelect
export type PollOption = typeof pollOptions.$inferSelect

/** The activity a member's answer records, once per poll (classic) or per pair (pairwise), for earning rules. */
export const pollAnsweredKind = 'poll_answered'

export class PollClosed extends DomainError {
  constructor(endsAt: Date) {
    super(
      '/problems/poll-closed',
      409,
      'This poll has closed',
      { endsAt: endsAt.toISOString() },
      `This poll closed on ${endsAt.toISOString().slice(0, 10)}; its results stand as they are.`,
    )
  }
}
export class UnknownPollOption extends DomainError {
  constructor(field: string, detail: string) {
    super('/problems/unknown-poll-option', 422, 'That is not an option of this poll', { field }, detail)
  }
}
export class InvalidPoll extends DomainError {
  constructor(field: string, detail: string) {
    super('/problems/invalid-poll', 422, 'This poll cannot be created as it is', { field }, detail)
  }
}

export interface NewPoll {
  kind: PollKind
  question: string
  description?: string
  scope: PollScope
  scopeValue?: string
  endsAt: string
  options: string[]
  suggestionsOpen?: boolean
}

/** Creates a poll with its options, all published (staff wrote them). */
export async function createPoll(deps: Pick<Deps, 'db' | 'clock'>, input: NewPoll, byUserId: string | null) {
  const now = deps.clock.now()
  const endsAt = new Date(input.endsAt)
  if (endsAt <= now) throw new InvalidPoll('/endsAt', 'Give an end date in the future.')
  const labels = input.options.map((o) => o.trim())
  const seen = new Set<string>()
  labels.forEach((label, i) => {
    if (!label) throw new InvalidPoll(`/options/${i}`, 'An option needs a few words.')
    if (seen.has(label.toLowerCase())) throw new InvalidPoll(`/options/${i}`, `"${label}" is in the list twice.`)
    seen.add(label.toLowerCase())
  })
  if (input.scope === 'retailer' ? input.scopeValue : !input.scopeValue?.trim())
    throw new InvalidPoll(
      '/scopeValue',
      input.scope === 'retailer' ? 'A poll for everyone names no region, store or category.' : `Say which ${input.scope} the poll is for.`,
    )
  if (input.scope === 'store' && !(await listStores(deps.db)).some((s) => s.id === input.scopeValue))
    throw new InvalidPoll('/scopeValue', 'There is no store with that id.')
  const id = newId()
  await deps.db.transaction(async (tx) => {
    await tx.insert(polls).values({
      id,
      kind: input.kind,
      question: input.question.trim(),
      description: input.description?.trim() || null,
      scope: input.scope,
      scopeValue: input.scope === 'retailer' ? null : (input.scopeValue?.trim() ?? null),
      endsAt,
      suggestionsOpen: input.kind === 'pairwise' && input.suggestionsOpen !== false,
      createdBy: byUserId,
      createdAt: now,
    })
    await tx
      .insert(pollOptions)
      .values(labels.map((label, position) => ({ id: newId(), pollId: id, label, status: 'published', position, createdAt: now, suggestedBy: null })))
  })
  return pollFor(deps.db, id, now)
}

/** A poll with its options (pending and declined ones too when `staff`). */
export async function pollFor(db: Db, pollId: string, now: Date, staff = true) {
  const [poll] = await db.select().from(polls).where(eq(polls.id, pollId))
  if (!poll) throw new NotFound('Poll', pollId)
  const options = await db
    .select()
    .from(pollOptions)
    .where(and(eq(pollOptions.pollId, pollId), staff ? undefined : eq(pollOptions.status, 'published')))
    .orderBy(asc(pollOptions.position))
  return {
    ...shape(poll, now),
    options: options.map((o) => ({ id: o.id, label: o.label, status: o.status as OptionStatus, suggested: o.suggestedBy !== null })),
  }
}
type OptionStatus = 'published' | 'pending' | 'declined'

const shape = (poll: Poll, now: Date) => ({
  id: poll.id,
  kind: poll.kind as PollKind,
  question: poll.question,
  description: poll.description,
  scope: poll.scope as PollScope,
  scopeValue: poll.scopeValue,
  endsAt: poll.endsAt.toISOString(),
  open: poll.endsAt > now,
  suggestionsOpen: poll.suggestionsOpen,
})

/** Every poll, newest first, with how many members answered: the staff's list. */
export async function listPolls(db: Db, now: Date) {
  const rows = await db.select().from(polls).orderBy(sql`${polls.createdAt} desc`).limit(200)
  const voices = await voicesPerPoll(
    db,
    rows.map((p) => p.id),
  )
  return rows.map((poll) => ({ ...shape(poll, now), voices: voices.get(poll.id) ?? 0 }))
}

/** Live members who answered, per poll: one voice each, whichever of their merged accounts answered. */
async function voicesPerPoll(db: Db, pollIds: string[]) {
  if (pollIds.length === 0) return new Map<string, number>()
  const rows = await queryRows<{ poll_id: string; voices: number }>(
    db,
    sql`select poll_id, count(distinct live_member(member_id))::int as voices from (
          select poll_id, member_id from poll_answers where poll_id = any(${sql.param(pollIds)}::uuid[])
          union all
          select poll_id, member_id from pairwise_choices where poll_id = any(${sql.param(pollIds)}::uuid[]) and winner_id is not null
        ) voiced group by poll_id`,
  )
  return new Map(rows.map((r) => [r.poll_id, r.voices]))
}

/**
 * Where a member is: their home store and its region, and the categories they buy in (lower-cased,
 * as the ideas near them read them), for the polls near them.
 */
export async function whereMemberIs(db: Db, memberId: string) {
  const { member } = await memberProfile(db, memberId)
  const store = member.homeStoreId ? (await listStores(db)).find((s) => s.id === member.homeStoreId) : undefined
  return { memberId: member.id, storeId: store?.id ?? null, region: store?.region ?? null, categories: await categoriesBoughtBy(db, member.id) }
}

/** A poll is for the member: everyone's, their region's, their home store's, or a category's they buy in. */
const isFor = (poll: { scope: string; scopeValue: string | null }, at: Awaited<ReturnType<typeof whereMemberIs>>) =>
  poll.scope === 'retailer' ||
  (poll.scope === 'region' && poll.scopeValue === at.region) ||
  (poll.scope === 'store' && poll.scopeValue === at.storeId) ||
  (poll.scope === 'category' && at.categories.includes((poll.scopeValue ?? '').toLowerCase()))

/** Open polls for the whole retailer, the member's region or home store, and the categories they buy in; whether they answered each. */
export async function pollsNearMe(db: Db, memberId: string, now: Date) {
  const at = await whereMemberIs(db, memberId)
  const rows = await db
    .select()
    .from(polls)
    .where(
      and(
        gt(polls.endsAt, now),
        sql`(${polls.scope} = 'retailer' or (${polls.scope} = 'region' and ${polls.scopeValue} = ${at.region})
             or (${polls.scope} = 'store' and ${polls.scopeValue} = ${at.storeId})
             or (${polls.scope} = 'category' and lower(${polls.scopeValue}) = any(${sql.param(at.categories)}::text[])))`,
      ),
    )
    .orderBy(asc(polls.endsAt))
  const mine = await answeredBy(
    db,
    at.memberId,
    rows.map((p) => p.id),
  )
  return rows.map((poll) => ({ ...shape(poll, now), answered: mine.get(poll.id) ?? 0 }))
}

/** How many answers the member (and anyone merged into them) gave per poll: 1 for a classic poll, pairs for pairwise. */
async function answeredBy(db: Db, memberId: string, pollIds: string[]) {
  if (pollIds.length === 0) return new Map<string, number>()
  const rows = await queryRows<{ poll_id: string; answers: number }>(
    db,
    sql`select poll_id, count(*)::int as answers from (
          select poll_id from poll_answers where poll_id = any(${sql.param(pollIds)}::uuid[]) and live_member(member_id) = ${memberId}::uuid
          union all
          select poll_id from pairwise_choices where poll_id = any(${sql.param(pollIds)}::uuid[]) and live_member(member_id) = ${memberId}::uuid
        ) mine group by poll_id`,
  )
  return new Map(rows.map((r) => [r.poll_id, r.answers]))
}

/** A poll as a member sees it: only if it is near them; published options only; their own answer. */
export async function pollForMember(db: Db, pollId: string, memberId: string, now: Date) {
  const poll = await pollFor(db, pollId, now, false)
  const at = await whereMemberIs(db, memberId)
  if (!isFor(poll, at)) throw new NotFound('Poll', pollId)
  const [mine] = await queryRows<{ option_ids: string[] }>(
    db,
    sql`select option_ids from poll_answers where poll_id = ${pollId}::uuid and live_member(member_id) = ${at.memberId}::uuid order by answered_at limit 1`,
  )
  return { poll, at, myAnswer: mine?.option_ids ?? null }
}

/**
 * A member's answer to a classic poll: one voice per live member (an account merged into them that
 * answered already counts as them), recorded as `poll_answered` activity once, in the same transaction.
 */
export async function answerPoll(deps: Pick<Deps, 'db' | 'clock' | 'wiring' | 'config'>, pollId: string, memberId: string, optionIds: string[]) {
  const now = deps.clock.now()
  const { poll, at, myAnswer } = await pollForMember(deps.db, pollId, memberId, now)
  if (poll.kind === 'pairwise') throw new UnknownPollOption('/optionIds', 'This is a "which do you prefer?" survey: answer it a pair at a time.')
  if (!poll.open) throw new PollClosed(new Date(poll.endsAt))
  if (myAnswer) throw new Conflict('You have already answered this poll: one voice per member, across all your cards and accounts.', { pollId })
  const chosen = [...new Set(optionIds)]
  if (poll.kind === 'single' && chosen.length !== 1) throw new UnknownPollOption('/optionIds', 'Choose one option.')
  const known = new Set(poll.options.map((o) => o.id))
  const unknown = chosen.findIndex((id) => !known.has(id))
  if (unknown >= 0) throw new UnknownPollOption(`/optionIds/${unknown}`, 'That option is not on this poll.')
  await deps.db.transaction(async (tx) => {
    const fresh = await tx
      .insert(pollAnswers)
      .values({ memberId: at.memberId, pollId, optionIds: chosen, storeId: at.storeId, answeredAt: now })
      .onConflictDoNothing()
      .returning({ pollId: pollAnswers.pollId })
    if (fresh.length === 0) throw new Conflict('You have already answered this poll: one voice per member, across all your cards and accounts.', { pollId })
    await recordPollActivity({ ...deps, db: tx }, at.memberId, at.storeId, now, `poll:${pollId}:${at.memberId}`, { pollId, kind: poll.kind })
  })
  return pollForMember(deps.db, pollId, memberId, now)
}

/** `poll_answered` on the member's timeline, once for the key (the caller's unique answer row guards it). */
export async function recordPollActivity(
  deps: Pick<Deps, 'db' | 'wiring' | 'config'>,
  memberId: string,
  storeId: string | null,
  now: Date,
  key: string,
  details: Record<string, unknown>,
) {
  await registerActivityKind(deps.db, pollAnsweredKind, 'Answered a poll', now)
  await recordParticipation(deps, deps.db, now, [{ memberId, kind: pollAnsweredKind, source: 'polls', key, details, storeId }])
}

/** Ends a poll now (its results stay). */
export async function closePoll(deps: Pick<Deps, 'db' | 'clock'>, pollId: string) {
  const now = deps.clock.now()
  const closed = await deps.db
    .update(polls)
    .set({ endsAt: now })
    .where(and(eq(polls.id, pollId), gt(polls.endsAt, now)))
    .returning({ id: polls.id })
  if (closed.length === 0) await pollFor(deps.db, pollId, now) // 404 when there is none; an ended poll stays ended
  return pollFor(deps.db, pollId, now)
}
