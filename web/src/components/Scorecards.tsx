import { Button, Group, Loader, Modal, NumberInput, Progress, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, get, query, type Scorecard, type ScorecardFigures, type ScorecardTargets, type TargetFigure } from '../api'
import { date, money } from '../format'
import { Chart, palette } from './Chart'
import { DataTable } from './DataTable'
import { CsvLink, EmptyState, ProblemAlert, Section } from './ui'

const dimensions = [
  { value: 'stores', label: 'Stores' },
  { value: 'associates', label: 'Associates' },
  { value: 'channels', label: 'Channels' },
]
const periods = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '12 months' },
]

/** Change against the period before, as "+12%" (nothing when there was nothing before). */
function Change({ now, before }: { now: number | null; before: number | null }) {
  if (now === null || !before) return null
  const change = (now - before) / before
  return (
    <Text span size="xs" c={change >= 0 ? 'teal' : 'red'} ml={4}>
      {change >= 0 ? '+' : ''}
      {Math.round(change * 100)}%
    </Text>
  )
}

// A month, for showing a monthly target pro rata over the scorecard's period.
const monthDays = 365.25 / 12

/** Progress against a monthly target over the period: "62% of 31" under the figure. */
function TargetProgress({ now, monthly, days, show }: { now: number; monthly: number; days: number; show: (n: number) => string }) {
  const target = Math.round((monthly * days) / monthDays)
  const share = target ? now / target : 0
  return (
    <Stack gap={2} mt={2} align="flex-end" data-testid="target-progress">
      <Progress value={Math.min(100, share * 100)} color={share >= 1 ? 'teal' : share >= 0.7 ? 'yellow' : 'red'} size="sm" w={72} aria-hidden />
      <Text span size="xs" c="dimmed">
        {Math.round(share * 100)}% of {show(target)}
      </Text>
    </Stack>
  )
}

const columns: [keyof ScorecardFigures, string, (n: number) => string][] = [
  ['membersServed', 'Members served', (n) => n.toLocaleString('en-GB')],
  ['returningMembers', 'Came back', (n) => n.toLocaleString('en-GB')],
  ['orders', 'Orders', (n) => n.toLocaleString('en-GB')],
  ['salesMinor', 'Sales', (n) => money(n)],
  ['storeVisits', 'Visits', (n) => n.toLocaleString('en-GB')],
  ['averageScore', 'Score of members', (n) => String(n)],
  ['relationshipDriven', 'Relationship-driven', (n) => n.toLocaleString('en-GB')],
]
// Clienteling counts for whoever logs it: associates and stores, not channels.
const clienteling: typeof columns = [
  ['conversations', 'Conversations', (n) => n.toLocaleString('en-GB')],
  ['notes', 'Notes', (n) => n.toLocaleString('en-GB')],
  ['suggestionsAccepted', 'Suggestions taken', (n) => n.toLocaleString('en-GB')],
]

/** Store, associate and channel scorecards: relationship measures beside sales, against the period before. */
export function Scorecards({ store }: { store?: string }) {
  const [dimension, setDimension] = useState('stores')
  const [span, setSpan] = useState('90')
  const today = new Date()
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1))
  const from = new Date(to.getTime() - Number(span) * 86_400_000)
  const path = `/insights/scorecards/${dimension}${query({ from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), store })}`
  const card = useQuery({ queryKey: ['insights', 'scorecard', path], queryFn: () => get<Scorecard>(path) })
  const data = card.data
  const rows = data?.rows.filter((r) => r.current.membersServed || r.previous.membersServed) ?? []
  const shown = dimension === 'channels' ? columns : [...columns, ...clienteling]
  const days = data ? (new Date(data.period.to).getTime() - new Date(data.period.from).getTime()) / 86_400_000 : 0
  return (
    <Stack>
      <Group justify="space-between">
        <SegmentedControl value={dimension} onChange={setDimension} data={dimensions} />
        <Group gap="xs">
          <SegmentedControl value={span} onChange={setSpan} data={periods} />
          {dimension !== 'channels' && data && <TargetForm dimension={dimension === 'stores' ? 'store' : 'associate'} rows={rows} />}
        </Group>
      </Group>
      <ProblemAlert error={card.error} />
      {card.isPending && <Loader />}
      {data && rows.length === 0 && (
        <EmptyState title="Nothing in this period">
          {dimension === 'associates'
            ? 'Associates appear when tills name who served (details.associate, see docs/api.md).'
            : 'Activity in the period appears here.'}
        </EmptyState>
      )}
      {data && rows.length > 0 && (
        <>
          <Section title="Members served, this period and the one before">
            <Chart
              label={`Members served by ${dimension}`}
              height={Math.max(160, rows.length * 36)}
              option={{
                color: [palette[0], '#ced4da'],
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { left: 140, right: 24, top: 32, bottom: 24 },
                xAxis: { type: 'value' },
                yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
                series: [
                  { name: 'This period', type: 'bar', data: rows.map((r) => r.current.membersServed) },
                  { name: 'Period before', type: 'bar', data: rows.map((r) => r.previous.membersServed) },
                ],
              }}
            />
          </Section>
          <Section
            title={`${date(data.period.from)} – ${date(new Date(new Date(data.period.to).getTime() - 1).toISOString())}`}
            right={<CsvLink path={path} />}
          >
            <DataTable
              label="Scorecard"
              rows={rows}
              rowKey={(r) => r.key}
              minWidth={1100}
              striped
              columns={[
                {
                  title: dimensions.find((d) => d.value === dimension)?.label ?? 'Name',
                  heading: true,
                  cell: (r) => (
                    <>
                      {r.name}
                      {r.detail && (
                        <Text span size="xs" c="dimmed" ml={4}>
                          {r.detail}
                        </Text>
                      )}
                    </>
                  ),
                },
                ...shown.map(([key, title, show]) => ({
                  title,
                  align: 'right' as const,
                  cell: (r: (typeof rows)[number]) => {
                    const monthly = r.targets[key as TargetFigure]
                    return (
                      <>
                        {r.current[key] === null ? '—' : show(r.current[key] as number)}
                        <Change now={r.current[key]} before={r.previous[key]} />
                        {monthly !== undefined && <TargetProgress now={r.current[key] ?? 0} monthly={monthly} days={days} show={show} />}
                      </>
                    )
                  },
                })),
              ]}
            />
            <Text size="xs" c="dimmed" mt="xs">
              Came back: served on two or more days in the period. Score: the average relationship score of the members served.
            </Text>
          </Section>
        </>
      )}
    </Stack>
  )
}

