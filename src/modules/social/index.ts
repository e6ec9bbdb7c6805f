/** Friends, blocks, the friends' feed and shared lists (docs/social.md). */

export { type FeedEntry, type FeedSource, feedOf, refreshFeeds, sharingFeedSources } from './feed.js'
export {
  AlreadyBlocked,
  acceptRequest,
  areFriends,
  blockMember,
  friendIdsOf,
  friendsOf,
  isBlocked,
  type Person,
  peopleYouMayKnow,
  recordMeeting,
  requestFriend,
  unfriend,
} from './friends.js'
export { jobs } from './jobs.js'
export { listOf, listsOf, roleOn } from './lists.js'
export { socialMergeParticipant } from './merge.js'
export { socialPrivacy } from './privacy.js'
export { routes } from './routes.js'
export { assertVisible, SocialVisibilityOff, visibleToOthers } from './visibility.js'
