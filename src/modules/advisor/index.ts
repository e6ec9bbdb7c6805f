/** The advisor: clienteling for associates (notes, follow-ups, conversations, outreach) and suggestions. */
import { registerMergeParticipant } from '../identity/index.js'
import { moveClienteling } from './clienteling.js'

export { jobs } from './jobs.js'
export { routes } from './routes.js'
export * from './schema.js'
export { registerSuggestionSource, type StoredSuggestion, type SuggestionSource, suggestionsFor, trainSuggestions } from './suggestions.js'

/** Notes, follow-ups and conversations follow merges; call once at start-up. */
export function registerAdvisor() {
  registerMergeParticipant({
    name: 'advisor',
    merge: (db, merged, survivor) => moveClienteling(db, merged, survivor),
    unmerge: async (db, merged, survivor, moved) => {
      await moveClienteling(db, survivor, merged, moved as Record<string, string[]>)
    },
  })
}
export { advisorPrivacy } from './privacy.js'
