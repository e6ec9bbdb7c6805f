import { Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Text } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { api, get, type PollListItem, type PollResults } from '../api'
import { palette, segmentColours } from '../components/Chart'
import { PageTitle, ProblemAlert, Section } from '../components/ui'
import { percent, shortDate } from '../polls/format'
import { StartPoll } from '../polls/StartPoll'
import { isManager, useSession } from '../session'

type ResultGroup = PollResults['overall']

/**
 * Each option's score as a dot on its 95% interval, best at the top: drawn as plain boxes, so it reads
 * the same at 390 px and 1280 px, and every row also says its figures in words.
 */
function IntervalChart({ group, pairwise }: { group: ResultGroup; pairwise: boolean }) {
  const at = (x: number) => `${(100 * Math.min(1, Math.max(0, x))).toFixed(2)}%`
  return (
    <Stack
      gap={6}
      role="img"
      aria-label={`${group.name}: each option's ${pairwise ? 'chance of beating a random other option' : 'share of members'} with its 95% interval`}
    >
      {group.options.map((o) => (
        <div key={o.id} data-testid="interval-row">
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm" truncate>
              {o.label}
            </Text>
            <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
              {percent(o.score)}{' '}
              <Text span size="xs" c="dimmed" fw={400}>
                {percent(o.low)}–{percent(o.high)}
              </Text>
            </Text>
          </Group>
          <div style={{ position: 'relative', height: 14, background: 'var(--mantine-color-gray-1)', borderRadius: 7 }}>
            {pairwise && <div style={{ position: 'absolute', left: '50%', top: 0, bottom: 0, width: 1, background: 'var(--mantine-color-gray-4)' }} />}
            <div
              style={{
                position: 'absolute',
                left: at(o.low),
                width: `calc(${at(o.high)} - ${at(o.low)})`,
                top: 3,
                height: 8,
                borderRadius: 4,
                background: palette[2],
              }}
            />
            <div
              style={{
                position: 'absolute',
                left: `calc(${at(o.score)} - 7px)`,
                top: 0,
                width: 14,
                height: 14,
                borderRadius: 7,
                background: palette[0],
                border: '2px solid white',
              }}
            />
          </div>
        </div>
      ))}
      <Group justify="space-between">
        {[0, 0.25, 0.5, 0.75, 1].map((x) => (
          <Text key={x} size="xs" c="dimmed">
            {percent(x)}
          </Text>
        ))}
      </Group>
    </Stack>
  )
}

