import { Anchor, Stack } from '@mantine/core'
import { Link } from '@tanstack/react-router'
import { DuplicateReview } from '../components/DuplicateReview'
import { PageTitle } from '../components/ui'

export function DuplicatesPage() {
  return (
    <Stack data-testid="associate-console" maw={1100} mx="auto">
      <Anchor component={Link} to="/associate" size="sm">
        ← Back to lookup
      </Anchor>
      <PageTitle>Possible duplicates</PageTitle>
      <DuplicateReview />
    </Stack>
  )
}
