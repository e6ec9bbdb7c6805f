/** Friends, blocks, the friends' feed and shared lists (docs/social.md). */

export { wishlistAdds } from './demand.js'
export { type FeedEntry, type FeedSource, feedOf, refreshFeeds, sharePurchase, sharingFeedSources } from './feed.js'
export {
  AlreadyBlocked,
  acceptRequest,
  areFriends,
  blockMember,
  friendIdsOf,
  friendsOf,
  inviteOf,
  isBlocked,
  type Person,
  peopleYouMayKnow,
  recordMeeting,
  requestFriend,
  unfriend,
} from './friends.js'
export { jobs } from './jobs.js'
export { addListItem, createList, listOf, listsOf, roleOn, shareList } from './lists.js'
export { socialMergeParticipant } from './merge.js'
export { socialPrivacy } from './privacy.js'
export { routes } from './routes.js'
export { assertVisible, SocialVisibilityOff, visibleToOthers } from './visibility.js'
