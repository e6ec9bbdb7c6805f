/** Polls on the product mix: classic polls and pairwise "which do you prefer?" surveys (docs/community.md). */

export { pollsDemand } from './demand.js'
export { type Choice, estimatePairwise, type OptionEstimate, type PairwiseEstimate, PairwiseTally } from './estimate.js'
export { choosePair, nextPair, pollOptionModeration, reviewOption, suggestOption } from './pairwise.js'
export { type PairwiseFile, readPairwiseFile, UnreadablePairwiseFile } from './pairwise-file.js'
export { pollsPrivacy } from './privacy.js'
export { breakdownSegments, type OptionResult, pollResults, type ResultGroup } from './results.js'
export { routes as pollRoutes } from './routes.js'
export { answerPoll, closePoll, createPoll, listPolls, pollAnsweredKind, pollsNearMe } from './service.js'
