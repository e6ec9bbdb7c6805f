import { nelderMead } from './nelder-mead.js'
import { gammaln, hyp2f1, logAddExp } from './special.js'

/** BG/NBD parameters: purchase rates ~ Gamma(r, α), drop-out probabilities ~ Beta(a, b). */
export interface BgNbdParams {
  r: number
  alpha: number
  a: number
  b: number
  logLikelihood: number
}

/** Customers' calibration summaries, in weeks: repeat purchases x, time of the last one tₓ, age T. */
export interface Summaries {
  x: Float64Array
  tx: Float64Array
  T: Float64Array
}

/**
 * The BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6) summed over customers, in logs
 * throughout: ln A₁ + ln A₂ + ln(A₃ + [x > 0] A₄). The parts that depend on x only are computed
 * once per distinct x, which is what keeps a fit on 100,000 customers fast.
 */
export function bgnbdLogLikelihood({ r, alpha, a, b }: Omit<BgNbdParams, 'logLikelihood'>, data: Summaries): number {
  const byX = new Map<number, number>()
  const common = (x: number) => {
    let value = byX.get(x)
    if (value === undefined) {
      value = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
      byX.set(x, value)
    }
    return value
  }
  let total = 0
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i]
    const a3 = -(r + x) * Math.log(alpha + data.T[i])
    const tail = x > 0 ? logAddExp(a3, Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + data.tx[i])) : a3
    total += common(x) + tail
  }
  return total
}

/** Beyond this, a parameter only says "nobody drops out" more firmly: the likelihood is flat out there. */
const largest = Math.log(1e5)

/**
 * Maximum-likelihood BG/NBD parameters, searched in log space so they stay positive. Where
 * customers barely drop out, the likelihood keeps rising as a and b grow together; the search stops
 * at 10⁵ instead of wandering after them.
 */
export function fitBgNbd(data: Summaries, start = [0.5, 5, 0.8, 2.5]): BgNbdParams {
  const params = (v: number[]) => ({ r: Math.exp(v[0]), alpha: Math.exp(v[1]), a: Math.exp(v[2]), b: Math.exp(v[3]) })
  const negative = (v: number[]) => {
    if (v.some((p) => p > largest)) return Number.MAX_VALUE
    const ll = bgnbdLogLikelihood(params(v), data)
    return Number.isFinite(ll) ? -ll : Number.MAX_VALUE
  }
  const best = nelderMead(negative, start.map(Math.log))
  return { ...params(best.x), logLikelihood: -best.value }
}

/** The chance a customer with this history is still buying (eq. 13). */
export function probabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1
  return 1 / (1 + Math.exp(Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx))))
}

/** Expected purchases in the next t weeks for a customer with this history (eq. 10). */
export function expectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0
  const { r, alpha, a, b } = p
  const head = (a + b + x - 1) / (a - 1)
  const tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
  const alive = x > 0 ? 1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 1
  return (head * tail) / alive
}

/** Expected purchases in t weeks for a customer just acquired, E[X(t)] (eq. 9): the holdout check by cohort. */
export function expectedPurchasesNew(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p
  return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
}
