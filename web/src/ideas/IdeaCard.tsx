import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core'
import { IconArrowBigUp, IconArrowBigUpFilled } from '@tabler/icons-react'
import { Link } from '@tanstack/react-router'
import { api, type IdeaSummary } from '../api'
import { ProblemAlert } from '../components/ui'
import { useIdeaChange } from './queries'
import { ideaLink, kindWords, placeOf, statusWords, supportText } from './words'

const open = (idea: IdeaSummary) => !['in_stock', 'declined', 'merged'].includes(idea.status)

/** The member's vote on an idea, as one button: it says the support, and pressing it votes or takes the vote back. */
export function VoteButton({ idea, canVote }: { idea: IdeaSummary; canVote: boolean }) {
  const change = useIdeaChange(() => api(idea.myVote ? 'DELETE' : 'PUT', `/ideas/${idea.id}/vote`))
  return (
    <Stack gap={4} align="center" miw={72}>
      <Button
        variant={idea.myVote ? 'filled' : 'light'}
        color="teal"
        size="compact-md"
        disabled={!canVote || !open(idea)}
        loading={change.isPending}
        onClick={() => change.mutate(undefined)}
        leftSection={idea.myVote ? <IconArrowBigUpFilled size={18} /> : <IconArrowBigUp size={18} />}
        aria-label={idea.myVote ? `Take back my vote for ${idea.title}` : `Vote for ${idea.title}`}
        aria-pressed={idea.myVote}
      >
        {supportText(idea.support)}
      </Button>
      <Text size="xs" c="dimmed">
        {idea.voters === 1 ? '1 voter' : `${idea.voters} voters`}
      </Text>
      {change.error ? <ProblemAlert error={change.error} title="Your vote did not go through" /> : null}
    </Stack>
  )
}

/** One idea on the board: its support and my vote beside its title, place and status. */
export function IdeaCard({ idea, canVote }: { idea: IdeaSummary; canVote: boolean }) {
  const status = statusWords[idea.status]
  return (
    <Paper withBorder p="sm" radius="md" data-testid="idea-card">
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <VoteButton idea={idea} canVote={canVote} />
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Link to="/ideas/$ideaId" params={{ ideaId: idea.id }} style={ideaLink}>
            {idea.title}
          </Link>
          <Text size="sm" c="dimmed" lineClamp={2}>
            {idea.body}
          </Text>
          <Group gap={6} wrap="wrap">
            <Badge color={status.color} variant="light">
              {status.label}
            </Badge>
            <Text size="xs" c="dimmed">
              {kindWords[idea.kind]} · {placeOf(idea)}
              {idea.byMe ? ' · your idea' : ''}
            </Text>
          </Group>
        </Stack>
      </Group>
    </Paper>
  )
}
