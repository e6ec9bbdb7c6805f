/** One person, one member: duplicate detection for staff review, merge and unmerge. */
export { dismissDuplicate, type EvidenceSource, listDuplicates, type MemberEvidence, scanForDuplicates } from './duplicates.js'
export { type MergeParticipant, mergeMembers, unmergeMembers } from './merge.js'
export { identityPrivacy } from './privacy.js'
export { routes } from './routes.js'
