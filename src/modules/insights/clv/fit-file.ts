import { type BgNbdParams, expectedPurchases, fitBgNbd } from './bgnbd.js'
import { fitGammaGamma, type GammaGammaParams } from './gamma-gamma.js'
import { calibrate, readCdnow, readGeneric } from './summaries.js'

export interface ClvFit {
  file: string
  format: 'cdnow' | 'generic'
  customers: number
  repeatCustomers: number
  calibrationEnd: string
  observationEnd: string
  bgnbd: BgNbdParams
  gammaGamma: GammaGammaParams | null
  holdout: {
    weeks: number
    predicted: number
    actual: number
    /** Customers grouped by repeat purchases in calibration (7+ together): average predicted and actual. */
    byFrequency: { frequency: string; customers: number; predicted: number; actual: number }[]
  }
  seconds: number
}

const round = (n: number, digits = 4) => Number(n.toFixed(digits))

/**
 * Fits both models on a transaction file and checks BG/NBD on the holdout weeks: the purchases it
 * expects each customer to make after the calibration end against the purchases they made.
 */
export async function fitClvFile(file: string, options: { format: 'cdnow' | 'generic'; calibrationEnd: string; observationEnd?: string }): Promise<ClvFit> {
  const started = performance.now()
  const data = await calibrate(options.format === 'cdnow' ? readCdnow(file) : readGeneric(file), options.calibrationEnd, options.observationEnd)
  const bgnbd = fitBgNbd(data)
  const repeaters = [...data.x.keys()].filter((i) => data.x[i] > 0 && data.m[i] > 0)
  const gammaGamma =
    repeaters.length >= 10 ? fitGammaGamma({ x: Float64Array.from(repeaters, (i) => data.x[i]), m: Float64Array.from(repeaters, (i) => data.m[i]) }) : null
  const groups = new Map<string, { customers: number; predicted: number; actual: number }>()
  let predicted = 0
  let actual = 0
  for (let i = 0; i < data.x.length; i++) {
    const expected = expectedPurchases(bgnbd, data.holdoutWeeks, data.x[i], data.tx[i], data.T[i])
    predicted += expected
    actual += data.holdout[i]
    const key = data.x[i] >= 7 ? '7+' : String(data.x[i])
    const group = groups.get(key) ?? { customers: 0, predicted: 0, actual: 0 }
    group.customers++
    group.predicted += expected
    group.actual += data.holdout[i]
    groups.set(key, group)
  }
  const byFrequency = ['0', '1', '2', '3', '4', '5', '6', '7+'].flatMap((frequency) => {
    const g = groups.get(frequency)
    return g ? [{ frequency, customers: g.customers, predicted: round(g.predicted / g.customers, 3), actual: round(g.actual / g.customers, 3) }] : []
  })
  return {
    file,
    format: options.format,
    customers: data.customers.length,
    repeatCustomers: repeaters.length,
    calibrationEnd: data.calibrationEnd,
    observationEnd: data.observationEnd,
    bgnbd: { r: round(bgnbd.r), alpha: round(bgnbd.alpha), a: round(bgnbd.a), b: round(bgnbd.b), logLikelihood: round(bgnbd.logLikelihood, 2) },
    gammaGamma: gammaGamma && {
      p: round(gammaGamma.p),
      q: round(gammaGamma.q),
      gamma: round(gammaGamma.gamma),
      logLikelihood: round(gammaGamma.logLikelihood, 2),
    },
    holdout: { weeks: round(data.holdoutWeeks, 2), predicted: round(predicted, 1), actual, byFrequency },
    seconds: round((performance.now() - started) / 1000, 3),
  }
}
