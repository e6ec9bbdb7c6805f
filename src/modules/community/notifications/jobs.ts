import { defineJob, type Job } from '../../../platform/jobs/index.js'
import { deliverNotifications } from './service.js'

/** Centres also catch up whenever one is read; the job keeps every bell's count current. */
export const notificationJobs: Job[] = [
  defineJob({
    name: 'community-notifications',
    title: 'Notification centre',
    description: 'Delivers notifications (replies, answers, status changes, moderation outcomes) from the outbox into members’ and staff’s centres.',
    schedule: '* * * * *',
    run: async (deps) => ({ applied: await deliverNotifications(deps) }),
    summarise: ({ applied }) => `${applied.toLocaleString('en-GB')} notifications delivered.`,
  }),
]