/** One row per option, one column per group: the breakdown at a glance. */
function Breakdown({ groups, options }: { groups: ResultGroup[]; options: ResultGroup['options'] }) {
  if (groups.length === 0) return <Text c="dimmed">No answers from these groups yet.</Text>
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Option</Table.Th>
            {groups.map((g) => (
              <Table.Th key={g.key} ta="right">
                <span style={{ color: segmentColours[g.key] }}>{g.name}</span>
                <Text size="xs" c="dimmed">
                  {g.voices === 1 ? '1 member' : `${g.voices} members`}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {options.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>{o.label}</Table.Td>
              {groups.map((g) => {
                const cell = g.options.find((x) => x.id === o.id)
                return (
                  <Table.Td key={g.key} ta="right">
                    {cell ? percent(cell.score) : '–'}
                    {cell && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {percent(cell.low)}–{percent(cell.high)}
                      </Text>
                    )}
                  </Table.Td>
                )
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** A poll's results for staff: the chart with intervals, the breakdown by segment and store, suggestions to review. */
export function PollResultsPage() {
  const { pollId } = useParams({ from: '/app/polls/$pollId/results' })
  const queryClient = useQueryClient()
  const results = useQuery({ queryKey: ['polls', pollId, 'results'], queryFn: () => get<PollResults>(`/polls/${pollId}/results`) })
  const [by, setBy] = useState<'segment' | 'store'>('segment')
  const review = useMutation({
    mutationFn: ({ optionId, decision }: { optionId: string; decision: 'approve' | 'decline' }) =>
      api('POST', `/polls/${pollId}/options/${optionId}/review`, { decision }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['polls', pollId, 'results'] }),
  })
  if (results.isPending) return <Loader />
  if (!results.data) return <ProblemAlert error={results.error} />
  const { poll, overall, bySegment, byStore, method, pending } = results.data
  const pairwise = poll.kind === 'pairwise'
  return (
    <Stack maw={1100} mx="auto" data-testid="poll-results">
      <Text size="sm">
        <Link to="/polls">← All polls</Link>
      </Text>
      <PageTitle right={<Badge variant="light">{poll.open ? `open until ${shortDate(poll.endsAt)}` : `closed ${shortDate(poll.endsAt)}`}</Badge>}>
        {poll.question}
      </PageTitle>
      <ProblemAlert error={review.error} />
      <Section
        title={pairwise ? 'Chance of beating a random other option' : 'Share of members choosing each option'}
        right={
          <Text size="xs" c="dimmed">
            {overall.voices === 1 ? '1 member' : `${overall.voices} members`}
          </Text>
        }
      >
        <IntervalChart group={overall} pairwise={pairwise} />
        <Text size="xs" c="dimmed">
          {method}. Dot: the estimate; bar: its 95% interval{pairwise ? '; the line: an even chance' : ''}.
        </Text>
      </Section>
      <Section
        title="Breakdown"
        right={
          <SegmentedControl
            size="xs"
            value={by}
            onChange={(v) => setBy(v as 'segment' | 'store')}
            data={[
              { value: 'segment', label: 'By segment' },
              { value: 'store', label: 'By store' },
            ]}
          />
        }
      >
        <Breakdown groups={by === 'segment' ? bySegment : byStore} options={overall.options} />
      </Section>
      {pending.length > 0 && (
        <Section title="Members’ suggestions to review">
          <Stack gap="xs">
            {pending.map((o) => (
              <Group key={o.id} justify="space-between">
                <Text>{o.label}</Text>
                <Group gap="xs">
                  <Button size="compact-sm" onClick={() => review.mutate({ optionId: o.id, decision: 'approve' })}>
                    Add to the survey
                  </Button>
                  <Button size="compact-sm" variant="default" onClick={() => review.mutate({ optionId: o.id, decision: 'decline' })}>
                    Decline
                  </Button>
                </Group>
              </Group>
            ))}
          </Stack>
        </Section>
      )}
    </Stack>
  )
}

/** Every poll for staff, newest first, each with a link to its results. */
export function PollsPage() {
  const polls = useQuery({ queryKey: ['polls'], queryFn: () => get<{ items: PollListItem[] }>('/polls') })
  const session = useSession()
  return (
    <Stack maw={1100} mx="auto">
      <PageTitle right={isManager(session?.user.role) && <StartPoll />}>Polls</PageTitle>
      <ProblemAlert error={polls.error} />
      {polls.isPending && <Loader />}
      <Stack gap="xs" data-testid="polls-list">
        {polls.data?.items.map((p) => (
          <Group key={p.id} justify="space-between" wrap="nowrap">
            <div>
              <Link to="/polls/$pollId/results" params={{ pollId: p.id }}>
                {p.question}
              </Link>
              <Text size="xs" c="dimmed">
                {p.kind === 'pairwise' ? 'pairwise' : `${p.kind} choice`} · {p.voices === 1 ? '1 member' : `${p.voices} members`} ·{' '}
                {p.open ? `until ${shortDate(p.endsAt)}` : 'closed'}
              </Text>
            </div>
          </Group>
        ))}
        {polls.data?.items.length === 0 && (
          <Text c="dimmed">{isManager(session?.user.role) ? 'No polls yet: start one above.' : 'No polls yet: a manager starts them.'}</Text>
        )}
      </Stack>
    </Stack>
  )
}
