import { Badge, Button, Group, Loader, Paper, Progress, Stack, Table, Text } from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconRefresh } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { api, type DuplicateCandidate, type DuplicateScan, get, type PersonSide } from '../api'
import { date, label } from '../format'
import { isManager, useSession } from '../session'
import { ConfirmButton } from './Confirm'
import { phoneQuery } from './DataTable'
import { EmptyState, ProblemAlert } from './ui'

type Side = DuplicateCandidate['a']
/** Each piece of evidence as staff compare it: how it reads, and the text that says whether the two agree. */
const evidence: [string, (p: Side) => ReactNode, (p: Side) => string][] = [
  ['Name', (p) => name(p), (p) => name(p)],
  ['Born', (p) => date(p.birthDate), (p) => p.birthDate ?? ''],
  ['Address', (p) => p.addressLine ?? '—', (p) => p.addressLine ?? ''],
  ['Postcode', (p) => p.postcode ?? '—', (p) => p.postcode ?? ''],
  ['Town', (p) => p.city ?? '—', (p) => p.city ?? ''],
  ['Phone', (p) => p.phone ?? '—', (p) => p.phone ?? ''],
  ['Email', (p) => p.email ?? '—', (p) => p.email ?? ''],
  [
    'Identifiers',
    (p) =>
      p.identifiers.length === 0
        ? '—'
        : p.identifiers.map((i) => (
            <div key={i.kind + i.value}>
              {label(i.kind)} {i.value}
              {i.verified ? ' ✓' : ''}
            </div>
          )),
    (p) => p.identifiers.map((i) => `${i.kind}:${i.value}`).join(' '),
  ],
  ['Joined', (p) => date(p.joinedAt), (p) => p.joinedAt.slice(0, 10)],
  ['Orders', (p) => (p.orders ? `${p.orders}, last ${date(p.lastOrderAt)}` : 'none'), (p) => String(p.orders)],
  ['Points', (p) => p.points.toLocaleString('en-GB'), (p) => String(p.points)],
]
const contactFields: [string, (p: Side) => string | null][] = [
  ['town', (p) => p.city],
  ['phone', (p) => p.phone],
  ['email', (p) => p.email],
]
const same = (a: string | null, b: string | null) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase()
const name = (p: Pick<PersonSide, 'givenName' | 'familyName'>) => [p.givenName, p.familyName].filter(Boolean).join(' ') || 'No name'

/**
 * The detector's score is a probability that the two are one person, never a certainty: it is shown
 * rounded down and at most 99%, so a pair a few details apart never reads "100%".
 */
export const likelihood = (score: number) => `${Math.min(99, Math.floor(score * 100))}%`

/** One pair side by side (on a phone too: each detail's label above its two values); what differs is marked. */
function Pair({ candidate, canDecide }: { candidate: DuplicateCandidate; canDecide: boolean }) {
  const client = useQueryClient()
  const phone = useMediaQuery(phoneQuery, false, { getInitialValueInEffect: false })
  const done = (message: string) => {
    notifications.show({ color: 'teal', message })
    client.invalidateQueries({ queryKey: ['duplicates'] })
    client.invalidateQueries({ queryKey: ['audit'] })
  }
  const [a, b] = [candidate.a, candidate.b]
  const merge = useMutation({
    mutationFn: (keep: 'a' | 'b') => api('POST', '/members/merges', keep === 'a' ? { survivorId: a.id, mergedId: b.id } : { survivorId: b.id, mergedId: a.id }),
    onSuccess: () => done('Merged: one member now, with both histories. Undo it from Admin → Audit if it was a mistake.'),
  })
  const dismiss = useMutation({
    mutationFn: () => api('POST', `/members/duplicates/${candidate.id}/dismiss`),
    onSuccess: () => done('Noted: they are different people.'),
  })
  const differing = contactFields.filter(([, of]) => of(a) && of(b) && !same(of(a), of(b))).map(([field]) => field)
  const mergeButton = (keep: 'a' | 'b', side: string) => {
    const [survivor, merged] = keep === 'a' ? [a, b] : [b, a]
    return (
      <ConfirmButton
        size="xs"
        variant={keep === 'a' ? 'filled' : 'light'}
        title={`Merge ${name(merged)} into ${name(survivor)}?`}
        message={`${name(merged)}'s cards, history, points and notes move to ${name(survivor)}, who keeps their own details. It can be undone from Admin → Audit.`}
        confirmLabel="Merge them"
        danger={false}
        onConfirm={() => merge.mutate(keep)}
        loading={merge.isPending && merge.variables === keep}
      >
        Same person: keep {side}
      </ConfirmButton>
    )
  }
  return (
    <Paper withBorder p="md" radius="md" data-testid="duplicate-pair">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Group gap="xs">
          <Text fw={700}>
            {name(a)} · {name(b)}
          </Text>
          <Badge color={candidate.score >= 0.9 ? 'red' : candidate.score >= 0.75 ? 'orange' : 'yellow'} tt="none">
            {likelihood(candidate.score)} likely one person
          </Badge>
          {differing.length > 0 && (
            <Badge color="gray" variant="light" tt="none">
              different {differing.join(', ')}
            </Badge>
          )}
        </Group>
        <Progress value={Math.min(99, candidate.score * 100)} w={120} color="teal" aria-label="How likely they are one person" />
      </Group>
      <Table withColumnBorders fz="sm" layout="fixed" aria-label={`${name(a)} beside ${name(b)}`} style={{ overflowWrap: 'anywhere' }}>
        <Table.Thead>
          <Table.Tr>
            {!phone && <Table.Th w={110} />}
            <Table.Th>Left</Table.Th>
            <Table.Th>Right</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {evidence.flatMap(([text, show, compared]) => {
            const differs = compared(a) !== compared(b) && !same(compared(a), compared(b))
            const weight = differs ? 600 : undefined
            const values = [
              <Table.Td key="a" fw={weight}>
                {show(a)}
              </Table.Td>,
              <Table.Td key="b" fw={weight}>
                {show(b)}
              </Table.Td>,
            ]
            const bg = differs ? 'yellow.0' : undefined
            return phone
              ? [
                  <Table.Tr key={`${text}-label`} bg={bg}>
                    <Table.Td colSpan={2} c="dimmed" fz="xs" pb={0}>
                      {text}
                    </Table.Td>
                  </Table.Tr>,
                  <Table.Tr key={text} bg={bg}>
                    {values}
                  </Table.Tr>,
                ]
              : [
                  <Table.Tr key={text} bg={bg}>
                    <Table.Td c="dimmed">{text}</Table.Td>
                    {values}
                  </Table.Tr>,
                ]
          })}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        Why: {candidate.reasons.join(', ') || 'similar details'}
      </Text>
      {canDecide ? (
        <Group mt="sm" gap="xs" wrap="wrap">
          {mergeButton('a', 'left')}
          {mergeButton('b', 'right')}
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
