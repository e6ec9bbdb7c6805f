import type { Basket } from './baskets.js'
import { countAfter, RepurchaseCurves, usualGap } from './cycles.js'
import type { MemberHistory } from './history.js'

/** What a candidate item is scored on for one member, each at most 1. */
export const features = [
  /** The member's own purchases of the item, fading with the half-life, times its re-buying rate to the power repeatBias. */
  'personal',
  /** Re-bought on a cycle whose time has come: min(1, days since the last one ÷ the usual gap) × repeats. */
  'due',
  /**
   * How likely the member's next basket has it again: their own share of visits with it (since
   * they first bought it, shrunk towards the item's), times how much more likely than usual the
   * item comes back at the time of their next visit (RepurchaseCurves).
   */
  'habit',
  /** Bought by others with the member's items (item-to-item). */
  'together',
  /** Recent buyers of the item. */
  'popular',
] as const
export type Feature = (typeof features)[number]

/**
 * How the signals are blended: a weight a feature (a missing one counts 0), the half-life of the
 * member's own purchases, and how much re-buying rates count. Learnt per data set by `tuneBlend`.
 */
export type Blend = Partial<Record<Feature, number>> & {
  /** Half-life of a member's own purchases in days; Infinity: every purchase counts the same. */
  halfLifeDays: number
  /**
   * How much a member's own item counts by how often shoppers re-buy it at all (0: not at all; 1:
   * fully): coffee beans come back, a kettle does not.
   */
  repeatBias: number
}

/** One member's features for their candidate items. */
export interface Signals {
  items: number[]
  values: Record<Feature, Float64Array>
  because: Map<number, number>
  history: MemberHistory | undefined
}

export type Reason = { kind: 'repurchase'; text: string } | { kind: 'also-bought'; text: string; because: string } | { kind: 'popular'; text: string }

export interface Suggestion {
  sku: string
  score: number
  reason: Reason
}

/** What suggestions may not include: the member's "never suggest" and recent dismissals, what is unavailable. */
export interface Exclusions {
  skus?: Set<string>
  available?: (sku: string) => boolean
}

const neighbours = 40
const itemsPerMemberForPairs = 60
const shrink = 10
/** Visits of the item's own chance that a member's own record of it is weighed against. */
const habitPrior = 2

/** The trained model: item index, members' histories, item-to-item neighbours, popularity. */
export class Recommender {
  readonly skus: string[] = []
  private readonly index = new Map<string, number>()
  private readonly members = new Map<string, MemberHistory>()
  private neighbourItems: Int32Array[] = []
  private neighbourWeights: Float32Array[] = []
  private curves: RepurchaseCurves
  private popularity = new Float64Array(0)
  /** Per item: the share of its buyers who bought it again (smoothed). */
  private rebuying = new Float64Array(0)
  /** The usual days between a member's visits, for members seen only once. */
  private typicalVisitGap = 30
  private popularOrder: number[] = []
  /** The last day in the training data: "now" for fading. */
  readonly lastDay: number

  constructor(
    baskets: Basket[],
    readonly blend: Blend = defaultBlend,
    private readonly names: Map<string, string> = new Map(),
  ) {
    this.lastDay = baskets.reduce((last, b) => Math.max(last, b.day), Number.NEGATIVE_INFINITY)
    for (const basket of baskets) {
      const history: MemberHistory = this.members.get(basket.member) ?? { counts: new Map(), days: new Map(), baskets: 0, visits: [] }
      this.members.set(basket.member, history)
      history.baskets++
      history.visits.push(basket.day)
      for (const sku of basket.items) {
        const item = this.itemOf(sku)
        history.counts.set(item, (history.counts.get(item) ?? 0) + 1)
        const days = history.days.get(item) ?? []
        history.days.set(item, days)
        days.push(basket.day)
      }
    }
    this.countPopularity()
    this.findNeighbours()
    this.curves = new RepurchaseCurves(this.members.values(), this.skus.length)
  }

  private itemOf(sku: string) {
    let item = this.index.get(sku)
    if (item === undefined) {
      item = this.skus.length
      this.index.set(sku, item)
      this.skus.push(sku)
    }
    return item
  }

