import { auditPrivacy } from '../../platform/audit/privacy.js'
import { outboxPrivacy } from '../../platform/outbox/privacy.js'
import type { MemberDataPart } from '../../platform/privacy.js'
import { accountsPrivacy } from '../accounts/index.js'
import { activityPrivacy } from '../activity/index.js'
import { advisorPrivacy } from '../advisor/index.js'
import { identityPrivacy } from '../identity/index.js'
import { insightsPrivacy } from '../insights/index.js'
import { membersPrivacy } from '../members/index.js'
import { rewardsPrivacy } from '../rewards/index.js'

/**
 * Every module's part of a privacy request, listed here rather than registered at start-up. Audit
 * comes first (it finds entries by the logins accounts then deletes); members last, as the others
 * may still read the profile. A table holding member rows that no part names fails the coverage test.
 */
export const memberDataParts: readonly MemberDataPart[] = [
  auditPrivacy,
  outboxPrivacy,
  identityPrivacy,
  advisorPrivacy,
  insightsPrivacy,
  rewardsPrivacy,
  activityPrivacy,
  accountsPrivacy,
  membersPrivacy,
]
