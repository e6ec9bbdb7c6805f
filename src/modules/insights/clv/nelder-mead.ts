/**
 * Minimises f from x0 by Nelder–Mead (standard coefficients), restarting once from the best point
 * so a collapsed simplex cannot stop it early. Small and dependency-free: the CLV models have four
 * parameters at most, fitted in log space by the caller.
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  { step = 0.5, tolerance = 1e-10, maxIterations = 4000, restarts = 1 } = {},
): { x: number[]; value: number; iterations: number } {
  let best = { x: x0, value: f(x0), iterations: 0 }
  for (let round = 0; round <= restarts; round++) {
    const result = simplexSearch(f, best.x, step, tolerance, maxIterations)
    const improved = result.value < best.value - tolerance
    best = { ...result, iterations: best.iterations + result.iterations }
    if (!improved && round > 0) break
  }
  return best
}

function simplexSearch(f: (x: number[]) => number, x0: number[], step: number, tolerance: number, maxIterations: number) {
  const n = x0.length
  const points = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))]
  let values = points.map(f)
  let iterations = 0
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i] - v))
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j])
    const sorted = order.map((i) => points[i])
    values = order.map((i) => values[i])
    points.splice(0, points.length, ...sorted)
    const spread = Math.abs(values[n] - values[0])
    const size = Math.max(...points.slice(1).map((p) => Math.max(...p.map((v, i) => Math.abs(v - points[0][i])))))
    if (spread <= tolerance * (1 + Math.abs(values[0])) && size <= 1e-8) break
    const centroid = x0.map((_, i) => points.slice(0, n).reduce((sum, p) => sum + p[i], 0) / n)
    const worst = points[n]
    const reflected = combine(centroid, worst, -1)
    const fr = f(reflected)
    if (fr < values[0]) {
      const expanded = combine(centroid, worst, -2)
      const fe = f(expanded)
      ;[points[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr]
    } else if (fr < values[n - 1]) {
      ;[points[n], values[n]] = [reflected, fr]
    } else {
      const outside = fr < values[n]
      const contracted = outside ? combine(centroid, reflected, 0.5) : combine(centroid, worst, 0.5)
      const fc = f(contracted)
      if (fc < (outside ? fr : values[n])) {
        ;[points[n], values[n]] = [contracted, fc]
      } else {
        for (let i = 1; i <= n; i++) {
          points[i] = combine(points[0], points[i], 0.5)
          values[i] = f(points[i])
        }
      }
    }
  }
  const bestIndex = values.indexOf(Math.min(...values))
  return { x: points[bestIndex], value: values[bestIndex], iterations }
}
