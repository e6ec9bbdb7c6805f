import { Badge, Button, Group, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { get, type NearbyPoll } from '../api'
import { ProblemAlert, Section } from '../components/ui'
import { shortDate } from './format'

/** "Polls near me" on the member's home: open polls for everyone, their region and their store. */
export function NearbyPolls() {
  const polls = useQuery({ queryKey: ['me', 'polls'], queryFn: () => get<{ items: NearbyPoll[] }>('/me/polls') })
  const navigate = useNavigate()
  if (polls.data?.items.length === 0) return null
  return (
    <Section title="Polls near you" right={<Badge variant="light">have your say</Badge>}>
      <Stack gap="sm" data-testid="nearby-polls">
        <ProblemAlert error={polls.error} />
        {polls.data?.items.map((poll) => (
          <Group key={poll.id} justify="space-between" wrap="nowrap" align="center">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={500}>
                {poll.question}
              </Text>
              <Text size="xs" c="dimmed">
                {poll.kind === 'pairwise' ? 'Which do you prefer? Two at a time' : poll.kind === 'single' ? 'Pick one' : 'Pick any'} · until{' '}
                {shortDate(poll.endsAt)}
                {poll.answered > 0 && (poll.kind === 'pairwise' ? ` · ${poll.answered} answered` : ' · answered')}
              </Text>
            </div>
            <Button
              style={{ flexShrink: 0 }}
              size="compact-sm"
              variant={poll.answered > 0 && poll.kind !== 'pairwise' ? 'light' : 'filled'}
              onClick={() => navigate({ to: '/polls/$pollId', params: { pollId: poll.id } })}
            >
              {poll.answered > 0 ? (poll.kind === 'pairwise' ? 'Carry on' : 'See') : 'Answer'}
            </Button>
          </Group>
        ))}
      </Stack>
    </Section>
  )
}
