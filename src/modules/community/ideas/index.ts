/** Ideas, weighted votes, the demand ladder and the merchandising feed (docs/community.md#ideas). */

export { demandRoutes } from './demand-routes.js'
export { type DemandSignal, type DemandSource, demandFeed, ideasDemandSources } from './feed.js'
export { createIdea, ideaCommentModeration, ideaModeration, ideasBoard, visibleIdea } from './ideas.js'
export { loopFigures } from './loop.js'
export { ideasMergeParticipant } from './merge.js'
export { ideasPrivacy } from './privacy.js'
export { routes as ideasRoutes } from './routes.js'
export { defaultIdeaSettings, getIdeaSettings, saveIdeaSettings } from './settings.js'
export { changeStatus, ideaAudience, mergeIdeas } from './status.js'
export { budgetOf, castVote, withdrawVote } from './votes.js'
