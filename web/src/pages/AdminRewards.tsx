import { Badge, Button, Group, JsonInput, SimpleGrid, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type React from 'react'
import { useState } from 'react'
import { api, get, type JobStarted, type LedgerReport as Ledger, type ReferralRow } from '../api'
import { DataTable } from '../components/DataTable'
import { JobProgress } from '../components/JobProgress'
import { EmptyState, Figure, ProblemAlert, Section } from '../components/ui'
import { date } from '../format'

/** What the programme owes members, and points issued, redeemed and expired by month. */
export function LedgerReport() {
  const report = useQuery({ queryKey: ['rewards-report'], queryFn: () => get<Ledger>('/rewards/report') })
  if (!report.data) return <ProblemAlert error={report.error} />
  const { liability, months } = report.data
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label="Points to spend" value={liability.available.toLocaleString('en-GB')} hint="the programme’s liability" />
        <Figure label="Pending" value={liability.pending.toLocaleString('en-GB')} />
        <Figure label="Held at tills" value={liability.reserved.toLocaleString('en-GB')} />
        <Figure label="Owed by members" value={Math.abs(liability.owed).toLocaleString('en-GB')} hint="taken back by returns after being spent" />
      </SimpleGrid>
      <Section title="By month">
        <DataTable
          label="Points by month"
          rows={months}
          rowKey={(m) => m.month}
          columns={[
            { title: 'Month', cell: (m) => date(`${m.month}-01`).replace(/^1 /, ''), heading: true },
            { title: 'Issued', cell: (m) => m.issued.toLocaleString('en-GB'), align: 'right' },
            { title: 'Redeemed', cell: (m) => m.redeemed.toLocaleString('en-GB'), align: 'right' },
            { title: 'Expired', cell: (m) => m.expired.toLocaleString('en-GB'), align: 'right' },
            { title: 'Adjusted', cell: (m) => m.adjusted.toLocaleString('en-GB'), align: 'right' },
          ]}
        />
      </Section>
    </Stack>
  )
}

/** Tiers and the score policy, edited as JSON (checked by the server), and a re-score on demand. */
export function TiersAdmin() {
  const client = useQueryClient()
  const setup = useQuery({ queryKey: ['tiers'], queryFn: () => get<unknown>('/tiers') })
  const [text, setText] = useState<string | null>(null)
  const value = text ?? (setup.data ? JSON.stringify(setup.data, null, 2) : '')
  const save = useMutation({
    mutationFn: () => api('PUT', '/tiers', JSON.parse(value)),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Tiers saved. Members move at the next evaluation.' })
      setText(null)
      client.invalidateQueries({ queryKey: ['tiers'] })
    },
  })
  const evaluate = useMutation({
    mutationFn: () => api<JobStarted>('POST', '/tiers/evaluate'),
  })
  return (
    <Section title="Tiers and the relationship score">
      <Text size="sm" c="dimmed" mb="xs">
        Score = spendWeight × pounds spent + participationWeight × points earned for taking part, over windowMonths. Up at once; down after graceDays.
      </Text>
      <JsonInput value={value} onChange={setText} autosize minRows={8} aria-label="Tiers" validationError="Not valid JSON yet" />
      <Group mt="sm">
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          Save tiers
        </Button>
        <Button variant="light" onClick={() => evaluate.mutate()} loading={evaluate.isPending}>
          Re-score everyone now
        </Button>
        <JobProgress started={evaluate.data} />
      </Group>
      <ProblemAlert error={save.error ?? evaluate.error ?? setup.error} />
    </Section>
  )
}

/** Who brought whom, as a tree: each member with the friends they brought beneath them. */
export function ReferralTree() {
  const rows = useQuery({ queryKey: ['referrals'], queryFn: () => get<{ items: ReferralRow[] }>('/referrals') })
  const items = rows.data?.items ?? []
  const brought = new Map<string, ReferralRow[]>()
  for (const r of items) brought.set(r.referrerId, [...(brought.get(r.referrerId) ?? []), r])
  const invited = new Set(items.map((r) => r.memberId))
  const roots = [...new Map(items.filter((r) => !invited.has(r.referrerId)).map((r) => [r.referrerId, r.referrerName])).entries()]
  const branch = (memberId: string, depth: number): React.ReactNode =>
    (brought.get(memberId) ?? []).map((r) => (
      <div key={r.memberId} style={{ marginLeft: depth * 20 }}>
        <Text size="sm">
          ↳ {r.name}{' '}
          <Badge size="xs" variant="light" color={r.status === 'rewarded' ? 'teal' : 'gray'}>
            {r.status}
          </Badge>{' '}
          <Text span size="xs" c="dimmed">
            {date(r.claimedAt)}
          </Text>
        </Text>
        {depth < 6 && branch(r.memberId, depth + 1)}
      </div>
    ))
  return (
    <Section title="Referral tree">
      <ProblemAlert error={rows.error} />
      {rows.isSuccess && items.length === 0 && (
        <EmptyState title="Nobody has brought a friend yet">Members find their invite code on their home page.</EmptyState>
      )}
      {roots.map(([id, name]) => (
        <div key={id}>
          <Text fw={600} size="sm">
            {name} brought {brought.get(id)?.length ?? 0}
          </Text>
          {branch(id, 1)}
        </div>
      ))}
    </Section>
  )
}
