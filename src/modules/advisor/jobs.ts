import { defineJob, type Job } from '../../platform/jobs/index.js'
import { trainSuggestions } from './suggestions.js'

/** Suggestions are retrained on all purchase history each night. */
export const jobs: Job[] = [
  defineJob({
    name: 'suggestions-training',
    title: 'Suggestions training',
    description: "Retrains the recommender on all purchase history and stores each member's suggestions.",
    schedule: '0 3 * * *',
    heavy: true,
    timeoutMinutes: 120,
    run: (deps) => trainSuggestions(deps),
    summarise: (trained) =>
      `Trained on ${trained.baskets.toLocaleString('en-GB')} baskets: suggestions for ${trained.members.toLocaleString('en-GB')} members in ${trained.seconds} s.`,
  }),
]
