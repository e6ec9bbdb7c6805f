/** Relationship rewards: the points ledger, earning rules as data, the rewards catalogue and redemption. */
import { onActivitiesRecorded } from '../activity/index.js'
import { registerMergeParticipant } from '../identity/index.js'
import { onActivities } from './earn.js'
import { mergePoints, unmergePoints } from './merge.js'

export { onActivities as earnFor } from './earn.js'
export { expirePoints, jobs, releasePendingPoints, runRewardJobs } from './jobs.js'
export { balanceOf, lockBalances, NotEnoughPoints } from './ledger.js'
export { adjustPoints, pointsHistory, pointsSummary } from './points.js'
export { cancelRedemption, confirmRedemption, listRewards, redeem, saveReward } from './redeem.js'
export { routes } from './routes.js'
export { activeRules, listRules, saveRule } from './rule-store.js'
export { evaluate, type RuleDocument, ruleErrors } from './rules.js'
export * from './schema.js'
export { evaluateTiers, saveTierSetup, type TierSetup, tierOf, tierSetup } from './tiers.js'

/** Points follow activity (in its transaction) and merges; call once at start-up. */
export function registerRewards(expiryMonths: () => number) {
  onActivitiesRecorded('rewards', (db, activities, now) => onActivities(db, activities, now, expiryMonths()))
  registerMergeParticipant({
    name: 'rewards',
    merge: mergePoints,
    unmerge: (db, merged, survivor, moved) => unmergePoints(db, merged, survivor, moved as Parameters<typeof unmergePoints>[3]),
  })
}
export { rewardsPrivacy } from './privacy.js'
