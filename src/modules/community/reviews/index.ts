/** Reviews and questions on products, the embeddable widget and the import of existing reviews (docs/community.md). */

export { reviewsDemand } from './demand.js'
export { importReviews, type ReviewImportSummary } from './import.js'
export { reviewsMergeParticipant } from './merge.js'
export { participationKinds } from './participation.js'
export { reviewsPrivacy } from './privacy.js'
export { questionRoutes } from './question-routes.js'
export { questionsToAnswer, setAnswerVisible, setQuestionVisible } from './questions.js'
export { myReviews, setReviewVisible, writeReview } from './reviews.js'
export { reviewRoutes } from './routes.js'
export { reviewModerationTargets } from './targets.js'
export { reviewThemes, type Themes } from './themes.js'
export { registerWidget } from './widget.js'
