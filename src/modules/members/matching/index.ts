/** Telling whether two member records are one person (probabilistic; the deterministic rule is a shared identifier). */
export { addressSimilarity, jaroWinkler, nameSimilarity, soundex } from './compare.js'
export { type Evaluation, evaluateFebrl, readFebrl } from './febrl.js'
export { blockingKeys, type FoundPair, findDuplicates } from './find.js'
export { type PairScore, type PersonRecord, sameThreshold, scorePair } from './score.js'
