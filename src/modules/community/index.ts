/** The community: reviews and Q&A, ideas, polls, moderation and notifications (docs/community.md). */

import { notificationJobs } from './notifications/index.js'

export { followIdea } from './ideas/ideas.js'
export * from './ideas/index.js'
export { recordDemand } from './ideas/ladder.js'
export * from './moderation/index.js'
export * from './notifications/index.js'
export * from './polls/index.js'
export {
  importReviews,
  myReviews,
  participationKinds,
  registerWidget,
  reviewModerationTargets,
  reviewsDemand,
  reviewsMergeParticipant,
  reviewsPrivacy,
  reviewThemes,
  setReviewVisible,
  writeReview,
} from './reviews/index.js'
export { answerQuestion, askQuestion } from './reviews/questions.js'
export { replyToReview } from './reviews/reviews.js'
export { routes } from './routes.js'

/** The community's background jobs. */
export const jobs = [...notificationJobs]
