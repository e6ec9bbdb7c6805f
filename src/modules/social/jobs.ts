import { defineJob, type Job } from '../../platform/jobs/index.js'
import { refreshFeeds } from './feed.js'

/** Feeds also catch up whenever one is read; the job keeps them current for everyone else. */
export const jobs: Job[] = [
  defineJob({
    name: 'friends-feed',
    title: 'Friends’ feed',
    description: 'Writes what members shared (and rooms, later reviews and ideas) from the outbox into their friends’ feeds.',
    schedule: '* * * * *',
    run: async (deps) => ({ applied: await refreshFeeds(deps) }),
    summarise: ({ applied }) => `${applied.toLocaleString('en-GB')} events applied to feeds.`,
  }),
]
