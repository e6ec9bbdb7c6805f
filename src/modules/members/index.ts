/** Members (shoppers in the programme), their identifiers across channels, and their consents. */

export { memberAuditNames } from './audit-names.js'
export { type IdentifierKind, normaliseIdentifier } from './identifiers.js'
export { evaluateFebrl, findDuplicates, type PersonRecord, sameThreshold, scorePair } from './matching/index.js'
export { foldMemberInto, lockMembers, type MembersMoved, unfoldMember } from './merge.js'
export { membersPrivacy } from './privacy.js'
export {
  addIdentifier,
  type ConsentRecord,
  consentGiven,
  consentHistory,
  consentsOf,
  consentWording,
  InvalidContact,
  type MarketingChannel,
  marketingChannels,
  marketingChannelsOf,
  notificationEmailConsent,
  notificationEmailsOf,
  notificationEmailWording,
  type ProfileChange,
  recordSignupConsents,
  setConsents,
  setMarketingChannels,
  setNotificationEmailConsent,
  updateProfile,
  verifiedEmailOf,
} from './profile.js'
export { publicNames } from './public-names.js'
export { followMergeRedirects } from './redirects.js'
export { IdentifierKind as IdentifierKindSchema, routes } from './routes.js'
export { type ConsentPurpose, consentEvents, consentPurposes, consentStates, identifierKinds, identifierProofs, memberIdentifiers, members } from './schema.js'
export {
  type Enrolment,
  enrolMembers,
  identifierHolders,
  lookupMember,
  type Member,
  type MemberListItem,
  memberProfile,
  resolveIdentifiers,
  resolveMemberId,
  searchMembers,
} from './service.js'
export { checkIdentifierCode, isProvable, markIdentifierVerified, type ProvableKind, sendIdentifierCode } from './verification.js'
