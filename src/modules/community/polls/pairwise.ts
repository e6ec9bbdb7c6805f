import { and, eq, inArray, sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { Conflict, DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { type ModerationTarget, screenContent } from '../moderation/index.js'
import { pairwiseChoices, pollOptions, polls } from './schema.js'
import { PollClosed, pollForMember, recordPollActivity, UnknownPollOption } from './service.js'

export class SuggestionsClosed extends DomainError {
  constructor() {
    super(
      '/problems/poll-suggestions-closed',
      409,
      'This poll takes no suggestions',
      {},
      'This poll’s options were chosen by the shop; it does not take suggestions.',
    )
  }
}

/** The pair in its stored order: the smaller id first. */
const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x])

/**
 * The next pair for a member: never one they (or an account merged into them) answered or skipped;
 * among the rest, the pair with the fewest answers so far, then the options least compared, so each
 * answer tells the estimate the most. Ties are broken at random. Null when they have seen every pair.
 */
export async function nextPair(db: Db, pollId: string, memberId: string, now: Date, random: () => number = Math.random) {
  const { poll, at } = await pollForMember(db, pollId, memberId, now)
  if (poll.kind !== 'pairwise') throw new NotFound('Pairwise survey', pollId)
  const options = poll.options
  const [seen, counts] = await Promise.all([
    queryRows<{ option_a: string; option_b: string }>(
      db,
      sql`select option_a, option_b from pairwise_choices where poll_id = ${pollId}::uuid and live_member(member_id) = ${at.memberId}::uuid`,
    ),
    queryRows<{ option_a: string; option_b: string; answers: number }>(
      db,
      sql`select option_a, option_b, count(*)::int as answers from pairwise_choices where poll_id = ${pollId}::uuid and winner_id is not null group by 1, 2`,
    ),
  ])
  const done = new Set(seen.map((s) => `${s.option_a}:${s.option_b}`))
  const answers = new Map(counts.map((c) => [`${c.option_a}:${c.option_b}`, c.answers]))
  const perOption = new Map<string, number>()
  for (const c of counts) for (const id of [c.option_a, c.option_b]) perOption.set(id, (perOption.get(id) ?? 0) + c.answers)
  let best: { pair: [string, string]; rank: number[] } | undefined
  let total = 0
  for (let i = 0; i < options.length; i++)
    for (let j = i + 1; j < options.length; j++) {
      total++
      const pair = ordered(options[i].id, options[j].id)
      const key = pair.join(':')
      if (done.has(key)) continue
      const rank = [answers.get(key) ?? 0, (perOption.get(pair[0]) ?? 0) + (perOption.get(pair[1]) ?? 0), random()]
      if (!best || rank[0] < best.rank[0] || (rank[0] === best.rank[0] && (rank[1] < best.rank[1] || (rank[1] === best.rank[1] && rank[2] < best.rank[2]))))
        best = { pair, rank }
    }
  const label = new Map(options.map((o) => [o.id, o]))
  // Which one shows first is random too: the first-shown option must not win by position.
  const shown = best ? (random() < 0.5 ? best.pair : [best.pair[1], best.pair[0]]) : null
  return {
    poll,
    pair: shown ? shown.map((id) => ({ id, label: label.get(id)?.label ?? '' })) : null,
    answered: done.size,
    pairs: total,
  }
}

/** A member's choice between two options (or a skip, `winnerId` null), then their next pair. */
export async function choosePair(
  deps: Pick<Deps, 'db' | 'clock' | 'wiring' | 'config'>,
  pollId: string,
  memberId: string,
  choice: { optionA: string; optionB: string; winnerId: string | null },
) {
  const now = deps.clock.now()
  const { poll, at } = await pollForMember(deps.db, pollId, memberId, now)
  if (poll.kind !== 'pairwise') throw new NotFound('Pairwise survey', pollId)
  if (!poll.open) throw new PollClosed(new Date(poll.endsAt))
  const known = new Set(poll.options.map((o) => o.id))
  if (!known.has(choice.optionA)) throw new UnknownPollOption('/optionA', 'That option is not on this survey.')
  if (!known.has(choice.optionB)) throw new UnknownPollOption('/optionB', 'That option is not on this survey.')
  if (choice.optionA === choice.optionB) throw new UnknownPollOption('/optionB', 'A pair is two different options.')
  if (choice.winnerId !== null && choice.winnerId !== choice.optionA && choice.winnerId !== choice.optionB)
    throw new UnknownPollOption('/winnerId', 'Choose one of the two options shown, or skip the pair.')
  const [a, b] = ordered(choice.optionA, choice.optionB)
  const [already] = await queryRows<{ n: number }>(
    deps.db,
    sql`select count(*)::int as n from pairwise_choices where poll_id = ${pollId}::uuid and option_a = ${a}::uuid and option_b = ${b}::uuid and live_member(member_id) = ${at.memberId}::uuid`,
  )
  const answered = () => new Conflict('You have already answered this pair: each pair is asked once.', { pollId })
  if (already.n > 0) throw answered()
  await deps.db.transaction(async (tx) => {
    const fresh = await tx
      .insert(pairwiseChoices)
      .values({ memberId: at.memberId, pollId, optionA: a, optionB: b, winnerId: choice.winnerId, storeId: at.storeId, answeredAt: now })
      .onConflictDoNothing()
      .returning({ pollId: pairwiseChoices.pollId })
    if (fresh.length === 0) throw answered()
    // A skip earns nothing: only a choice is participation.
    if (choice.winnerId)
      await recordPollActivity({ ...deps, db: tx }, at.memberId, at.storeId, now, `poll:${pollId}:${a}:${b}:${at.memberId}`, {
        pollId,
        kind: 'pairwise',
        optionA: a,
        optionB: b,
      })
  })
  return nextPair(deps.db, pollId, memberId, now)
}

