/** Telling whether two member records are one person: probabilistic (Fellegi–Sunter), with in-memory blocking and a Febrl yardstick. */
export { compareAddresses, compareDates, compareNames, jaroWinkler, oneSlipApart, soundex } from './compare.js'
export { type Evaluation, evaluateFebrl, readFebrl } from './febrl.js'
export { type FindOptions, type FoundPair, findDuplicates } from './find.js'
export { type PairScore, type PersonRecord, sameThreshold, scorePair } from './score.js'
