import { Stack } from '@mantine/core'
import { NotificationList } from '../components/Notifications'
import { PageTitle } from '../components/ui'

/** The notification centre, for members and staff alike: each sees only their own. */
export function NotificationsPage() {
  return (
    <Stack maw={760} mx="auto" data-testid="notifications-page">
      <PageTitle>Notifications</PageTitle>
      <NotificationList />
    </Stack>
  )
}
