/** Relationship measures for leadership, store managers and associates: scores, segments, value, retention, scorecards. */

export { type ClvFit, fitClvFile } from './clv/index.js'
export { atRisk } from './dashboard.js'
export { jobs } from './jobs.js'
export { insightsPrivacy } from './privacy.js'
export { forgetWithdrawn, type RefreshSummary, refreshChangedMembers, refreshInsights } from './refresh.js'
export { routes } from './routes.js'
export * from './schema.js'
export { relationshipScore } from './scores.js'
export { latestSegments } from './segment-of.js'
export { overview } from './service.js'
export { defaultInsightsSettings, getInsightsSettings, saveInsightsSettings } from './settings.js'
