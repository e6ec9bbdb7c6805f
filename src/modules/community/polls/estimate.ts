/**
 * The pairwise estimate (docs/community.md, "Polls and pairwise surveys"): a Bradley–Terry model
 * P(i beats j) = π_i / (π_i + π_j) fitted to every choice, and for each option its score, the chance
 * it beats a randomly chosen other option, score_i = mean over j ≠ i of π_i / (π_i + π_j), with a 95%
 * interval.
 *
 * - Prior: every option is given one win and one loss against a fixed "average" option of strength 1
 *   (a standard logistic prior on log π). An option with only wins or only losses stays finite, the
 *   scale is anchored without renormalising, and with real data the two virtual games weigh nothing.
 * - Fit: Hunter's MM algorithm (2004) on the pair counts to start, then Newton's method to the mode.
 * - Interval: delta method on logit(score) from the posterior Hessian H (observed information plus
 *   prior). One voter's choices are correlated (their own tastes), so the covariance is also taken
 *   the cluster-robust way, H⁻¹ (Σ_voters g_v g_vᵀ) H⁻¹, and the wider of the two variances is used:
 *   the model's when voters are alike (the sandwich is noisy with few voters), the sandwich's when
 *   they differ. The logit scale keeps the interval inside (0, 1) and asymmetric near the ends.
 */

const z95 = 1.959963984540054
/** Above this many options the covariance is taken from its diagonal: a dense inverse costs n³. */
const denseLimit = 600

/** The comparisons behind an estimate, kept as small integers: one row per choice. */
export class PairwiseTally {
  readonly options: string[] = []
  private readonly optionIndex = new Map<string, number>()
  private readonly voterIndex = new Map<string, number>()
  voters = 0
  length = 0
  private voter = new Int32Array(1024)
  private winner = new Int32Array(1024)
  private loser = new Int32Array(1024)

  /** Adds one choice; a self-comparison is the caller's to refuse (it says nothing). */
  add(voter: string, winner: string, loser: string) {
    if (this.length === this.voter.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2)
        b.set(a)
        return b
      }
      this.voter = grow(this.voter)
      this.winner = grow(this.winner)
      this.loser = grow(this.loser)
    }
    let v = this.voterIndex.get(voter)
    if (v === undefined) {
      v = this.voters++
      this.voterIndex.set(voter, v)
    }
    this.voter[this.length] = v
    this.winner[this.length] = this.indexOf(winner)
    this.loser[this.length] = this.indexOf(loser)
    this.length++
  }

  /** Makes an option known even before anyone chose it (a poll's options). */
  indexOf(option: string) {
    let i = this.optionIndex.get(option)
    if (i === undefined) {
      i = this.options.length
      this.options.push(option)
      this.optionIndex.set(option, i)
    }
    return i
  }

  rows() {
    return { voter: this.voter.subarray(0, this.length), winner: this.winner.subarray(0, this.length), loser: this.loser.subarray(0, this.length) }
  }
}

export interface OptionEstimate {
  option: string
  /** The chance (0–1) it beats a randomly chosen other option. */
  score: number
  low: number
  high: number
  wins: number
  losses: number
  /** Bradley–Terry strength π (the average option has 1). */
  strength: number
}

export interface PairwiseEstimate {
  /** Best first. */
  options: OptionEstimate[]
  comparisons: number
  voters: number
  method: 'dense' | 'diagonal'
}

export interface Choice {
  voter: string
  winner: string
  loser: string
}

