import { Button, Group, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { get, type IdeaSummary } from '../api'
import { EmptyState, ProblemAlert, Section } from '../components/ui'
import { VoteButton } from './IdeaCard'
import { ideaLink, placeOf, statusWords } from './words'

/** The member home's card: open ideas for their stores, their region and every shop, to vote on in place. */
export function IdeasNearMe() {
  const near = useQuery({ queryKey: ['ideas-near'], queryFn: () => get<{ ideas: IdeaSummary[] }>('/me/ideas/near') })
  return (
    <Section
      title="Ideas near you"
      right={
        <Button component={Link} to="/ideas" variant="subtle" size="compact-sm">
          All ideas
        </Button>
      }
    >
      <ProblemAlert error={near.error} />
      {near.data?.ideas.length === 0 && <EmptyState title="No open ideas yet">What would you like us to stock? Share it on the ideas board.</EmptyState>}
      <Stack gap="xs" data-testid="ideas-near">
        {near.data?.ideas.map((idea) => (
          <Group key={idea.id} wrap="nowrap" align="flex-start" gap="sm">
            <VoteButton idea={idea} canVote />
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Link to="/ideas/$ideaId" params={{ ideaId: idea.id }} style={ideaLink}>
                {idea.title}
              </Link>
              <Text size="xs" c="dimmed">
                {statusWords[idea.status].label} · {placeOf(idea)}
              </Text>
            </Stack>
          </Group>
        ))}
      </Stack>
    </Section>
  )
}
