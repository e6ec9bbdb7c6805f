import { Group, Loader, SegmentedControl, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { get, query, type Scorecard, type ScorecardFigures } from '../api'
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
  const [days, setDays] = useState('90')
  const today = new Date()
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1))
  const from = new Date(to.getTime() - Number(days) * 86_400_000)
  const path = `/insights/scorecards/${dimension}${query({ from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), store })}`
  const card = useQuery({ queryKey: ['insights', 'scorecard', path], queryFn: () => get<Scorecard>(path) })
  const data = card.data
  const rows = data?.rows.filter((r) => r.current.membersServed || r.previous.membersServed) ?? []
  const shown = dimension === 'channels' ? columns : [...columns, ...clienteling]
  return (
    <Stack>
      <Group justify="space-between">
        <SegmentedControl value={dimension} onChange={setDimension} data={dimensions} />
        <SegmentedControl value={days} onChange={setDays} data={periods} />
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
                  cell: (r: (typeof rows)[number]) => (
                    <>
                      {r.current[key] === null ? '—' : show(r.current[key] as number)}
                      <Change now={r.current[key]} before={r.previous[key]} />
                    </>
                  ),
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
