import type { BgNbdParams } from './bgnbd.js'
import { expectedPurchases } from './bgnbd.js'
import { nelderMead } from './nelder-mead.js'
import { gammaln } from './special.js'

/** Gamma-Gamma spend: each customer's mean spend ~ Gamma(p, ν), ν ~ Gamma(q, γ). */
export interface GammaGammaParams {
  p: number
  q: number
  gamma: number
  logLikelihood: number
}

/** Repeat customers: x repeat purchases averaging m each. */
export interface SpendSummaries {
  x: Float64Array
  m: Float64Array
}

/** The Gamma-Gamma log-likelihood of repeat customers' average spend (Fader, Hardie & Lee 2005b). */
export function gammaGammaLogLikelihood({ p, q, gamma }: Omit<GammaGammaParams, 'logLikelihood'>, data: SpendSummaries): number {
  let total = 0
  const fixed = q * Math.log(gamma) - gammaln(q)
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]
    const m = data.m[i]
    const px = p * x
    total += gammaln(px + q) - gammaln(px) + fixed + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(x * m + gamma)
  }
  return total
}

export function fitGammaGamma(data: SpendSummaries, start = [1, 1, 1]): GammaGammaParams {
  const params = (v: number[]) => ({ p: Math.exp(v[0]), q: Math.exp(v[1]), gamma: Math.exp(v[2]) })
  const negative = (v: number[]) => {
    if (v.some((p) => p > Math.log(1e7))) return Number.MAX_VALUE
    const ll = gammaGammaLogLikelihood(params(v), data)
    return Number.isFinite(ll) ? -ll : Number.MAX_VALUE
  }
  const best = nelderMead(negative, start.map(Math.log))
  return { ...params(best.x), logLikelihood: -best.value }
}

/**
 * Expected spend per purchase given x repeat purchases averaging m: a weighted mean of the
 * customer's own average and the population's (x = 0 gives the population's, pγ/(q − 1)).
 */
export function expectedAverageSpend({ p, q, gamma }: GammaGammaParams, x: number, m: number): number {
  return (p * (gamma + x * m)) / (p * x + q - 1)
}

/**
 * Lifetime value over `months` months: each month's expected purchases (the difference of BG/NBD's
 * cumulative expectation) times expected spend, discounted at `monthlyDiscountRate` a month.
 */
export function customerLifetimeValue(
  p: BgNbdParams,
  customer: { x: number; tx: number; T: number },
  spend: number,
  { months, monthlyDiscountRate }: { months: number; monthlyDiscountRate: number },
): number {
  const weeksPerMonth = 365.25 / 12 / 7
  let value = 0
  let before = 0
  for (let k = 1; k <= months; k++) {
    const upTo = expectedPurchases(p, k * weeksPerMonth, customer.x, customer.tx, customer.T)
    value += ((upTo - before) * spend) / (1 + monthlyDiscountRate) ** k
    before = upTo
  }
  return value
}
