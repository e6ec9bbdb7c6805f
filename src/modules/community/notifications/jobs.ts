import { defineJob, type Job } from '../../../platform/jobs/index.js'
import { deliverNotifications, sendNotificationEmails } from './service.js'

/** Centres also catch up whenever one is read; the job keeps every bell's count current. */
export const notificationJobs: Job[] = [
  defineJob({
    name: 'community-notifications',
    title: 'Notification centre',
    description:
      'Delivers notifications (replies, answers, status changes, moderation outcomes) from the outbox into members’ and staff’s centres, and emails those members chose to have by email.',
    schedule: '* * * * *',
    run: async (deps) => {
      const applied = await deliverNotifications(deps)
      const { sent, skipped } = await sendNotificationEmails(deps)
      return { applied, sent, skipped }
    },
    summarise: ({ applied, sent }) => `${applied.toLocaleString('en-GB')} notifications delivered, ${sent.toLocaleString('en-GB')} by email.`,
  }),
]
