import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { type Db, preparedRows, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { purchasesInCategory } from '../../activity/index.js'
import { relationshipScore } from '../../insights/index.js'
import { resolveMemberId } from '../../members/index.js'
import { IdeaClosed, isClosed } from './ideas.js'
import { ensureParticipationKinds, recordParticipation } from './participation.js'
import { ideas, ideaVotes } from './schema.js'
import { budgetPeriod, defaultIdeaSettings, getIdeaSettings, type IdeaSettings, voteWeight } from './settings.js'

export class VoteBudgetSpent extends DomainError {
  constructor(votes: number, period: string) {
    super(
      '/problems/vote-budget-spent',
      409,
      'You have used all your votes for now',
      { budget: votes, period },
      `You have ${votes} votes for ${period}. Take one back from another idea, or wait for an idea you voted for to close: its vote comes back.`,
    )
  }
}

/** The live member a vote is by: every card and account of one person votes as one (merges decide). */
async function liveMember(db: Db, memberId: string) {
  const live = await resolveMemberId(db, memberId)
  if (!live) throw new NotFound('Member', memberId)
  return live
}

/** How much this member's vote on an idea weighs now, and why. */
export async function weightFor(db: Db, settings: IdeaSettings, memberId: string, category: string | null) {
  const [score, purchases] = [await relationshipScore(db, memberId), await purchasesInCategory(db, memberId, category)]
  return { weight: voteWeight(settings, score, purchases), score, purchases }
}

export interface Budget {
  votes: number
  used: number
  left: number
  period: string
}

async function usedVotes(db: Db, memberId: string, period: string) {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from idea_votes where member_id = ${memberId} and period = ${period} and withdrawn_at is null and returned_at is null`,
  )
  return row.n
}

/** A member's votes left this period: votes on ideas that closed came back. */
export async function budgetOf(deps: Pick<Deps, 'db' | 'clock'>, memberId: string): Promise<Budget> {
  const settings = await getIdeaSettings(deps.db)
  const member = await liveMember(deps.db, memberId)
  const period = budgetPeriod(settings.budget.period, deps.clock.now())
  const used = await usedVotes(deps.db, member, period)
  return { votes: settings.budget.votes, used, left: Math.max(settings.budget.votes - used, 0), period }
}

/** What `cast_idea_vote` answers (drizzle/0034): the outcome, and what the answer or the refusal needs. */
interface VoteAnswer {
  outcome: 'voted' | 'voted_before' | 'no_member' | 'no_idea' | 'closed' | 'budget_spent'
  member_id: string | null
  status: string | null
  weight: number | null
  support: number | null
  voters: number | null
  used: number | null
  budget: number
  period: string | null
  first: boolean | null
}

/**
 * Casts the member's vote, weighted by their relationship now. One person, one vote: the vote is the
 * live member's (a card merged into another votes as the survivor), one row per person per idea, so a
 * second vote from any of their accounts changes nothing. The budget check holds the person's lock,
 * so two votes racing for the last one cannot both get it. `vote_cast` is recorded the first time only.
 * All of it but the timeline is one call of `cast_idea_vote` (drizzle/0034), which reads the saved
 * settings itself: a vote costs three round trips, not a dozen.
 */
export async function castVote(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, memberId: string, ideaId: string) {
  const now = deps.clock.now()
  await ensureParticipationKinds(deps)
  return deps.db.transaction(async (tx) => {
    const [vote] = await preparedRows<VoteAnswer>(
      tx,
      'cast_idea_vote',
      sql`select * from cast_idea_vote(${memberId}::uuid, ${ideaId}::uuid, ${now.toISOString()}::timestamptz, ${defaultsJson}::jsonb)`,
    )
    if (vote.outcome === 'no_member') throw new NotFound('Member', memberId)
    if (vote.outcome === 'no_idea') throw new NotFound('Idea', ideaId)
    if (vote.outcome === 'closed') throw new IdeaClosed(vote.status ?? 'closed')
    const period = vote.period as string
    if (vote.outcome === 'budget_spent') throw new VoteBudgetSpent(vote.budget, period)
    const used = vote.used as number
    const budget = { votes: vote.budget, used, left: Math.max(vote.budget - used, 0), period }
    const member = vote.member_id as string
    if (vote.first) await recordParticipation(deps, tx, member, 'vote_cast', `vote:${ideaId}:${member}`, { ideaId }, now)
    return { support: (vote.support as number) / 100, voters: vote.voters as number, weight: (vote.weight as number) / 100, budget, first: vote.first === true }
  })
}

const defaultsJson = JSON.stringify(defaultIdeaSettings)

async function countsOf(db: Db, ideaId: string) {
  const [row] = await db.select({ support: ideas.support, voters: ideas.voters }).from(ideas).where(eq(ideas.id, ideaId))
  return { support: row.support / 100, voters: row.voters }
}

/** Takes a vote back (its budget with it); taking back a vote never cast changes nothing. */
export async function withdrawVote(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, ideaId: string) {
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const member = await liveMember(tx, memberId)
    const [idea] = await tx.select({ status: ideas.status }).from(ideas).where(eq(ideas.id, ideaId))
    if (!idea) throw new NotFound('Idea', ideaId)
    if (isClosed(idea.status)) throw new IdeaClosed(idea.status)
    const [taken] = await tx
      .update(ideaVotes)
      .set({ withdrawnAt: now })
      .where(and(eq(ideaVotes.ideaId, ideaId), eq(ideaVotes.memberId, member), isNull(ideaVotes.withdrawnAt), isNull(ideaVotes.returnedAt)))
      .returning({ weight: ideaVotes.weight })
    if (taken) {
      await tx
        .update(ideas)
        .set({ support: sql`${ideas.support} - ${taken.weight}`, voters: sql`${ideas.voters} - 1` })
        .where(eq(ideas.id, ideaId))
    }
    return countsOf(tx, ideaId)
  })
}

/** A member's votes, newest first, with each idea's title and status. */
export async function votesOf(db: Db, memberId: string) {
  const member = await liveMember(db, memberId)
  return db
    .select({
      ideaId: ideaVotes.ideaId,
      title: ideas.title,
      status: ideas.status,
      weight: ideaVotes.weight,
      period: ideaVotes.period,
      castAt: ideaVotes.castAt,
      returnedAt: ideaVotes.returnedAt,
    })
    .from(ideaVotes)
    .innerJoin(ideas, eq(ideas.id, ideaVotes.ideaId))
    .where(and(eq(ideaVotes.memberId, member), isNull(ideaVotes.withdrawnAt)))
    .orderBy(desc(ideaVotes.castAt))
    .limit(200)
}

/** Puts every idea's support and voters back in line with its live votes (after merges of ideas or members). */
export async function recountIdeas(db: Db, ideaIds: string[]) {
  if (ideaIds.length === 0) return
  await db.execute(sql`
    update ideas i set support = coalesce(v.support, 0), voters = coalesce(v.voters, 0)
      from (select x.id, sum(w.weight)::int as support, count(w.member_id)::int as voters
              from unnest(${sql.param([...new Set(ideaIds)])}::uuid[]) x(id)
              left join idea_votes w on w.idea_id = x.id and w.withdrawn_at is null
                and (w.returned_at is null or exists (select 1 from ideas c where c.id = x.id and c.closed_at is not null and w.returned_at >= c.closed_at))
             group by x.id) v
     where i.id = v.id`)
}

/** Who voted for an idea, with each vote's weight (staff only: members never see who voted). */
export async function votersOf(db: Db, ideaId: string) {
  const rows = await db
    .select()
    .from(ideaVotes)
    .where(and(eq(ideaVotes.ideaId, ideaId), isNull(ideaVotes.withdrawnAt)))
    .orderBy(desc(ideaVotes.weight), ideaVotes.memberId)
    .limit(500)
  return rows.map((v) => ({
    memberId: v.memberId,
    weight: v.weight / 100,
    castAt: v.castAt.toISOString(),
    carriedFrom: v.carriedFrom,
    returned: v.returnedAt !== null,
  }))
}
