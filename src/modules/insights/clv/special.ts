import gammaln from '@stdlib/math-base-special-gammaln'

export { gammaln }

/** ln(e^a + e^b) without overflow. */
export const logAddExp = (a: number, b: number) => (a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b)))

/**
 * Gauss's hypergeometric 2F1(a, b; c; z) for 0 ≤ z < 1 by its power series, summed until a term no
 * longer changes the sum. The CLV formulas only need z = t / (α + T + t), which stays below 1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z < 0 || z >= 1) throw new RangeError(`hyp2f1 needs 0 ≤ z < 1, got ${z}`)
  let term = 1
  let sum = 1
  for (let k = 0; k < 100_000; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z
    sum += term
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) return sum
  }
  return sum
}