/** Fits a list of choices (self-comparisons skipped) or a tally built row by row. */
export function estimatePairwise(choices: PairwiseTally | Iterable<Choice>, knownOptions: string[] = []): PairwiseEstimate {
  let tally: PairwiseTally
  if (choices instanceof PairwiseTally) tally = choices
  else {
    tally = new PairwiseTally()
    for (const c of choices) if (c.winner !== c.loser) tally.add(c.voter, c.winner, c.loser)
  }
  for (const option of knownOptions) tally.indexOf(option)
  const n = tally.options.length
  if (n === 0) return { options: [], comparisons: 0, voters: 0, method: 'dense' }
  const { voter, winner, loser } = tally.rows()
  const pairs = pairCounts(n, winner, loser)
  const theta = fitStrengths(n, pairs)
  const pi = Array.from(theta, Math.exp)
  const dense = n <= denseLimit
  const hessian = posteriorHessian(n, pairs, pi, dense)
  const meat = voterScores(n, voter, winner, loser, pi, tally.voters, dense)
  const scores = scoresOf(n, pi)
  // With few voters the sandwich runs small: its quantile is Student's t on G − 1 degrees of freedom
  // (at least 4: below that the t's tails say more about the correction than about the data).
  const spread = (studentT975(Math.max(4, tally.voters - 1)) / z95) ** 2
  const variances = dense ? denseScoreVariances(n, pi, hessian, meat, spread) : diagonalScoreVariances(n, pi, hessian, meat, spread)
  const options = tally.options.map((option, i) => {
    const score = scores[i]
    const sd = Math.sqrt(variances[i]) / (score * (1 - score))
    const logit = Math.log(score / (1 - score))
    return {
      option,
      score,
      low: Math.min(score, expit(logit - z95 * sd)),
      high: Math.max(score, expit(logit + z95 * sd)),
      wins: pairs.winsOf[i],
      losses: pairs.lossesOf[i],
      strength: pi[i],
    }
  })
  options.sort((a, b) => b.score - a.score || a.option.localeCompare(b.option))
  return { options, comparisons: tally.length, voters: tally.voters, method: dense ? 'dense' : 'diagonal' }
}

const expit = (x: number) => 1 / (1 + Math.exp(-x))

interface PairCounts {
  a: Int32Array
  b: Int32Array
  /** a beat b, b beat a */
  ab: Float64Array
  ba: Float64Array
  winsOf: Float64Array
  lossesOf: Float64Array
}

/** The choices folded into one row per pair of options that met. */
function pairCounts(n: number, winner: Int32Array, loser: Int32Array): PairCounts {
  const index = new Map<number, number>()
  const a: number[] = []
  const b: number[] = []
  const ab: number[] = []
  const ba: number[] = []
  const winsOf = new Float64Array(n)
  const lossesOf = new Float64Array(n)
  for (let r = 0; r < winner.length; r++) {
    const w = winner[r]
    const l = loser[r]
    winsOf[w]++
    lossesOf[l]++
    const lo = Math.min(w, l)
    const key = lo * n + Math.max(w, l)
    let p = index.get(key)
    if (p === undefined) {
      p = a.length
      index.set(key, p)
      a.push(lo)
      b.push(Math.max(w, l))
      ab.push(0)
      ba.push(0)
    }
    if (w === lo) ab[p]++
    else ba[p]++
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b), ab: Float64Array.from(ab), ba: Float64Array.from(ba), winsOf, lossesOf }
}

/**
 * log π at the posterior mode: a few MM steps to start, then Newton's method, each step solved by
 * conjugate gradients on Hessian-vector products (one pass over the pairs each), so even thousands
 * of options fit without an n×n matrix.
 */
function fitStrengths(n: number, pairs: PairCounts): Float64Array {
  const pi = new Float64Array(n).fill(1)
  const denominator = new Float64Array(n)
  for (let iteration = 0; iteration < 30; iteration++) {
    denominator.fill(0)
    for (let p = 0; p < pairs.a.length; p++) {
      const i = pairs.a[p]
      const j = pairs.b[p]
      const d = (pairs.ab[p] + pairs.ba[p]) / (pi[i] + pi[j])
      denominator[i] += d
      denominator[j] += d
    }
    // The prior's two games against the average option (strength 1): one won, one lost.
    for (let i = 0; i < n; i++) pi[i] = (pairs.winsOf[i] + 1) / (denominator[i] + 2 / (pi[i] + 1))
  }
  const theta = pi.map(Math.log)
  for (let step = 0; step < 100; step++) {
    const strengths = Array.from(theta, Math.exp)
    const gradient = new Float64Array(n)
    const weight = new Float64Array(pairs.a.length)
    const diagonal = new Float64Array(n)
    for (let p = 0; p < pairs.a.length; p++) {
      const i = pairs.a[p]
      const j = pairs.b[p]
      const pij = strengths[i] / (strengths[i] + strengths[j])
      const g = pairs.ab[p] - (pairs.ab[p] + pairs.ba[p]) * pij
      gradient[i] += g
      gradient[j] -= g
      weight[p] = (pairs.ab[p] + pairs.ba[p]) * pij * (1 - pij)
      diagonal[i] += weight[p]
      diagonal[j] += weight[p]
    }
    let largest = 0
    for (let i = 0; i < n; i++) {
      const q = strengths[i] / (strengths[i] + 1)
      gradient[i] += 1 - 2 * q
      diagonal[i] += 2 * q * (1 - q)
      largest = Math.max(largest, Math.abs(gradient[i]))
    }
    if (largest < 1e-9) break
    const times = (x: Float64Array, into: Float64Array) => {
      for (let i = 0; i < n; i++) into[i] = diagonal[i] * x[i]
      for (let p = 0; p < pairs.a.length; p++) {
        const i = pairs.a[p]
        const j = pairs.b[p]
        into[i] -= weight[p] * x[j]
        into[j] -= weight[p] * x[i]
      }
    }
    const direction = conjugateGradient(n, times, diagonal, gradient)
    const before = logPosterior(pairs, theta)
    let moved = false
    for (let t = 1; t > 1e-8; t /= 2) {
      const candidate = theta.map((x, i) => x + t * direction[i])
      if (logPosterior(pairs, candidate) >= before - 1e-12 * Math.abs(before)) {
        theta.set(candidate)
        moved = true
        break
      }
    }
    if (!moved) break
  }
  return theta
}

