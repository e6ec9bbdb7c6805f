/** The notification centre: notify() in the sender's transaction, delivered once through the outbox (docs/community.md#moderation-and-notifications). */

export { notificationJobs } from './jobs.js'
export { notificationsPrivacy } from './privacy.js'
export {
  deliverNotifications,
  markAllRead,
  type Notification,
  type NotificationKind,
  notificationsOf,
  notify,
  type Recipient,
} from './service.js'
