import { Alert, Button, Checkbox, Collapse, Group, Loader, Progress, Radio, Stack, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { api, get, type MyPoll, type NextPair, type Poll, type SuggestedOption } from '../api'
import { ProblemAlert } from '../components/ui'
import { shortDate } from '../polls/format'

/** A poll near the member: a classic poll's choices, or a pairwise survey two options at a time. */
export function PollPage() {
  const { pollId } = useParams({ from: '/app/polls/$pollId' })
  const mine = useQuery({ queryKey: ['me', 'polls', pollId], queryFn: () => get<MyPoll>(`/me/polls/${pollId}`) })
  return (
    <Stack maw={560} mx="auto" gap="md" data-testid="poll-page">
      <Text size="sm">
        <Link to="/me">← Your home</Link>
      </Text>
      <ProblemAlert error={mine.error} />
      {mine.isPending && <Loader />}
      {mine.data && (
        <>
          <div>
            <Title order={2} size="h3">
              {mine.data.poll.question}
            </Title>
            {mine.data.poll.description && <Text c="dimmed">{mine.data.poll.description}</Text>}
            <Text size="xs" c="dimmed">
              {mine.data.poll.open ? `Open until ${shortDate(mine.data.poll.endsAt)}` : `Closed on ${shortDate(mine.data.poll.endsAt)}`}
            </Text>
          </div>
          {mine.data.poll.kind === 'pairwise' ? <Pairs poll={mine.data.poll} /> : <Choices mine={mine.data} />}
        </>
      )}
    </Stack>
  )
}

/** Two big buttons stacked, skip and suggest under them: one thumb on a phone does it all. */
function Pairs({ poll }: { poll: Poll }) {
  const queryClient = useQueryClient()
  const key = ['me', 'polls', poll.id, 'pair']
  const pair = useQuery({ queryKey: key, queryFn: () => get<NextPair>(`/me/polls/${poll.id}/pair`) })
  const choose = useMutation({
    mutationFn: (winnerId: string | null) => {
      const [a, b] = pair.data?.pair ?? []
      return api<NextPair>('POST', `/me/polls/${poll.id}/pair`, { optionA: a.id, optionB: b.id, winnerId })
    },
    onSuccess: (next) => {
      queryClient.setQueryData(key, next)
      queryClient.invalidateQueries({ queryKey: ['me', 'polls'], exact: true })
    },
  })
  if (pair.isPending) return <Loader />
  if (!pair.data) return <ProblemAlert error={pair.error} />
  const { answered, pairs } = pair.data
  return (
    <Stack gap="sm">
      <ProblemAlert error={choose.error} />
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          Which do you prefer?
        </Text>
        <Text size="xs" c="dimmed" data-testid="pair-progress">
          {answered} of {pairs} pairs
        </Text>
      </Group>
      <Progress value={pairs ? (100 * answered) / pairs : 0} size="sm" aria-label="Pairs answered" />
      {pair.data.pair && poll.open ? (
        <>
          {pair.data.pair.map((option) => (
            <Button
              key={option.id}
              size="xl"
              h={96}
              fullWidth
              variant="light"
              styles={{ label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.25 } }}
              onClick={() => choose.mutate(option.id)}
              disabled={choose.isPending}
              data-testid="pair-option"
            >
              {option.label}
            </Button>
          ))}
          <Button variant="default" size="lg" fullWidth onClick={() => choose.mutate(null)} disabled={choose.isPending}>
            I can’t decide: skip
          </Button>
        </>
      ) : (
        <Alert color="teal" title={poll.open ? 'You have seen every pair' : 'This survey has closed'} data-testid="pairs-done">
          Thank you: every answer tells us what to stock. {poll.open && 'New options show up here when members suggest them.'}
        </Alert>
      )}
      {poll.open && poll.suggestionsOpen && <Suggest pollId={poll.id} />}
    </Stack>
  )
}

function Suggest({ pollId }: { pollId: string }) {
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const [label, setLabel] = useState('')
  const suggest = useMutation({
    mutationFn: () => api<SuggestedOption>('POST', `/me/polls/${pollId}/suggestions`, { label: label.trim() }),
    onSuccess: () => {
      setLabel('')
      // A suggestion moderation passed is in the pairs at once.
      queryClient.invalidateQueries({ queryKey: ['me', 'polls', pollId, 'pair'] })
    },
  })
  return (
    <Stack gap="xs">
      <Button variant="subtle" size="md" fullWidth onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? 'Close' : 'Suggest another option'}
      </Button>
      <Collapse expanded={open}>
        <Stack gap="xs">
          <TextInput
            size="md"
            label="Your option"
            placeholder="What should we stock?"
            maxLength={120}
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
          />
          <Button size="md" fullWidth onClick={() => suggest.mutate()} loading={suggest.isPending} disabled={label.trim().length < 2}>
            Suggest it
          </Button>
          <ProblemAlert error={suggest.error} />
          {suggest.data && (
            <Text size="sm" c="teal" role="status">
              {suggest.data.status === 'published'
                ? `Thanks: “${suggest.data.label}” is in the survey now.`
                : `Thanks: “${suggest.data.label}” joins the pairs once the shop has looked at it.`}
            </Text>
          )}
        </Stack>
      </Collapse>
    </Stack>
  )
}

/** A single- or multiple-choice poll: pick, send, and see what was chosen. */
function Choices({ mine }: { mine: MyPoll }) {
  const queryClient = useQueryClient()
  const { poll } = mine
  const [picked, setPicked] = useState<string[]>([])
  const answer = useMutation({
    mutationFn: () => api<MyPoll>('POST', `/me/polls/${poll.id}/answer`, { optionIds: picked }),
    onSuccess: (answered) => {
      queryClient.setQueryData(['me', 'polls', poll.id], answered)
      queryClient.invalidateQueries({ queryKey: ['me', 'polls'], exact: true })
    },
  })
  if (mine.myAnswer) {
    const labels = poll.options.filter((o) => mine.myAnswer?.includes(o.id)).map((o) => o.label)
    return (
      <Alert color="teal" title="Thanks for answering" data-testid="poll-answered">
        You chose {labels.join(', ')}. One voice per member, across all your cards and accounts.
      </Alert>
    )
  }
  const options = poll.options.map((o) =>
    poll.kind === 'single' ? <Radio key={o.id} value={o.id} label={o.label} size="md" /> : <Checkbox key={o.id} value={o.id} label={o.label} size="md" />,
  )
  return (
    <Stack gap="md">
      <ProblemAlert error={answer.error} />
      {poll.kind === 'single' ? (
        <Radio.Group value={picked[0] ?? null} onChange={(id) => setPicked([id])} label="Pick one">
          <Stack gap="sm" mt="xs">
            {options}
          </Stack>
        </Radio.Group>
      ) : (
        <Checkbox.Group value={picked} onChange={setPicked} label="Pick any">
          <Stack gap="sm" mt="xs">
            {options}
          </Stack>
        </Checkbox.Group>
      )}
      <Button size="lg" fullWidth onClick={() => answer.mutate()} loading={answer.isPending} disabled={picked.length === 0 || !poll.open}>
        {poll.open ? 'Send my answer' : 'This poll has closed'}
      </Button>
    </Stack>
  )
}
