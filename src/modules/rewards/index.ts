/** Relationship rewards: the points ledger, earning rules as data, the rewards catalogue and redemption. */
import type { Config } from '../../platform/config.js'
import type { ActivityListener } from '../activity/index.js'
import type { MergeParticipant } from '../identity/index.js'
import { onActivities } from './earn.js'
import { mergePoints, unmergePoints } from './merge.js'

export { rewardsAuditNames } from './audit-names.js'
export { ledgerProblems } from './invariants.js'
export { expirePoints, jobs, releasePendingPoints, runRewardJobs } from './jobs.js'
export { balanceOf, lockBalances, NotEnoughPoints } from './ledger.js'
export { adjustPoints, availablePoints, pointsHistory, pointsSummary } from './points.js'
export { cancelRedemption, confirmRedemption, listRewards, redeem, saveReward } from './redeem.js'

export { claimReferral, referralCodeOf, referralCodeOwner, referralPartners } from './referrals.js'
export { routes } from './routes/index.js'

export { activeRules, listRules, saveRule } from './rule-store.js'
export { evaluate, type RuleDocument, ruleErrors } from './rules.js'
export * from './schema.js'
export { type ActivityPointsChange, restoreActivityPoints, takeBackActivityPoints } from './take-back.js'
export { evaluateTiers, saveTierSetup, type TierSetup, tierOf, tierSetup } from './tiers.js'

/** Points are earned in the transaction that records the activity (wired in src/composition.ts). */
export const earnOnActivity =
  (config: Pick<Config, 'pointsExpiryMonths'>): ActivityListener =>
  (db, activities, now) =>
    onActivities(db, activities, now, config.pointsExpiryMonths)

/** Points, lots, holds and redemptions follow merges (wired in src/composition.ts). */
export const rewardsMergeParticipant: MergeParticipant = {
  name: 'rewards',
  merge: mergePoints,
  unmerge: (db, merged, survivor, moved) => unmergePoints(db, merged, survivor, moved as Parameters<typeof unmergePoints>[3]),
}
export { rewardsPrivacy } from './privacy.js'