/** Solves Hx = b for symmetric positive definite H (given as a product), preconditioned by its diagonal. */
function conjugateGradient(n: number, times: (x: Float64Array, into: Float64Array) => void, diagonal: Float64Array, b: Float64Array) {
  const x = new Float64Array(n)
  const r = Float64Array.from(b)
  const z = r.map((ri, i) => ri / diagonal[i])
  const p = Float64Array.from(z)
  const hp = new Float64Array(n)
  let rz = dot(r, z)
  const target = 1e-24 * Math.max(1e-300, dot(b, b))
  for (let iteration = 0; iteration < Math.max(50, 4 * n) && dot(r, r) > target; iteration++) {
    times(p, hp)
    const alpha = rz / dot(p, hp)
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i]
      r[i] -= alpha * hp[i]
      z[i] = r[i] / diagonal[i]
    }
    const next = dot(r, z)
    for (let i = 0; i < n; i++) p[i] = z[i] + (next / rz) * p[i]
    rz = next
  }
  return x
}
const dot = (a: Float64Array, b: Float64Array) => {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i]
  return sum
}

/** Log posterior (up to a constant) at θ. */
function logPosterior(pairs: PairCounts, theta: Float64Array) {
  let sum = 0
  for (let p = 0; p < pairs.a.length; p++) {
    const d = theta[pairs.a[p]] - theta[pairs.b[p]]
    sum -= pairs.ab[p] * softplus(-d) + pairs.ba[p] * softplus(d)
  }
  for (let i = 0; i < theta.length; i++) sum -= softplus(-theta[i]) + softplus(theta[i])
  return sum
}
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)))

/** −∂² log posterior / ∂θ²: a dense n×n row-major matrix, or its diagonal alone. */
function posteriorHessian(n: number, pairs: PairCounts, pi: ArrayLike<number>, dense: boolean): Float64Array {
  const h = new Float64Array(dense ? n * n : n)
  const at = (i: number, j: number) => (dense ? i * n + j : i)
  for (let p = 0; p < pairs.a.length; p++) {
    const i = pairs.a[p]
    const j = pairs.b[p]
    const pij = pi[i] / (pi[i] + pi[j])
    const w = (pairs.ab[p] + pairs.ba[p]) * pij * (1 - pij)
    h[at(i, i)] += w
    h[at(j, j)] += w
    if (dense) {
      h[i * n + j] -= w
      h[j * n + i] -= w
    }
  }
  for (let i = 0; i < n; i++) {
    const q = pi[i] / (pi[i] + 1)
    h[at(i, i)] += 2 * q * (1 - q)
  }
  return h
}

/**
 * Σ over voters of g_v g_vᵀ, g_v being the gradient of voter v's own choices' log-likelihood, times
 * G/(G−1) for G voters: the "meat" of the cluster-robust covariance (dense, or its diagonal).
 */
