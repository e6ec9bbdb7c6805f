import { Chip, Group, Loader, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { get, type IdeaSummary, type IdeasBoard, type MyVotes, query } from '../api'
import { EmptyState, PageTitle, ProblemAlert } from '../components/ui'
import { IdeaCard } from '../ideas/IdeaCard'
import { ShareIdea } from '../ideas/ShareIdea'
import { statusWords } from '../ideas/words'
import { useSession } from '../session'

type Sort = 'support' | 'newest' | 'status'

/** The ideas board: members' ideas by weighted support, newest or status; "my votes" keeps to the ones I voted for. */
export function IdeasBoardPage() {
  const session = useSession()
  const member = session?.user.role === 'member'
  const [sort, setSort] = useState<Sort>('support')
  const [status, setStatus] = useState<IdeaSummary['status'] | null>(null)
  const [mine, setMine] = useState(false)
  const board = useQuery({
    queryKey: ['ideas', sort, status, mine],
    queryFn: () => get<IdeasBoard>(`/ideas${query({ sort, status, mine: mine ? 'voted' : undefined, limit: 50 })}`),
  })
  const votes = useQuery({ queryKey: ['my-votes'], queryFn: () => get<MyVotes>('/me/ideas/votes'), enabled: member })
  const budget = votes.data?.budget
  return (
    <Stack data-testid="ideas-board" maw={900} mx="auto">
      <PageTitle right={member ? <ShareIdea /> : undefined}>Ideas</PageTitle>
      <Text c="dimmed" size="sm" mt={-12}>
        What should we stock or do next? Vote for what you would buy: members who shop with us count more, and one person has one voice across all their cards
        and accounts.
      </Text>
      {budget && (
        <Text size="sm" data-testid="vote-budget">
          You have <b>{budget.left}</b> of {budget.votes} votes left for {budget.period}. Votes on ideas that close come back to you.
        </Text>
      )}
      <Group gap="xs" wrap="wrap">
        <SegmentedControl
          value={sort}
          onChange={(value) => setSort(value as Sort)}
          data={[
            { value: 'support', label: 'Most support' },
            { value: 'newest', label: 'Newest' },
            { value: 'status', label: 'By status' },
          ]}
        />
        <Select
          aria-label="Status"
          placeholder="Any status"
          clearable
          w={160}
          value={status}
          onChange={(value) => setStatus(value as IdeaSummary['status'] | null)}
          data={Object.entries(statusWords).map(([value, { label }]) => ({ value, label }))}
        />
        {member && (
          <Chip checked={mine} onChange={setMine} color="teal">
            My votes
          </Chip>
        )}
      </Group>
      <ProblemAlert error={board.error} />
      {board.isPending && <Loader />}
      {board.data?.ideas.length === 0 && (
        <EmptyState title={mine ? 'You have not voted yet' : 'No ideas here yet'}>
          {member ? 'Share the first one: what would you like us to stock?' : undefined}
        </EmptyState>
      )}
      <Stack gap="xs">
        {board.data?.ideas.map((idea) => (
          <IdeaCard key={idea.id} idea={idea} canVote={member} />
        ))}
      </Stack>
    </Stack>
  )
}
