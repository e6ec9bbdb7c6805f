import type { MemberHistory } from './history.js'

/** Upper ends of the "days since they last bought it" bands: finer where cycles are short. */
const bands = [1, 2, 3, 5, 7, 10, 14, 18, 24, 31, 40, 52, 68, 90, 120, 160, 220, 300, 400, Number.POSITIVE_INFINITY]
const bandOf = (days: number) => {
  let band = 0
  while (days > bands[band]) band++
  return band
}
/** The all-items curve counts as this many visits of each item's own: an item seldom seen leans on it. */
const priorVisits = 10

/**
 * When members come back for an item: for each item, the chance that a basket has it again, by the
 * days since the member last bought it (its repurchase hazard). Learnt from every visit of every
 * member who bought the item before: bread comes back after a week, candles after two months, a
 * kettle hardly at all. Where an item has few such visits, it leans on the shape of all items' curve.
 */
export class RepurchaseCurves {
  private readonly rates: Float64Array[]
  /** Per item: the chance a visit after buying it has it again, whenever that visit is. */
  readonly rate: Float64Array

  constructor(members: Iterable<MemberHistory>, itemCount: number) {
    const visits = Array.from({ length: itemCount }, () => new Float64Array(bands.length))
    const again = Array.from({ length: itemCount }, () => new Float64Array(bands.length))
    for (const history of members) {
      for (const [item, days] of history.days) {
        // Walk the member's visits after their first purchase of the item: each is a chance to buy it again.
        let next = 1
        let last = days[0]
        for (const day of history.visits) {
          if (day <= days[0]) continue
          const band = bandOf(day - last)
          visits[item][band]++
          if (next < days.length && days[next] === day) {
            again[item][band]++
            last = day
            while (next < days.length && days[next] === day) next++
          }
        }
      }
    }
    const allVisits = new Float64Array(bands.length)
    const allAgain = new Float64Array(bands.length)
    for (let item = 0; item < itemCount; item++) {
      for (let b = 0; b < bands.length; b++) {
        allVisits[b] += visits[item][b]
        allAgain[b] += again[item][b]
      }
    }
    const sum = (counts: Float64Array) => counts.reduce((a, b) => a + b, 0)
    const overallRate = (sum(allAgain) + 0.5) / (sum(allVisits) + 1)
    // A band nobody's visits fell in (gaps of whole weeks leave the 2-day band empty) says the overall rate.
    const overall = allVisits.map((n, b) => (allAgain[b] + priorVisits * overallRate) / (n + priorVisits))
    this.rate = Float64Array.from(visits, (counts, item) => (sum(again[item]) + priorVisits * overallRate) / (sum(counts) + priorVisits))
    // An item's band with few visits leans on the all-items curve, scaled to the item's own rate.
    this.rates = visits.map((counts, item) =>
      counts.map((n, b) => (again[item][b] + priorVisits * Math.min(1, (this.rate[item] * overall[b]) / overallRate)) / (n + priorVisits)),
    )
  }

  /**
   * The chance the member's next basket has the item again, `since` days after they last bought
   * it, when their next visit is about `wait` days away on average: the curve averaged over five
   * likely waits (the 10th to 90th percentiles of an exponential wait with that mean).
   */
  chance(item: number, since: number, wait: number) {
    let total = 0
    for (const q of [0.1, 0.3, 0.5, 0.7, 0.9]) total += this.rates[item][bandOf(since - wait * Math.log(1 - q))]
    return total / 5
  }
}

/** The usual days between two of a member's purchases of an item, or two of their visits (at least 1). */
export const usualGap = (days: number[]) => Math.max(1, (days[days.length - 1] - days[0]) / (days.length - 1))

/** How many of the (sorted) days are after `day`. */
export function countAfter(sorted: number[], day: number) {
  let [low, high] = [0, sorted.length]
  while (low < high) {
    const mid = (low + high) >> 1
    if (sorted[mid] <= day) low = mid + 1
    else high = mid
  }
  return sorted.length - low
}
