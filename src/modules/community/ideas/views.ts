import type { Principal } from '../../../platform/auth/principal.js'
import type { Db } from '../../../platform/db/index.js'
import { describeProducts, storeRegions } from '../../activity/index.js'
import { type IdeaRow, ideaDetails } from './ideas.js'
import { ladderOf } from './ladder.js'
import { type IdeaSettings, weightInWords } from './settings.js'
import { weightFor } from './votes.js'

type Stores = Awaited<ReturnType<typeof storeRegions>>
export interface Marks {
  myVote: boolean
  following: boolean
}

export const storeNameOf = (stores: Stores, idea: IdeaRow) => (idea.storeId ? (stores.get(idea.storeId)?.name ?? null) : null)

/** An idea as the board and its page show it; support in weight units (hundredths are the storage's). */
export function ideaSummary(idea: IdeaRow, marks: Marks, storeName: string | null, caller: Principal | undefined) {
  return {
    id: idea.id,
    kind: idea.kind,
    title: idea.title,
    body: idea.body,
    scope: idea.scope,
    region: idea.region,
    storeId: idea.storeId,
    storeName: idea.storeId ? storeName : null,
    category: idea.category,
    status: idea.status,
    statusReason: idea.statusReason,
    support: idea.support / 100,
    voters: idea.voters,
    createdAt: idea.createdAt.toISOString(),
    statusChangedAt: idea.statusChangedAt.toISOString(),
    mergedInto: idea.mergedInto,
    ...marks,
    byMe: caller?.kind === 'member' && idea.authorId === caller.memberId,
  }
}

/** A page of ideas with their stores' names. */
export async function presentIdeas(db: Db, rows: { idea: IdeaRow; myVote: boolean; following: boolean }[], caller: Principal | undefined) {
  const stores = await storeRegions(db)
  return rows.map(({ idea, ...marks }) => ideaSummary(idea, marks, storeNameOf(stores, idea), caller))
}

/**
 * An idea's page: the weight formula in words (and the member's own weight now), the ladder, the
 * demand on it, its history, products and comments. Who set a status and who commented stay staff-side.
 */
export async function ideaPage(db: Db, settings: IdeaSettings, idea: IdeaRow, caller: Principal | undefined) {
  const memberId = caller?.kind === 'member' ? caller.memberId : undefined
  const [details, stores, mine] = await Promise.all([
    ideaDetails(db, idea, caller),
    storeRegions(db),
    memberId ? weightFor(db, settings, memberId, idea.category) : undefined,
  ])
  const named = await describeProducts(
    db,
    details.products.map((p) => p.sku),
  )
  const demand = (d: { priceMinor: number | null; currency: string; size: string | null; quantity: number; recordedAt: Date } | null) =>
    d ? { priceMinor: d.priceMinor, currency: d.currency, size: d.size, quantity: d.quantity, recordedAt: d.recordedAt.toISOString() } : null
  return {
    idea: ideaSummary(idea, { myVote: Boolean(details.mine?.vote), following: details.mine?.following ?? false }, storeNameOf(stores, idea), caller),
    weight: {
      inWords: weightInWords(settings),
      formula: settings.weights,
      mine: mine ? { weight: mine.weight / 100, score: mine.score, purchases: mine.purchases } : null,
    },
    ladder: ladderOf(settings, idea),
    demand: details.demand,
    history: details.history.map((h) => ({ status: h.status, reason: h.reason, at: h.at.toISOString() })),
    products: details.products.map((p) => ({ sku: p.sku, name: named.get(p.sku)?.name ?? null, linkedAt: p.linkedAt.toISOString() })),
    comments: details.comments.map((c) => ({
      id: c.id,
      body: c.body,
      createdAt: c.createdAt.toISOString(),
      by: c.userId ? ('staff' as const) : ('member' as const),
      mine: Boolean(memberId && c.memberId === memberId),
      hidden: c.hidden,
    })),
    mine: details.mine
      ? {
          vote: details.mine.vote ? { ...details.mine.vote, castAt: details.mine.vote.castAt.toISOString() } : null,
          following: details.mine.following,
          wouldBuy: demand(details.mine.wouldBuy),
          pledge: demand(details.mine.pledge),
        }
      : null,
  }
}
