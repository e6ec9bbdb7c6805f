import { describe, expect, it } from 'vitest'
import { type Choice, estimatePairwise } from './estimate.js'

/** A small seeded generator (mulberry32), so every simulation here is the same on every run. */
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
const beats = (a: number, b: number) => 1 / (1 + Math.exp(b - a))

/**
 * Voters shown random pairs of options with true strengths θ (log π); each voter's own tastes are
 * θ plus noise of sd `tastes`, so one voter's choices are correlated as in real surveys.
 */
function simulate(r: () => number, theta: number[], voters: number, each: number, tastes = 0): Choice[] {
  const choices: Choice[] = []
  for (let v = 0; v < voters; v++) {
    const own = theta.map((t) => t + tastes * normal(r))
    for (let k = 0; k < each; k++) {
      const i = Math.floor(r() * theta.length)
      let j = Math.floor(r() * (theta.length - 1))
      if (j >= i) j++
      const [winner, loser] = r() < beats(own[i], own[j]) ? [i, j] : [j, i]
      choices.push({ voter: `voter ${v}`, winner: `option ${winner}`, loser: `option ${loser}` })
    }
  }
  return choices
}

/** score_i = mean over j ≠ i of P(i beats j), from the true strengths. */
const trueScores = (theta: number[]) => theta.map((ti, i) => theta.reduce((sum, tj, j) => sum + (j === i ? 0 : beats(ti, tj)), 0) / (theta.length - 1))

function kendall(a: number[], b: number[]) {
  let concordant = 0
  let pairs = 0
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      pairs++
      concordant += Math.sign(a[i] - a[j]) * Math.sign(b[i] - b[j])
    }
  return concordant / pairs
}
const scoreOf = (estimate: ReturnType<typeof estimatePairwise>, count: number) =>
  Array.from({ length: count }, (_, i) => estimate.options.find((o) => o.option === `option ${i}`) as (typeof estimate.options)[number])

describe('the pairwise estimate (Bradley–Terry)', () => {
  it('recovers a known ranking from simulated voters', () => {
    const theta = Array.from({ length: 12 }, (_, i) => 1.5 - (3 * i) / 11)
    const estimate = estimatePairwise(simulate(random(1), theta, 300, 20))
    const found = scoreOf(estimate, theta.length)
    expect(
      kendall(
        found.map((o) => o.score),
        trueScores(theta),
      ),
    ).toBeGreaterThan(0.9)
    expect(estimate.options[0].option).toBe('option 0')
    expect(estimate.options.at(-1)?.option).toBe('option 11')
    // Scores are chances against a random other option: they average one half.
    expect(found.reduce((sum, o) => sum + o.score, 0) / theta.length).toBeCloseTo(0.5, 6)
    for (const o of found) expect(o.low <= o.score && o.score <= o.high && o.low > 0 && o.high < 1).toBe(true)
  })

  it('recovers the order when voters have tastes of their own', () => {
    const theta = Array.from({ length: 10 }, (_, i) => 1.2 - (2.4 * i) / 9)
    const estimate = estimatePairwise(simulate(random(2), theta, 200, 25, 0.8))
    expect(
      kendall(
        scoreOf(estimate, theta.length).map((o) => o.score),
        theta,
      ),
    ).toBeGreaterThan(0.85)
  })

  it('covers the true scores about 95% of the time over repeated surveys', () => {
    let covered = 0
    let intervals = 0
    for (let survey = 0; survey < 60; survey++) {
      const r = random(100 + survey)
      const theta = Array.from({ length: 8 }, () => 1.2 * normal(r))
      const truth = trueScores(theta)
      scoreOf(estimatePairwise(simulate(r, theta, 60, 10)), theta.length).forEach((o, i) => {
        intervals++
        if (o.low <= truth[i] && truth[i] <= o.high) covered++
      })
    }
    expect(covered / intervals).toBeGreaterThan(0.92)
    expect(covered / intervals).toBeLessThan(0.99)
  })

  it('covers the population score when voters differ, by treating each voter as one cluster of choices', () => {
    let covered = 0
    let intervals = 0
    const tastes = 1
    for (let survey = 0; survey < 40; survey++) {
      const r = random(500 + survey)
      const theta = Array.from({ length: 6 }, () => normal(r))
      // The chance a random voter prefers i to a random other option, by Monte Carlo over voters' tastes.
      const mc = random(9)
      const truth = theta.map((ti, i) => {
        let sum = 0
        for (let k = 0; k < 4000; k++) {
          let j = Math.floor(mc() * (theta.length - 1))
          if (j >= i) j++
          sum += beats(ti + tastes * normal(mc), theta[j] + tastes * normal(mc))
        }
        return sum / 4000
      })
      scoreOf(estimatePairwise(simulate(r, theta, 15, 40, tastes)), theta.length).forEach((o, i) => {
        intervals++
        if (o.low <= truth[i] && truth[i] <= o.high) covered++
      })
    }
    expect(covered / intervals).toBeGreaterThan(0.9)
  })

  it('agrees with the analytic answer for two options', () => {
    // 700 of 1,000 choices for A: the maximum-likelihood chance is 0.7, its logit interval ±1.96/√(N p(1−p)).
    const choices = Array.from({ length: 1000 }, (_, k) =>
      k < 700 ? { voter: `v${k}`, winner: 'A', loser: 'B' } : { voter: `v${k}`, winner: 'B', loser: 'A' },
    )
    const [a, b] = estimatePairwise(choices).options
    expect(a.option).toBe('A')
    expect(a.score).toBeCloseTo(0.7, 2)
    expect(a.score + b.score).toBeCloseTo(1, 9)
    const half = 1.959964 / Math.sqrt(1000 * 0.7 * 0.3)
    const logit = Math.log(0.7 / 0.3)
    expect(a.low).toBeCloseTo(1 / (1 + Math.exp(-(logit - half))), 2)
    expect(a.high).toBeCloseTo(1 / (1 + Math.exp(-(logit + half))), 2)
  })

  it('keeps options that only won or only lost finite, and leaves self-comparisons out', () => {
    const choices: Choice[] = [
      { voter: 'a', winner: 'Cold brew', loser: 'Chai' },
      { voter: 'b', winner: 'Cold brew', loser: 'Matcha' },
      { voter: 'c', winner: 'Matcha', loser: 'Chai' },
      { voter: 'c', winner: 'Chai', loser: 'Chai' },
    ]
    const estimate = estimatePairwise(choices)
    expect(estimate.comparisons).toBe(3)
    expect(estimate.options.map((o) => o.option)).toEqual(['Cold brew', 'Matcha', 'Chai'])
    for (const o of estimate.options) {
      expect(Number.isFinite(o.strength) && o.score > 0 && o.score < 1).toBe(true)
      expect(o.low).toBeLessThanOrEqual(o.score)
      expect(o.high).toBeGreaterThanOrEqual(o.score)
    }
  })

  it('fits a hundred thousand choices among a thousand options', () => {
    const r = random(3)
    const theta = Array.from({ length: 1000 }, () => normal(r))
    const estimate = estimatePairwise(simulate(r, theta, 2000, 50))
    expect(estimate.method).toBe('diagonal')
    expect(
      kendall(
        scoreOf(estimate, theta.length).map((o) => o.score),
        theta,
      ),
    ).toBeGreaterThan(0.6)
  })
})
