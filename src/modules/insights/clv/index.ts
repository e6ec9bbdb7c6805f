/** Customer lifetime value: BG/NBD for repeat buying, Gamma-Gamma for spend (docs/insights.md). */
export {
  type BgNbdParams,
  bgnbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesNew,
  fitBgNbd,
  probabilityAlive,
  type Summaries,
} from './bgnbd.js'
export { type ClvFit, fitClvFile } from './fit-file.js'
export {
  customerLifetimeValue,
  expectedAverageSpend,
  fitGammaGamma,
  type GammaGammaParams,
  gammaGammaLogLikelihood,
  type SpendSummaries,
} from './gamma-gamma.js'
export { type Calibration, calibrate, readCdnow, readGeneric, type Transaction } from './summaries.js'
