/** Polls on the product mix: classic polls and pairwise "which do you prefer?" surveys (docs/community.md). */
export { type Choice, estimatePairwise, type OptionEstimate, type PairwiseEstimate, PairwiseTally } from './estimate.js'
export { type PairwiseFile, readPairwiseFile, UnreadablePairwiseFile } from './pairwise-file.js'