  /** Members who bought each item, recent buyers counting more (a 90-day half-life): what sells now. */
  private countPopularity() {
    this.popularity = new Float64Array(this.skus.length)
    const buyers = new Float64Array(this.skus.length)
    const again = new Float64Array(this.skus.length)
    const visitGaps: number[] = []
    for (const history of this.members.values()) {
      for (const [item, days] of history.days) {
        this.popularity[item] += 0.5 ** ((this.lastDay - days[days.length - 1]) / 90)
        buyers[item]++
        if (days.length > 1) again[item]++
      }
      if (history.visits.length > 1) visitGaps.push(usualGap(history.visits))
    }
    this.rebuying = Float64Array.from(buyers, (n, i) => (again[i] + 1) / (n + 2))
    this.typicalVisitGap = visitGaps.sort((a, b) => a - b)[Math.floor(visitGaps.length / 2)] ?? 30
    this.popularOrder = [...this.popularity.keys()].sort((a, b) => this.popularity[b] - this.popularity[a])
  }

  /**
   * Item-to-item cosine similarity over who bought what (shrunk towards 0 for rarely bought items),
   * each item keeping its closest neighbours. Pairs are counted over each member's most bought
   * items only, which bounds the work on members who bought thousands of things.
   */
  private findNeighbours() {
    const n = this.skus.length
    const buyers = new Float64Array(n)
    const pairs: Map<number, number>[] = Array.from({ length: n }, () => new Map())
    for (const history of this.members.values()) {
      const items = [...history.counts.keys()]
      const top =
        items.length > itemsPerMemberForPairs
          ? items.sort((a, b) => (history.counts.get(b) ?? 0) - (history.counts.get(a) ?? 0)).slice(0, itemsPerMemberForPairs)
          : items
      for (const i of top) buyers[i]++
      for (let x = 0; x < top.length; x++) {
        for (let y = x + 1; y < top.length; y++) {
          const [i, j] = [top[x], top[y]]
          pairs[i].set(j, (pairs[i].get(j) ?? 0) + 1)
          pairs[j].set(i, (pairs[j].get(i) ?? 0) + 1)
        }
      }
    }
    this.neighbourItems = []
    this.neighbourWeights = []
    for (let i = 0; i < n; i++) {
      const ranked = [...pairs[i]]
        .map(([j, together]) => [j, together / (Math.sqrt(buyers[i] * buyers[j]) + shrink)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, neighbours)
      this.neighbourItems.push(Int32Array.from(ranked, (r) => r[0]))
      this.neighbourWeights.push(Float32Array.from(ranked, (r) => r[1]))
    }
  }

  knows(member: string) {
    return this.members.has(member)
  }

  /**
   * The member's candidates (their own items, those items' neighbours, the 100 most popular) with
   * their features; `halfLifeDays` fades their own purchases.
   */
  signals(member: string, halfLifeDays: number, repeatBias: number): Signals {
    const history = this.members.get(member)
    const personal = new Map<number, number>()
    const together = new Map<number, number>()
    const because = new Map<number, number>()
    const strongestSource = new Map<number, number>()
    if (history) {
      for (const [item, days] of history.days) {
        let weight = 0
        for (const day of days) weight += Number.isFinite(halfLifeDays) ? 0.5 ** ((this.lastDay - day) / halfLifeDays) : 1
        personal.set(item, weight * this.rebuying[item] ** repeatBias)
      }
      const maxOwn = Math.max(...personal.values())
      for (const [item, weight] of personal) {
        const items = this.neighbourItems[item]
        const weights = this.neighbourWeights[item]
        for (let k = 0; k < items.length; k++) {
          const contribution = (weight / maxOwn) * weights[k]
          together.set(items[k], (together.get(items[k]) ?? 0) + contribution)
          // The explanation names the member's item that pulled this one in most.
          if (contribution > (strongestSource.get(items[k]) ?? 0)) {
            strongestSource.set(items[k], contribution)
            because.set(items[k], item)
          }
        }
      }
    }
    const items = [...new Set<number>([...personal.keys(), ...together.keys(), ...this.popularOrder.slice(0, 100)])]
    const values = Object.fromEntries(features.map((f) => [f, new Float64Array(items.length)])) as Record<Feature, Float64Array>
    // The member's next visit is, on average, their usual wait away: what is due then is what counts.
    const wait = history && history.visits.length > 1 ? usualGap(history.visits) : this.typicalVisitGap
    items.forEach((item, i) => {
      values.personal[i] = personal.get(item) ?? 0
      values.together[i] = together.get(item) ?? 0
      values.popular[i] = this.popularity[item]
      const days = history?.days.get(item)
      if (!history || !days) return
      const last = days[days.length - 1]
      const visitsSinceFirst = countAfter(history.visits, days[0])
      const ownRate = (days.length - 1 + habitPrior * this.curves.rate[item]) / (visitsSinceFirst + habitPrior)
      values.habit[i] = Math.min(1, (ownRate * this.curves.chance(item, this.lastDay - last, wait)) / this.curves.rate[item])
      // 0 just after buying it, rising to 1 once a whole cycle has passed.
      if (days.length >= 2) values.due[i] = Math.min(1, (this.lastDay - last) / usualGap(days)) * (days.length - 1)
    })
    // A habit is a chance already (capped at 1); the others are relative to the member's strongest.
    for (const f of ['personal', 'due', 'together', 'popular'] as const) scaleToOne(values[f])
    return { items, values, because, history }
  }

  /**
   * Top `k` item indexes of a member's signals under a blend (exclusions applied), with their parts.
   * A bounded insertion keeps the best k as it goes: no sort of every candidate, which is what makes
   * trying many blends while tuning cheap.
   */
  rank(signals: Signals, blend: Blend, k: number, exclusions: Exclusions = {}) {
    const terms = features.filter((f) => blend[f]).map((f) => [f, blend[f] ?? 0, signals.values[f]] as const)
    const score = (i: number) => {
      let total = 0
      for (const [, weight, values] of terms) total += weight * values[i]
      return total
    }
    const top: { item: number; score: number; i: number }[] = []
    // Ties go to the more popular item, then the one seen first in the data: never to the member's
    // own items just because they were listed first.
    const better = (a: { item: number; score: number }, b: { item: number; score: number }) =>
      a.score > b.score ||
      (a.score === b.score && (this.popularity[a.item] > this.popularity[b.item] || (this.popularity[a.item] === this.popularity[b.item] && a.item < b.item)))
    for (let i = 0; i < signals.items.length; i++) {
      const item = signals.items[i]
      const entry = { item, score: score(i), i }
      if (top.length >= k && !better(entry, top[top.length - 1])) continue
      const sku = this.skus[item]
      if (exclusions.skus?.has(sku) || (exclusions.available && !exclusions.available(sku))) continue
      let at = top.length
      while (at > 0 && better(entry, top[at - 1])) at--
      top.splice(at, 0, entry)
      if (top.length > k) top.pop()
    }
    return top.map(({ item, score, i }) => {
      const parts: [number, number, number] = [0, 0, 0]
      // The explanation talks about the member's own buying, others', or the crowd's.
      for (const [f, weight, values] of terms) parts[f === 'together' ? 1 : f === 'popular' ? 2 : 0] += weight * values[i]
      return { item, score, parts }
    })
  }

  /** The member's top `k`, best first, each with why. */
  recommend(member: string, k: number, exclusions: Exclusions = {}): Suggestion[] {
    const signals = this.signals(member, this.blend.halfLifeDays, this.blend.repeatBias)
    return this.rank(signals, this.blend, k, exclusions).map((s) => ({
      sku: this.skus[s.item],
      score: Number(s.score.toFixed(6)),
      reason: this.explain(s.item, s.parts, signals.history, signals.because),
    }))
  }

  skuOf(item: number) {
    return this.skus[item]
  }

  private name(item: number) {
    const sku = this.skus[item]
    return this.names.get(sku) ?? sku
  }

  private explain(item: number, parts: [number, number, number], history: MemberHistory | undefined, because: Map<number, number>): Reason {
    const strongest = parts.indexOf(Math.max(...parts))
    const days = history?.days.get(item)
    if (strongest === 0 && days) {
      const gaps = days.slice(1).map((d, i) => d - days[i])
      const cycle = gaps.length >= 2 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : undefined
      const text =
        cycle && cycle >= 1
          ? `You buy ${this.name(item)} about every ${cycle >= 14 ? `${Math.round(cycle / 7)} weeks` : `${Math.round(cycle)} days`}`
          : `You have bought ${this.name(item)} ${days.length === 1 ? 'before' : `${days.length} times`}`
      return { kind: 'repurchase', text }
    }
    const source = because.get(item)
    if (strongest === 1 && source !== undefined) {
      return { kind: 'also-bought', text: `People who bought ${this.name(source)} also bought ${this.name(item)}`, because: this.skus[source] }
    }
    return { kind: 'popular', text: `${this.name(item)} is popular with shoppers right now` }
  }

  /** Every member's history, for the baselines. */
  histories(): Iterable<[string, MemberHistory]> {
    return this.members
  }

  historyOf(member: string) {
    return this.members.get(member)
  }
}

export const defaultBlend: Blend = { personal: 1, due: 0, together: 0.1, popular: 0.05, halfLifeDays: 180, repeatBias: 0.5 }

function scaleToOne(values: Float64Array) {
  let max = 1e-12
  for (const v of values) max = Math.max(max, v)
  for (let i = 0; i < values.length; i++) values[i] /= max
}
