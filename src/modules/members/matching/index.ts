/** Telling whether member records are one person: Fellegi–Sunter scoring, in-memory blocking, and the Febrl yardstick. */
export { type Evaluation, evaluateFebrl, readFebrl } from './febrl.js'
export { type FindOptions, type FoundPair, findDuplicates } from './find.js'
export { type PairScore, type PersonRecord, type ScoreOptions, sameThreshold, scorePair } from './score.js'
