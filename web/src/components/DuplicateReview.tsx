import { Badge, Button, Group, Loader, Paper, Progress, Stack, Table, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconRefresh } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type DuplicateCandidate, type DuplicateScan, get, type PersonSide } from '../api'
import { percent } from '../format'
import { isManager, useSession } from '../session'
import { EmptyState, ProblemAlert } from './ui'

const fields: [keyof PersonSide, string][] = [
  ['givenName', 'Given name'],
  ['familyName', 'Family name'],
  ['birthDate', 'Born'],
  ['addressLine', 'Address'],
  ['postcode', 'Postcode'],
  ['city', 'Town'],
  ['phone', 'Phone'],
  ['email', 'Email'],
]
const same = (a: string | null, b: string | null) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase()
const name = (p: PersonSide) => [p.givenName, p.familyName].filter(Boolean).join(' ') || 'No name'

/** One pair side by side; what differs is highlighted, so staff decide at a glance. */
function Pair({ candidate, canDecide }: { candidate: DuplicateCandidate; canDecide: boolean }) {
  const client = useQueryClient()
  const done = (message: string) => {
    notifications.show({ color: 'teal', message })
    client.invalidateQueries({ queryKey: ['duplicates'] })
  }
  const merge = useMutation({
    mutationFn: (keep: 'a' | 'b') =>
      api(
        'POST',
        '/members/merges',
        keep === 'a' ? { survivorId: candidate.a.id, mergedId: candidate.b.id } : { survivorId: candidate.b.id, mergedId: candidate.a.id },
      ),
    onSuccess: () => done('Merged: one member now, with both histories. It can be undone from the audit trail.'),
  })
  const dismiss = useMutation({
    mutationFn: () => api('POST', `/members/duplicates/${candidate.id}/dismiss`),
    onSuccess: () => done('Noted: they are different people.'),
  })
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Group gap="xs">
          <Text fw={700}>
            {name(candidate.a)} · {name(candidate.b)}
          </Text>
          <Badge color={candidate.score >= 0.9 ? 'red' : candidate.score >= 0.75 ? 'orange' : 'yellow'}>{percent(candidate.score)} alike</Badge>
        </Group>
        <Progress value={candidate.score * 100} w={120} color="teal" />
      </Group>
      <Table.ScrollContainer minWidth={480}>
        <Table withColumnBorders fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={110} />
              <Table.Th>Left</Table.Th>
              <Table.Th>Right</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map(([key, text]) => {
              const differs = !same(candidate.a[key], candidate.b[key])
              return (
                <Table.Tr key={key} bg={differs ? 'yellow.0' : undefined}>
                  <Table.Td c="dimmed">{text}</Table.Td>
                  <Table.Td fw={differs ? 600 : undefined}>{candidate.a[key] ?? '—'}</Table.Td>
                  <Table.Td fw={differs ? 600 : undefined}>{candidate.b[key] ?? '—'}</Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt="xs">
        Why: {candidate.reasons.join(', ') || 'similar details'}
      </Text>
      {canDecide ? (
        <Group mt="sm" gap="xs" wrap="wrap">
          <Button size="xs" onClick={() => merge.mutate('a')} loading={merge.isPending && merge.variables === 'a'}>
            Same person: keep left
          </Button>
          <Button size="xs" variant="light" onClick={() => merge.mutate('b')} loading={merge.isPending && merge.variables === 'b'}>
            Same person: keep right
          </Button>
          <Button size="xs" variant="subtle" color="gray" onClick={() => dismiss.mutate()} loading={dismiss.isPending}>
            Not the same person
          </Button>
        </Group>
      ) : (
        <Text size="xs" c="dimmed" mt="sm">
          A manager decides whether to merge.
        </Text>
      )}
      <ProblemAlert error={merge.error ?? dismiss.error} />
    </Paper>
  )
}

/** Possible duplicate members for review: scan, compare side by side, merge or dismiss. */
export function DuplicateReview() {
  const session = useSession()
  const client = useQueryClient()
  const canDecide = isManager(session?.user.role)
  const list = useQuery({ queryKey: ['duplicates'], queryFn: () => get<{ items: DuplicateCandidate[] }>('/members/duplicates?limit=50') })
  const scan = useMutation({
    mutationFn: () => api<DuplicateScan>('POST', '/members/duplicates/scan'),
    onSuccess: (result) => {
      notifications.show({ color: 'teal', message: `Compared ${result.pairsCompared} likely pairs; ${result.candidates} to review.` })
      client.invalidateQueries({ queryKey: ['duplicates'] })
    },
  })
  return (
    <Stack>
      {canDecide && (
        <Group>
          <Button leftSection={<IconRefresh size={16} />} variant="light" onClick={() => scan.mutate()} loading={scan.isPending}>
            Scan for duplicates
          </Button>
          <Text size="sm" c="dimmed">
            Compares members who share a birthday, a postcode, a phone or an email name.
          </Text>
        </Group>
      )}
      <ProblemAlert error={list.error ?? scan.error} />
      {list.isPending && <Loader />}
      {list.data && list.data.items.length === 0 && (
        <EmptyState title="No possible duplicates to review">
          {canDecide ? 'Run a scan to look for members who signed up twice.' : 'A manager can run a scan for members who signed up twice.'}
        </EmptyState>
      )}
      {list.data?.items.map((candidate) => (
        <Pair key={candidate.id} candidate={candidate} canDecide={canDecide} />
      ))}
    </Stack>
  )
}