/**
 * A member's new option for a pairwise survey, screened by moderation in its transaction: published at
 * once when moderation passes it, else pending (in the moderation queue, and on the poll's results for
 * its managers) until a moderator or manager approves it.
 */
export async function suggestOption(deps: Pick<Deps, 'db' | 'clock'>, pollId: string, memberId: string, label: string) {
  const now = deps.clock.now()
  const { poll, at } = await pollForMember(deps.db, pollId, memberId, now)
  if (poll.kind !== 'pairwise') throw new NotFound('Pairwise survey', pollId)
  if (!poll.open) throw new PollClosed(new Date(poll.endsAt))
  if (!poll.suggestionsOpen) throw new SuggestionsClosed()
  const text = label.trim().replace(/\s+/g, ' ')
  if (!text) throw new UnknownPollOption('/label', 'Write the option in a few words.')
  const [same] = await queryRows<{ status: string }>(
    deps.db,
    sql`select status from poll_options where poll_id = ${pollId}::uuid and lower(label) = lower(${text})`,
  )
  if (same) throw new Conflict(same.status === 'published' ? `"${text}" is already an option.` : `"${text}" has been suggested already.`, { field: '/label' })
  const [{ position }] = await queryRows<{ position: number }>(
    deps.db,
    sql`select coalesce(max(position) + 1, 0)::int as position from poll_options where poll_id = ${pollId}::uuid`,
  )
  const id = newId()
  return deps.db.transaction(async (tx) => {
    const screened = await screenContent(
      { db: tx, clock: deps.clock },
      { kind: 'poll_option', contentId: id, memberId: at.memberId, text, storeId: at.storeId ?? undefined },
    )
    const status = screened.status === 'published' ? ('published' as const) : ('pending' as const)
    await tx.insert(pollOptions).values({ id, pollId, label: text, status, suggestedBy: at.memberId, position, createdAt: now })
    return { id, label: text, status }
  })
}

/** Staff publish a member's suggestion (it enters the pairs) or decline it. */
export async function reviewOption(db: Db, pollId: string, optionId: string, decision: 'approve' | 'decline') {
  const [option] = await db
    .update(pollOptions)
    .set({ status: decision === 'approve' ? 'published' : 'declined' })
    .where(and(eq(pollOptions.id, optionId), eq(pollOptions.pollId, pollId)))
    .returning()
  if (!option) throw new NotFound('Poll option', optionId)
  return { id: option.id, label: option.label, status: option.status as 'published' | 'declined' }
}

/** Members' suggested options in the moderation queue: restoring publishes one, hiding declines it. */
export const pollOptionModeration: ModerationTarget = {
  kind: 'poll_option',
  async setVisible(db, contentId, visible) {
    await db
      .update(pollOptions)
      .set({ status: visible ? 'published' : 'declined' })
      .where(eq(pollOptions.id, contentId))
  },
  async describe(db, contentIds) {
    if (contentIds.length === 0) return []
    const rows = await db
      .select({ id: pollOptions.id, label: pollOptions.label, pollId: pollOptions.pollId, question: polls.question })
      .from(pollOptions)
      .innerJoin(polls, eq(polls.id, pollOptions.pollId))
      .where(inArray(pollOptions.id, contentIds))
    return rows.map((r) => ({ contentId: r.id, text: r.label, about: `Suggested option for "${r.question}"`, link: `/polls/${r.pollId}` }))
  },
}
