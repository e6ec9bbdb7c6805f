import * as accounts from './modules/accounts/index.js'
import * as activity from './modules/activity/index.js'
import * as advisor from './modules/advisor/index.js'
import * as community from './modules/community/index.js'
import * as identity from './modules/identity/index.js'
import * as insights from './modules/insights/index.js'
import * as members from './modules/members/index.js'
import * as rewards from './modules/rewards/index.js'
import * as social from './modules/social/index.js'
import * as rooms from './modules/social/rooms/index.js'
import { auditPrivacy } from './platform/audit/privacy.js'
import type { Config } from './platform/config.js'
import type { Deps, Wiring } from './platform/deps.js'
import { outboxPrivacy } from './platform/outbox/privacy.js'

/**
 * The one place modules are wired to each other: who acts on new activity in its transaction,
 * whose member data moves with a merge, where suggestions come from, what each module exports and
 * erases on a privacy request. The server, the CLI, jobs,
 * benchmarks and tests all build their Deps with composeDeps, so a purchase earns points however
 * it was recorded. A new module that hooks in adds itself here.
 */
export function wire(config: Pick<Config, 'pointsExpiryMonths'>): Wiring {
  return {
    activityListeners: [rewards.earnOnActivity(config), rooms.attributeRoomPurchases],
    mergeParticipants: [
      rewards.rewardsMergeParticipant,
      advisor.advisorMergeParticipant,
      social.socialMergeParticipant,
      rooms.roomsMergeParticipant,
      community.ideasMergeParticipant,
      community.reviewsMergeParticipant,
      community.moderationMergeParticipant,
    ],
    roomTools: rooms.builtinTools,
    suggestionSources: [],
    duplicateEvidence: [activity.purchaseCounts, rewards.availablePoints],
    auditNames: [members.memberAuditNames, rewards.rewardsAuditNames, accounts.accountsAuditNames, activity.storeAuditNames],
    // The merchandising feed's demand, each source owned by the module that knows it.
    demandSources: [...community.ideasDemandSources, community.pollsDemand, community.reviewsDemand, activity.backInStockDemand],
    feedSources: [...social.sharingFeedSources, ...rooms.roomFeedSources],
    // Each community part that owns content registers its kind, so the queue can hide and restore it.
    moderationTargets: [community.ideaCommentModeration, community.pollOptionModeration],
    memberDataParts: [
      auditPrivacy,
      outboxPrivacy,
      identity.identityPrivacy,
      rooms.roomsPrivacy,
      community.ideasPrivacy,
      community.reviewsPrivacy,
      community.moderationPrivacy,
      community.notificationsPrivacy,
      community.pollsPrivacy,
      advisor.advisorPrivacy,
      social.socialPrivacy,
      insights.insightsPrivacy,
      rewards.rewardsPrivacy,
      activity.activityPrivacy,
      accounts.accountsPrivacy,
      members.membersPrivacy,
    ],
  }
}

/** Deps over an open database, wired. */
export function composeDeps(parts: Omit<Deps, 'wiring'>): Deps {
  const deps = { ...parts, wiring: wire(parts.config) }
  // Moderation targets get only the queue's transaction; reviews' and ideas' consequences (points,
  // the advisor's taste, participation on the timeline) need the clock, config and wiring too, so
  // they are bound to these deps.
  deps.wiring.moderationTargets.push(...community.reviewModerationTargets(deps), community.ideaModeration(deps))
  return deps
}