function voterScores(n: number, voter: Int32Array, winner: Int32Array, loser: Int32Array, pi: number[], voters: number, dense: boolean) {
  const meat = new Float64Array(dense ? n * n : n)
  if (voters < 2) return meat
  // Rows grouped by voter (a counting sort), so each voter's gradient is summed in one pass.
  const start = new Int32Array(voters + 1)
  for (let r = 0; r < voter.length; r++) start[voter[r] + 1]++
  for (let v = 0; v < voters; v++) start[v + 1] += start[v]
  const fill = start.slice(0, voters)
  const order = new Int32Array(voter.length)
  for (let r = 0; r < voter.length; r++) order[fill[voter[r]]++] = r
  const g = new Float64Array(n)
  const touched: number[] = []
  const touch = (i: number, x: number) => {
    if (g[i] === 0) touched.push(i)
    g[i] += x
  }
  for (let v = 0; v < voters; v++) {
    for (let k = start[v]; k < start[v + 1]; k++) {
      const w = winner[order[k]]
      const l = loser[order[k]]
      const surprise = pi[l] / (pi[w] + pi[l])
      touch(w, surprise)
      touch(l, -surprise)
    }
    for (const i of touched) {
      if (dense) for (const j of touched) meat[i * n + j] += g[i] * g[j]
      else meat[i] += g[i] * g[i]
    }
    for (const i of touched) g[i] = 0
    touched.length = 0
  }
  const small = voters / (voters - 1)
  for (let k = 0; k < meat.length; k++) meat[k] *= small
  return meat
}

function scoresOf(n: number, pi: number[]) {
  const scores = new Float64Array(n)
  if (n === 1) return scores.fill(0.5)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let j = 0; j < n; j++) if (j !== i) sum += pi[i] / (pi[i] + pi[j])
    scores[i] = sum / (n - 1)
  }
  return scores
}

/** ∂score_i/∂θ: +mean_j p_ij p_ji for i itself, −p_ij p_ji/(n−1) for each other j. */
function scoreGradient(n: number, pi: number[], i: number, into: Float64Array) {
  into.fill(0)
  for (let j = 0; j < n; j++) {
    if (j === i) continue
    const p = pi[i] / (pi[i] + pi[j])
    into[i] += (p * (1 - p)) / (n - 1)
    into[j] = -(p * (1 - p)) / (n - 1)
  }
}

/** Student's t 97.5% quantile on ν degrees of freedom (Cornish–Fisher expansion about the normal's; within 0.5% from ν = 3). */
export function studentT975(nu: number) {
  if (!(nu >= 3)) throw new RangeError('studentT975 is for 3 or more degrees of freedom')
  const z = z95
  return (
    z +
    (z ** 3 + z) / (4 * nu) +
    (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * nu ** 2) +
    (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * nu ** 3) +
    (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / (92160 * nu ** 4)
  )
}

/** Each score's variance: the model's, or the voter-robust one scaled by `spread`, whichever is larger. */
function denseScoreVariances(n: number, pi: number[], hessian: Float64Array, meat: Float64Array, spread: number) {
  const factor = cholesky(hessian, n)
  const variances = new Float64Array(n)
  const g = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (n === 1) break
    scoreGradient(n, pi, i, g)
    const a = choleskySolve(factor, n, g)
    let model = 0
    for (let k = 0; k < n; k++) model += g[k] * a[k]
    let robust = 0
    for (let r = 0; r < n; r++) {
      if (a[r] === 0) continue
      let row = 0
      for (let c = 0; c < n; c++) row += meat[r * n + c] * a[c]
      robust += a[r] * row
    }
    variances[i] = Math.max(model, spread * robust)
  }
  return variances
}

/** For very many options: each θ's variance from the diagonal alone, covariances left out. */
function diagonalScoreVariances(n: number, pi: number[], hessian: Float64Array, meat: Float64Array, spread: number) {
  const each = Array.from(hessian, (h, i) => Math.max(1 / h, (spread * meat[i]) / (h * h)))
  const variances = new Float64Array(n)
  const g = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    scoreGradient(n, pi, i, g)
    for (let k = 0; k < n; k++) variances[i] += g[k] * g[k] * each[k]
  }
  return variances
}

/** Lower-triangular L with LLᵀ = A (A symmetric positive definite, row-major). */
function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k]
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j * n + j]
    }
  }
  return l
}

function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = Float64Array.from(b)
  for (let i = 0; i < n; i++) {
    let sum = y[i]
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * y[k]
    y[i] = sum / l[i * n + i]
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * y[k]
    y[i] = sum / l[i * n + i]
  }
  return y
}
