import { Badge, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core'
import { IconCopy, IconScan, IconSearch, IconShieldCheck } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { get, type MemberListItem, type Page, Problem, query } from '../api'
import { OutreachList } from '../components/Clienteling'
import { DataTable } from '../components/DataTable'
import { EnrolButton } from '../components/Enrol'
import { useQueueCount } from '../components/Moderation'
import { RoomRequests } from '../components/ShopTogether'
import { EmptyState, PageTitle, ProblemAlert, submit } from '../components/ui'
import { date } from '../format'
import { QuestionsToAnswer } from '../reviews/QuestionsToAnswer'

/** The kinds a scanned or typed value could be, most likely first. */
function guessKinds(value: string) {
  const compact = value.replace(/[\s-]/g, '')
  if (value.includes('@')) return ['email']
  if (/^\+?\d{10,13}$/.test(compact))
    return compact.startsWith('+') || compact.startsWith('07') ? ['phone', 'card', 'pos_customer'] : ['card', 'phone', 'pos_customer']
  return ['card', 'loyalty_id', 'pos_customer', 'web_account']
}

/** Looks the member up by each likely kind in turn; a miss on all of them is "not found". */
async function lookUp(value: string): Promise<MemberListItem> {
  for (const kind of guessKinds(value)) {
    try {
      return await get<MemberListItem>(`/members/lookup${query({ kind, value })}`)
    } catch (error) {
      if (!(error instanceof Problem) || (error.status !== 404 && error.status !== 400)) throw error
    }
  }
  throw new Problem(
    404,
    '/problems/not-found',
    'No member with that card',
    `Nobody holds “${value}” as a card, phone, email or loyalty id. Search by name below.`,
    [],
  )
}

function MemberRows({ items }: { items: MemberListItem[] }) {
  return (
    <DataTable
      label="Members found"
      rows={items}
      rowKey={(m) => m.id}
      minWidth={560}
      columns={[
        {
          title: 'Member',
          heading: true,
          cell: (m) => (
            <Link to="/associate/members/$memberId" params={{ memberId: m.id }} style={{ fontWeight: 600, color: 'var(--mantine-color-teal-8)' }}>
              {m.displayName}
            </Link>
          ),
        },
        { title: 'Loyalty id', cell: (m) => m.loyaltyId ?? '—', mono: true },
        { title: 'Email', cell: (m) => m.email ?? '—' },
        { title: 'Phone', cell: (m) => m.phone ?? '—' },
        { title: 'Joined', cell: (m) => date(m.joinedAt) },
      ]}
    />
  )
}

export function ConsolePage() {
  const navigate = useNavigate()
  const waiting = useQueueCount()
  const [scan, setScan] = useState('')
  const [search, setSearch] = useState('')
  const [submitted, setSubmitted] = useState('')
  const lookup = useMutation({ mutationFn: lookUp, onSuccess: (member) => navigate({ to: '/associate/members/$memberId', params: { memberId: member.id } }) })
  const results = useQuery({
    queryKey: ['members', submitted],
    queryFn: () => get<Page<MemberListItem>>(`/members${query({ q: submitted, limit: 25 })}`),
    enabled: submitted.length > 0,
  })
  return (
    <Stack data-testid="associate-console" maw={1100} mx="auto">
      <PageTitle
        right={
          <Group gap="xs">
            <EnrolButton />
            <Button component={Link} to="/associate/moderation" variant="default" leftSection={<IconShieldCheck size={16} />}>
              Moderation{waiting ? ` (${waiting})` : ''}
            </Button>
            <Button component={Link} to="/associate/duplicates" variant="default" leftSection={<IconCopy size={16} />}>
              Possible duplicates
            </Button>
            <Button component={Link} to="/polls" variant="default">
              Polls
            </Button>
          </Group>
        }
      >
        Console
      </PageTitle>
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={submit(() => scan.trim() && lookup.mutate(scan.trim()))}>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Scan or type a card, phone or email"
              placeholder="6337 0000 0001, 07700 900123, ada@example.com"
              size="lg"
              leftSection={<IconScan size={20} />}
              value={scan}
              onChange={(e) => setScan(e.currentTarget.value)}
              autoFocus
              style={{ flex: 1, minWidth: 240 }}
            />
            <Button type="submit" size="lg" loading={lookup.isPending}>
              Find member
            </Button>
          </Group>
        </form>
        {lookup.error && (
          <Stack mt="sm">
            <ProblemAlert error={lookup.error} />
            {lookup.error instanceof Problem && lookup.error.status === 404 && (
              <Group gap="xs">
                <Text size="sm">Not a member yet?</Text>
                <EnrolButton key={scan} initial={scan.trim()} />
              </Group>
            )}
          </Stack>
        )}
      </Paper>
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={submit(() => setSubmitted(search.trim()))}>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Search by name"
              placeholder="Part of a name, email or card"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 200 }}
            />
            <Button type="submit" variant="light">
              Search
            </Button>
          </Group>
        </form>
        <Stack mt="md">
          <ProblemAlert error={results.error} />
          {!submitted && (
            <Text size="sm" c="dimmed">
              Members you find open with their profile, history across every channel and their cards.
            </Text>
          )}
          {results.data && results.data.items.length === 0 && (
            <EmptyState title={`Nobody matches “${submitted}”`}>Check the spelling, or try part of the email or card number.</EmptyState>
          )}
          {results.data && results.data.items.length > 0 && (
            <>
              <Badge variant="light">
                {results.data.items.length}
                {results.data.nextCursor ? '+' : ''} members
              </Badge>
              <MemberRows items={results.data.items} />
            </>
          )}
        </Stack>
      </Paper>
      <RoomRequests />
      <QuestionsToAnswer />
      <OutreachList />
    </Stack>
  )
}
