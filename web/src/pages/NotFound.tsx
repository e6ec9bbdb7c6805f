import { Button, Stack, Text, Title } from '@mantine/core'
import { Link } from '@tanstack/react-router'

/** An address the app has no page for: say so plainly and offer the way back (home is each role's own area). */
export function NotFoundPage() {
  return (
    <Stack align="center" gap="sm" p="xl" maw={480} mx="auto" mt="xl" ta="center" data-testid="not-found">
      <Title order={2}>We can’t find that page</Title>
      <Text c="dimmed">The address may be mistyped, or the page has moved. Nothing you saved is lost.</Text>
      <Button component={Link} to="/" size="md">
        Take me home
      </Button>
    </Stack>
  )
}
