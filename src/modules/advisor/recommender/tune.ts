import type { Basket } from './baskets.js'
import { ndcgAt } from './metrics.js'
import { type Blend, defaultBlend, Recommender } from './model.js'

/** A deterministic sample: every n-th member, so tuning stays quick on big files. */
const sample = <T>(items: T[], max: number) => (items.length <= max ? items : items.filter((_, i) => i % Math.ceil(items.length / max) === 0))

const halfLives = [Number.POSITIVE_INFINITY, 365, 90, 30]
const repeatBiases = [0, 1]

const candidates = (): Blend[] => {
  const out: Blend[] = []
  for (const halfLifeDays of halfLives) {
    for (const repeatBias of repeatBiases) {
      for (const due of [0, 0.3]) {
        for (const habit of [0, 1]) {
          for (const together of [0, 0.05, 0.15, 0.4]) {
            for (const popular of [0.001, 0.05, 0.3]) out.push({ personal: 1, due, habit, together, popular, halfLifeDays, repeatBias })
          }
        }
      }
      out.push({ personal: 0.05, due: 0, together: 1, popular: 0.05, halfLifeDays, repeatBias })
    }
  }
  // Last, so a tie goes to a blend that knows the member (its reasons say more than "popular").
  out.push({ personal: 0, due: 0, together: 0, popular: 1, halfLifeDays: Number.POSITIVE_INFINITY, repeatBias: 0 })
  return out
}

/**
 * The validation split, made the way the evaluation is: a cut-off inside the training data with
 * the last eighth of its baskets after it; each member's first basket after that cut-off is held
 * out. Data too thin for that (fewer than 50 such members) falls back to each member's last basket.
 */
function validationSplit(baskets: Basket[]) {
  const cut = baskets[Math.floor(baskets.length * 0.875)]?.day ?? Number.POSITIVE_INFINITY
  const training = baskets.filter((b) => b.day < cut)
  const known = new Set(training.map((b) => b.member))
  const heldOut = new Map<string, Basket>()
  for (const b of baskets) if (b.day >= cut && known.has(b.member) && !heldOut.has(b.member)) heldOut.set(b.member, b)
  if (heldOut.size >= 50) return { training, heldOut: [...heldOut.values()] }
  const last = new Map<string, Basket>()
  const count = new Map<string, number>()
  for (const b of baskets) {
    last.set(b.member, b)
    count.set(b.member, (count.get(b.member) ?? 0) + 1)
  }
  const lastOnes = new Set([...last.values()].filter((b) => (count.get(b.member) ?? 0) >= 2))
  return { training: baskets.filter((b) => !lastOnes.has(b)), heldOut: [...lastOnes] }
}

/**
 * Learns the blend from the training data alone: a validation split made like the evaluation's
 * (see validationSplit), the model trained on its earlier part, and the blend with the best NDCG@K
 * on the held-out baskets wins. Pure popularity and pure personal history are among the
 * candidates, so on data where shoppers only re-buy, or only follow the crowd, the blend becomes that.
 */
export function tuneBlend(baskets: Basket[], k = 10, maxMembers = 2500): { blend: Blend; validationNdcg: number; members: number } {
  const { training, heldOut } = validationSplit(baskets)
  const model = new Recommender(training)
  const checks = sample(heldOut, maxMembers).map((b) => ({ member: b.member, basket: new Set(b.items) }))
  const totals = new Map<Blend, number>(candidates().map((blend) => [blend, 0]))
  for (const check of checks) {
    // Signals depend on fading and re-buying only: computed once per setting, then every blend ranks them.
    for (const halfLifeDays of halfLives) {
      for (const repeatBias of repeatBiases) {
        const signals = model.signals(check.member, halfLifeDays, repeatBias)
        for (const blend of totals.keys()) {
          if (blend.halfLifeDays !== halfLifeDays || blend.repeatBias !== repeatBias) continue
          const top = model.rank(signals, blend, k).map((s) => model.skuOf(s.item))
          totals.set(blend, (totals.get(blend) ?? 0) + ndcgAt(k, top, check.basket))
        }
      }
    }
  }
  let best = { blend: defaultBlend, validationNdcg: -1 }
  for (const [blend, total] of totals) {
    const ndcg = checks.length ? total / checks.length : 0
    if (ndcg > best.validationNdcg + 1e-9) best = { blend, validationNdcg: ndcg }
  }
  return { ...best, members: checks.length }
}
