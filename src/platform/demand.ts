import type { Db } from './db/index.js'

/**
 * The merchandising feed's contract (community/ideas/feed.ts combines it): each module that knows of
 * some demand (ideas, wishlists, sales, polls, reviews, back-in-stock requests) lists a DemandSource
 * in `Deps.wiring.demandSources` (src/composition.ts). It lives here so a module owns its source
 * without importing the community module.
 */
export interface DemandPlace {
  category: string | null
  /** The store it is about; null for the whole shop or online. */
  storeId: string | null
  /** The region, for a signal about a region without a store (a store's signals take its region). */
  region?: string | null
}

/** A number that adds up across places. */
export interface DemandSignal extends DemandPlace {
  /** snake_case: `idea_support`, `would_buy`, `pledged_units`, `wishlist_adds`, `units_sold`… */
  measure: string
  value: number
  /** Money measures (`sales`, price points) in minor units, with their currency. */
  currency?: string
}

/** What a poll's voters chose: each option's estimated preference (pairwise) or vote share (classic), best first. */
export interface PollFinding {
  kind: 'poll'
  pollId: string
  question: string
  pollKind: 'single' | 'multiple' | 'pairwise'
  /** Live members who answered (a pairwise poll: who made at least one choice). */
  voices: number
  endsAt: string
  /** Pairwise: the chance the option beats a random other; classic: the share of voices choosing it; with its 95% interval. */
  options: { label: string; score: number; low: number; high: number }[]
}

/** What a product's reviews complain of and praise: terms in at least two 1–2★ or 4–5★ reviews (docs/community.md). */
export interface ReviewThemesFinding {
  kind: 'review_themes'
  sku: string
  product: string
  reviews: number
  lowRatings: number
  highRatings: number
  complaints: { term: string; reviews: number }[]
  praise: { term: string; reviews: number }[]
}

/** A product out of stock that members wished for: how many are waiting for it to come back. */
export interface AwaitedProductFinding {
  kind: 'back_in_stock'
  sku: string
  product: string
  members: number
}

/** Something a merchandiser reads rather than sums: it stays attached to the row of its place. */
export type DemandFinding = DemandPlace & (PollFinding | ReviewThemesFinding | AwaitedProductFinding)

export interface DemandWindow {
  since: Date
  /** The retailer's currency (REGULARS_CURRENCY), for money without a store's own. */
  currency: string
  now: Date
}

export interface DemandSource {
  name: string
  collect(db: Db, window: DemandWindow): Promise<DemandSignal[]>
  /** Findings to read beside the numbers (poll results, review themes, awaited products). */
  findings?(db: Db, window: DemandWindow): Promise<DemandFinding[]>
}

declare module './deps.js' {
  interface Wiring {
    /** Where the merchandising feed's demand comes from: ideas, wishlists, sales, polls, reviews, back-in-stock requests. */
    demandSources: DemandSource[]
  }
}
