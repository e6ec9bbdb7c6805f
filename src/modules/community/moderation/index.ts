/** Moderation: screening posts, reports, the queue, decisions and bans, word filters (docs/community.md#moderation-and-notifications). */

export { banMember, decide, liftBan, NoModerationTarget, reportContent } from './decisions.js'
export { moderationMergeParticipant } from './merge.js'
export { moderationPrivacy } from './privacy.js'
export { moderationQueue } from './queue.js'
export { type ContentKind, contentKinds } from './schema.js'
export {
  ContentRefused,
  defaultModerationSettings,
  MemberBanned,
  type ModerationSettings,
  PostingTooFast,
  type Screened,
  type Screening,
  screenContent,
} from './screening.js'
export { addWordFilter, setModerationSettings } from './settings.js'
export type { DescribedContent, ModerationTarget } from './targets.js'
export { normaliseTerm } from './words.js'
