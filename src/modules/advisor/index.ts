/** The advisor: clienteling for associates (notes, follow-ups, conversations, outreach) and suggestions. */
import type { MergeParticipant } from '../identity/index.js'
import { moveClienteling } from './clienteling.js'

export { addFollowUp } from './clienteling.js'
export { jobs } from './jobs.js'
/** The recommender itself, for `regulars advisor` on a history file. */
export { type Basket, dayOf, evaluate, Recommender, readBaskets, tuneBlend } from './recommender/index.js'
export { routes } from './routes/index.js'
export * from './schema.js'
export { type StoredSuggestion, type SuggestionSource, suggestionsFor, talkingPoints, trainSuggestions } from './suggestions.js'
export { learnFromRating, tasteProfile } from './taste.js'

/** Notes, follow-ups, conversations and stated tastes follow merges (wired in src/composition.ts). */
export const advisorMergeParticipant: MergeParticipant = {
  name: 'advisor',
  merge: (db, merged, survivor) => moveClienteling(db, merged, survivor),
  unmerge: async (db, merged, survivor, moved) => {
    await moveClienteling(db, survivor, merged, moved as Record<string, string[]>)
  },
}
export { advisorPrivacy } from './privacy.js'
