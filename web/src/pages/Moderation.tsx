import { Stack, Text } from '@mantine/core'
import { ModerationQueueList } from '../components/Moderation'
import { PageTitle } from '../components/ui'
import { useSession } from '../session'

/** The console's moderation queue: an associate sees their own stores' posts, an admin everything. */
export function ModerationPage() {
  const session = useSession()
  const everywhere = session?.user.role === 'admin' || session?.user.storeIds.length === 0
  return (
    <Stack maw={860} mx="auto" data-testid="moderation-page">
      <PageTitle>Moderation</PageTitle>
      <Text size="sm" c="dimmed">
        {everywhere
          ? 'Held and reported posts from every store and the whole community, the longest waiting first.'
          : 'Held and reported posts about your store, the longest waiting first. Posts about other stores are their staff’s to look at.'}
      </Text>
      <ModerationQueueList />
    </Stack>
  )
}
