import { and, eq, isNull } from 'drizzle-orm'
import type { Deps } from '../../../platform/deps.js'
import { DomainError } from '../../../platform/http/problems.js'
import { IdeaClosed, type IdeaRow, isClosed } from './ideas.js'
import { ideaDemand } from './schema.js'
import type { IdeaSettings } from './settings.js'

/**
 * The demand ladder (docs/community.md): weighted support opens "I'd buy it" at its scope's first
 * threshold, and pre-order pledges at the second; every step feeds the merchandising feed.
 */
export function ladderOf(settings: IdeaSettings, idea: Pick<IdeaRow, 'scope' | 'support'>) {
  const steps = settings.ladder[idea.scope]
  const support = idea.support / 100
  return {
    support,
    steps: [
      { step: 'would_buy' as const, threshold: steps.wouldBuy, open: support >= steps.wouldBuy },
      { step: 'pledge' as const, threshold: steps.pledge, open: support >= steps.pledge },
    ],
  }
}

export class StepNotOpen extends DomainError {
  constructor(step: 'would_buy' | 'pledge', threshold: number, support: number) {
    const what = step === 'would_buy' ? '“I’d buy it”' : 'Pre-orders'
    super(
      '/problems/ladder-step-closed',
      409,
      `${what} opens at ${threshold} support`,
      { step, threshold, support },
      `This idea has ${support} weighted support so far. Vote and share it to get it there.`,
    )
  }
}

export interface DemandInput {
  priceMinor?: number
  currency?: string
  size?: string
  quantity?: number
}

/**
 * Records (or changes) the member's "I'd buy it" or pledge on an idea, once its step is open. A pledge
 * is an intent with a quantity: no payment is taken, and the member can cancel it.
 */
export async function recordDemand(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  settings: IdeaSettings,
  memberId: string,
  idea: IdeaRow,
  kind: 'would_buy' | 'pledge',
  input: DemandInput,
) {
  if (isClosed(idea.status)) throw new IdeaClosed(idea.status)
  const step = ladderOf(settings, idea).steps.find((s) => s.step === kind)
  if (!step?.open) throw new StepNotOpen(kind, step?.threshold ?? 0, idea.support / 100)
  const now = deps.clock.now()
  const values = {
    priceMinor: input.priceMinor ?? null,
    currency: input.currency ?? deps.config.currency,
    size: input.size?.trim() || null,
    quantity: kind === 'pledge' ? (input.quantity ?? 1) : 1,
    recordedAt: now,
    cancelledAt: null,
  }
  const [row] = await deps.db
    .insert(ideaDemand)
    .values({ ideaId: idea.id, memberId, kind, ...values })
    .onConflictDoUpdate({ target: [ideaDemand.ideaId, ideaDemand.memberId, ideaDemand.kind], set: values })
    .returning()
  return row
}

/** Cancels the member's "I'd buy it" or pledge; cancelling what is not there changes nothing. */
export async function cancelDemand(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, ideaId: string, kind: 'would_buy' | 'pledge') {
  await deps.db
    .update(ideaDemand)
    .set({ cancelledAt: deps.clock.now() })
    .where(and(eq(ideaDemand.ideaId, ideaId), eq(ideaDemand.memberId, memberId), eq(ideaDemand.kind, kind), isNull(ideaDemand.cancelledAt)))
}