const targetFigures: { value: TargetFigure; label: string }[] = [
  { value: 'salesMinor', label: 'Sales (£ a month)' },
  { value: 'orders', label: 'Orders' },
  { value: 'membersServed', label: 'Members served' },
  { value: 'returningMembers', label: 'Came back' },
  { value: 'storeVisits', label: 'Visits' },
  { value: 'conversations', label: 'Conversations' },
  { value: 'notes', label: 'Notes' },
  { value: 'suggestionsAccepted', label: 'Suggestions taken' },
]

/** Sets a monthly target for a store or an associate: who, which figure, how much a month (blank takes it away). */
function TargetForm({ dimension, rows }: { dimension: 'store' | 'associate'; rows: Scorecard['rows'] }) {
  const [open, setOpen] = useState(false)
  const [who, setWho] = useState<string | null>(null)
  const [figure, setFigure] = useState<TargetFigure>('salesMinor')
  const [monthly, setMonthly] = useState<number | ''>('')
  const client = useQueryClient()
  const chosen = rows.find((r) => r.key === who)
  const save = useMutation({
    mutationFn: () =>
      api<ScorecardTargets>('PUT', '/insights/targets', {
        dimension,
        // Stores go by code (shown beside the name), associates by their login.
        who: dimension === 'store' ? chosen?.detail : chosen?.key,
        figure,
        monthly: monthly === '' ? null : figure === 'salesMinor' ? Math.round(monthly * 100) : Math.round(monthly),
      }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['insights', 'scorecard'] })
      notifications.show({ color: 'teal', message: monthly === '' ? 'Target taken away.' : 'Target set: progress shows on the scorecard.' })
      setOpen(false)
    },
  })
  const current = chosen?.targets[figure]
  return (
    <>
      <Button variant="default" size="sm" onClick={() => setOpen(true)}>
        Set targets
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`A monthly target for ${dimension === 'store' ? 'a store' : 'an associate'}`}>
        <Stack>
          <Select
            label={dimension === 'store' ? 'Store' : 'Associate'}
            data={rows.map((r) => ({ value: r.key, label: r.detail ? `${r.name} (${r.detail})` : r.name }))}
            value={who}
            onChange={setWho}
            searchable
          />
          <Select label="Figure" data={targetFigures} value={figure} onChange={(f) => f && setFigure(f as TargetFigure)} allowDeselect={false} />
          <NumberInput
            label="Each month"
            description={
              current !== undefined ? `Now ${figure === 'salesMinor' ? money(current) : current}; leave blank to take it away` : 'Leave blank for no target'
            }
            min={1}
            value={monthly}
            onChange={(v) => setMonthly(typeof v === 'number' ? v : '')}
            prefix={figure === 'salesMinor' ? '£' : undefined}
            thousandSeparator=","
          />
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button onClick={() => save.mutate()} disabled={!chosen} loading={save.isPending}>
              Save target
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}
