import { Anchor, Badge, Button, Grid, Group, Loader, NumberInput, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { useState } from 'react'
import { get, type InsightMemberList, query, type RetentionSummary, type ScoreSummary, type SegmentMix, type SegmentName, type ValueSummary } from '../api'
import { date, label, money, percent, shortMoney } from '../format'
import { Chart, Histogram, palette, segmentColours } from './Chart'
import { DataTable } from './DataTable'
import { CsvLink, EmptyState, Figure, ProblemAlert, Section } from './ui'

/** The insights page's search: the tab, the shared filters and a drill-down into members. */
export interface InsightsSearch extends Record<string, string | undefined> {
  tab?: string
  store?: string
  channel?: string
  segment?: string
  maxPAlive?: string
  minClv?: string
}

/** Filters every panel shares: members of a home store, members who use a channel most. */
export interface Filters {
  store?: string
  channel?: string
}

const refreshHint = 'Figures are made by the nightly refresh (regulars insights refresh); an admin can run it now from the API.'

function NotYet({ refreshedAt, children }: { refreshedAt: string | null; children: React.ReactNode }) {
  if (refreshedAt) return children
  return <EmptyState title="No relationship figures yet">{refreshHint}</EmptyState>
}

const Freshness = ({ at }: { at: string | null }) =>
  at ? (
    <Text size="xs" c="dimmed">
      As of {date(at)}
    </Text>
  ) : null

/** Who is a regular, who shops on price, who drifts: the segment mix, its movement and the score. */
export function Relationships({ filters, onDrill }: { filters: Filters; onDrill: (segment: SegmentName) => void }) {
  const [quarter, setQuarter] = useState<string | null>(null)
  const params = query({ store: filters.store, channel: filters.channel })
  const quarterParams = query({ store: filters.store, channel: filters.channel, quarter })
  const mix = useQuery({ queryKey: ['insights', 'segments', quarterParams], queryFn: () => get<SegmentMix>(`/insights/segments${quarterParams}`) })
  const latest = useQuery({ queryKey: ['insights', 'segments', params], queryFn: () => get<SegmentMix>(`/insights/segments${params}`) })
  const scores = useQuery({ queryKey: ['insights', 'scores', params], queryFn: () => get<ScoreSummary>(`/insights/scores${params}`) })
  const data = mix.data
  return (
    <Stack>
      <ProblemAlert error={mix.error ?? scores.error} />
      {mix.isPending && <Loader />}
      {data && (
        <NotYet refreshedAt={data.refreshedAt}>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            {data.mix.map((m) => (
              <Anchor key={m.segment} component="button" onClick={() => onDrill(m.segment)} underline="never" ta="left">
                <Figure label={label(m.segment)} value={m.members.toLocaleString('en-GB')} hint={`in ${data.quarter}: see who`} />
              </Anchor>
            ))}
          </SimpleGrid>
          <Group justify="space-between">
            <Select
              aria-label="Quarter"
              w={160}
              data={(latest.data?.byQuarter ?? []).map((q) => q.quarter).reverse()}
              value={quarter ?? data.quarter}
              onChange={setQuarter}
              allowDeselect={false}
            />
            <Freshness at={data.refreshedAt} />
          </Group>
          <Section title="Segments by quarter">
            <Chart
              label="Members in each segment by quarter"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { left: 48, right: 16, top: 40, bottom: 28 },
                xAxis: { type: 'category', data: data.byQuarter.map((q) => q.quarter) },
                yAxis: { type: 'value' },
                series: data.segments.map((segment) => ({
                  name: label(segment),
                  type: 'bar',
                  stack: 'members',
                  color: segmentColours[segment],
                  data: data.byQuarter.map((q) => q[segment]),
                })),
              }}
            />
          </Section>
          <Grid>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Section title={`How members moved into ${data.quarter}`} right={<CsvLink path={`/insights/segments${quarterParams}`} />}>
                <Transitions data={data} />
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Section title="How segments are made">
                <Text size="sm">
                  A quarter <b>leans on price</b> when at least {percent(data.thresholds.priceShare)} of its spend was on discounted lines and the member took
                  part fewer than {data.thresholds.participationBelow} times (reviews, ideas, visits…); otherwise it leans on the relationship.
                </Text>
                <Text size="sm" mt="xs">
                  <b>Fluctuating</b>: both leans within {data.thresholds.lookbackQuarters} quarters. <b>Lapsed</b>: no purchase for{' '}
                  {data.thresholds.lapsedAfterQuarters} quarters. <b>New</b>: first purchase this quarter. Admins change these in the insights settings.
                </Text>
              </Section>
            </Grid.Col>
          </Grid>
          {scores.data && <Scores data={scores.data} />}
        </NotYet>
      )}
    </Stack>
  )
}

/** The transition matrix: rows where members were last quarter, columns where they are now. */
function Transitions({ data }: { data: SegmentMix }) {
  const from = ['none', ...data.segments] as const
  const count = (f: string, t: string) => data.transitions.find((x) => x.from === f && x.to === t)?.members ?? 0
  const max = Math.max(1, ...data.transitions.map((t) => t.members))
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table fz="xs" withTableBorder withColumnBorders aria-label="Segment transitions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>from ↓ to →</Table.Th>
            {data.segments.map((s) => (
              <Table.Th key={s} ta="right">
                {label(s)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {from.map((f) => (
            <Table.Tr key={f}>
              <Table.Td fw={600}>{label(f)}</Table.Td>
              {data.segments.map((t) => {
                const n = count(f, t)
                return (
                  <Table.Td key={t} ta="right" style={{ background: n ? `rgba(16, 152, 173, ${0.08 + (0.5 * n) / max})` : undefined }}>
                    {n || ''}
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

function Scores({ data }: { data: ScoreSummary }) {
  const parts = Object.entries(data.parts)
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Section title={`Relationship score: ${data.averageScore} on average`}>
          <Histogram
            label="Members by relationship score"
            height={220}
            bins={data.spread.map((b) => `${b.from}–${b.to}`)}
            members={data.spread.map((b) => b.members)}
          />
          <Group gap={6} mt="xs">
            {parts.map(([part, value]) => (
              <Badge key={part} variant="light">
                {label(part)} {percent(value)}
              </Badge>
            ))}
          </Group>
        </Section>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Section title="Average score by month" right={<CsvLink path="/insights/scores" />}>
          <Chart
            label="Average relationship score by month"
            height={250}
            option={{
              color: palette,
              tooltip: { trigger: 'axis' },
              grid: { left: 40, right: 16, top: 16, bottom: 28 },
              xAxis: { type: 'category', data: data.trend.map((t) => t.month) },
              yAxis: { type: 'value', min: 0, max: 100 },
              series: [{ name: 'Average score', type: 'line', smooth: true, data: data.trend.map((t) => t.averageScore) }],
            }}
          />
        </Section>
      </Grid.Col>
    </Grid>
  )
}

/** What members are worth ahead (BG/NBD and Gamma-Gamma), and the valuable ones drifting away. */
export function Value({ filters, onDrill }: { filters: Filters; onDrill: (drill: InsightsSearch) => void }) {
  const params = query({ store: filters.store, channel: filters.channel })
  const value = useQuery({ queryKey: ['insights', 'value', params], queryFn: () => get<ValueSummary>(`/insights/value${params}`) })
  const data = value.data
  const fitted = data?.models.bgnbd
  return (
    <Stack>
      <ProblemAlert error={value.error} />
      {value.isPending && <Loader />}
      {data && (
        <NotYet refreshedAt={data.refreshedAt}>
          {!fitted && <EmptyState title="Not enough repeat buying yet">Lifetime value needs at least 20 buyers, 10 of them repeat buyers.</EmptyState>}
          {fitted && (
            <>
              <SimpleGrid cols={{ base: 2, sm: 5 }}>
                <Figure label="Lifetime value, next 12 months" value={shortMoney(data.totalClvMinor)} hint={`${data.buyers.toLocaleString('en-GB')} buyers`} />
                <Figure label="Average per buyer" value={money(data.averageClvMinor)} />
                <Figure label="Still shopping (average)" value={percent(data.averagePAlive)} hint="probability alive, of repeat buyers" />
                <Figure
                  label="One-time buyers"
                  value={data.oneTimeBuyers.toLocaleString('en-GB')}
                  hint={`${data.oneTimeDrifting.toLocaleString('en-GB')} away twice the usual gap`}
                />
                <Anchor
                  component="button"
                  underline="never"
                  ta="left"
                  onClick={() => onDrill({ atRisk: 'true', maxPAlive: undefined, minClv: undefined, segment: undefined })}
                >
                  <Figure
                    label="Valuable, drifting"
                    value={data.atRisk.toLocaleString('en-GB')}
                    hint="top-quarter value, P(alive) < 50% or a one-time buyer long away: see who"
                  />
                </Anchor>
              </SimpleGrid>
              <Grid>
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Section title="Lifetime value" right={<CsvLink path={`/insights/value${params}`} />}>
                    <Histogram
                      label="Members by expected lifetime value"
                      bins={data.clvBuckets.map((b) => (b.toMinor === null ? `${shortMoney(b.fromMinor)}+` : `<${shortMoney(b.toMinor)}`))}
                      members={data.clvBuckets.map((b) => b.members)}
                    />
                  </Section>
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 6 }}>
                  <Section title="Probability still shopping (repeat buyers)">
                    <Histogram
                      label="Members by probability alive"
                      colour="#f08c00"
                      bins={data.pAliveBuckets.map((b) => percent(b.from))}
                      members={data.pAliveBuckets.map((b) => b.members)}
                    />
                  </Section>
                </Grid.Col>
              </Grid>
              <Text size="xs" c="dimmed">
                BG/NBD r {fitted.r?.toFixed(3)}, α {fitted.alpha?.toFixed(3)}, a {fitted.a?.toFixed(3)}, b {fitted.b?.toFixed(3)}
                {data.models.gammaGamma &&
                  ` · Gamma-Gamma p ${data.models.gammaGamma.p?.toFixed(2)}, q ${data.models.gammaGamma.q?.toFixed(2)}, γ ${data.models.gammaGamma.gamma?.toFixed(1)}`}{' '}
                · docs/insights.md explains the models.
              </Text>
            </>
          )}
        </NotYet>
      )}
    </Stack>
  )
}

/** Do members come back? Cohort curves, repeat rate, and omni- against single-channel members. */
export function Retention({ filters }: { filters: Filters }) {
  const params = query({ store: filters.store, channel: filters.channel })
  const retention = useQuery({ queryKey: ['insights', 'retention', params], queryFn: () => get<RetentionSummary>(`/insights/retention${params}`) })
  const data = retention.data
  const months = data ? Array.from({ length: data.months }, (_, k) => `M${k}`) : []
  const curve = (name: string, retained: (number | null)[]) => ({
    name,
    type: 'line' as const,
    connectNulls: false,
    data: retained.map((r) => (r === null ? null : Math.round(r * 1000) / 10)),
  })
  return (
    <Stack>
      <ProblemAlert error={retention.error} />
      {retention.isPending && <Loader />}
      {data && (
        <NotYet refreshedAt={data.refreshedAt}>
          <SimpleGrid cols={{ base: 2, sm: 3 }}>
            <Figure label="Bought again" value={percent(data.repeatRate)} hint="of buyers, on another day" />
            <Figure label="Days between purchases" value={data.medianDaysBetweenPurchases ?? '—'} hint="median of repeat buyers' average gap" />
            <Figure label="Cohorts" value={data.byJoinMonth.length} hint="join months shown" />
          </SimpleGrid>
          <Grid>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Section title="Share buying N months after joining" right={<CsvLink path={`/insights/retention${params}`} />}>
                <Chart
                  label="Retention curves by join month"
                  height={300}
                  option={{
                    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v}%`) },
                    legend: { type: 'scroll', top: 0 },
                    grid: { left: 40, right: 16, top: 40, bottom: 28 },
                    xAxis: { type: 'category', data: months },
                    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
                    series: data.byJoinMonth.map((c) => curve(c.cohort, c.retained)),
                  }}
                />
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Section title="By the channel they joined on">
                <Chart
                  label="Retention curves by acquisition channel"
                  height={300}
                  option={{
                    color: palette,
                    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v}%`) },
                    legend: { top: 0 },
                    grid: { left: 40, right: 16, top: 40, bottom: 28 },
                    xAxis: { type: 'category', data: months },
                    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
                    series: data.byChannel.map((c) => curve(label(c.channel), c.retained)),
                  }}
                />
              </Section>
            </Grid.Col>
          </Grid>
          <Section title="Omni-channel members against single-channel members (last 12 months)">
            <DataTable
              label="Omni-channel against single-channel members"
              rows={data.omniVsSingle}
              rowKey={(g) => g.group}
              minWidth={560}
              columns={[
                { title: 'Members', cell: (g) => (g.group === 'omni' ? 'Two or more channels' : 'One channel'), heading: true },
                { title: 'How many', cell: (g) => g.members.toLocaleString('en-GB'), align: 'right' },
                { title: 'Spend each', cell: (g) => money(g.averageSpendMinor), align: 'right' },
                { title: 'Orders each', cell: (g) => g.averageOrders, align: 'right' },
                { title: 'Bought again', cell: (g) => percent(g.repeatRate), align: 'right' },
                { title: 'Bought in 90 days', cell: (g) => percent(g.active90d), align: 'right' },
                { title: 'Score', cell: (g) => g.averageScore, align: 'right' },
              ]}
            />
          </Section>
        </NotYet>
      )}
    </Stack>
  )
}

const segmentOptions = ['new', 'relationship_driven', 'fluctuating', 'price_driven', 'lapsed'].map((s) => ({ value: s, label: label(s) }))

/** The members behind a figure, to call or hand to associates: filter, page through, export. */
export function MemberList({ filters, search, onChange }: { filters: Filters; search: InsightsSearch; onChange: (drill: InsightsSearch) => void }) {
  const params = query({
    store: filters.store,
    channel: filters.channel,
    segment: search.segment,
    maxPAlive: search.maxPAlive,
    minClv: search.minClv,
    atRisk: search.atRisk,
  })
  const list = useQuery({
    queryKey: ['insights', 'members', params],
    queryFn: () => get<InsightMemberList>(`/insights/members${params}${params ? '&' : '?'}limit=100`),
  })
  return (
    <Stack>
      <Group align="flex-end" gap="sm">
        <Select
          label="Segment"
          placeholder="Any"
          clearable
          w={200}
          data={segmentOptions}
          value={search.segment ?? null}
          onChange={(segment) => onChange({ segment: segment ?? undefined })}
        />
        <NumberInput
          label="Probability alive below"
          placeholder="Any"
          w={190}
          min={0}
          max={1}
          step={0.1}
          decimalScale={2}
          value={search.maxPAlive ?? ''}
          onChange={(v) => onChange({ maxPAlive: v === '' ? undefined : String(v) })}
        />
        <NumberInput
          label="Lifetime value at least (£)"
          placeholder="Any"
          w={190}
          min={0}
          value={search.minClv ?? ''}
          onChange={(v) => onChange({ minClv: v === '' ? undefined : String(v) })}
        />
        {search.atRisk && (
          <Badge size="lg" color="orange" variant="light">
            Valuable, drifting
          </Badge>
        )}
        <Button variant="default" onClick={() => onChange({ segment: undefined, maxPAlive: undefined, minClv: undefined, atRisk: undefined })}>
          Clear
        </Button>
      </Group>
      <ProblemAlert error={list.error} />
      {list.isPending && <Loader />}
      {list.data && list.data.total === 0 && <EmptyState title="Nobody matches">Loosen a filter, or run the refresh if figures are missing.</EmptyState>}
      {list.data && list.data.total > 0 && (
        <Section title={`${list.data.total.toLocaleString('en-GB')} members`} right={<CsvLink path={`/insights/members${params}`} />}>
          <DataTable
            label="Members"
            rows={list.data.items}
            rowKey={(m) => m.memberId}
            minWidth={760}
            striped
            columns={[
              {
                title: 'Member',
                heading: true,
                cell: (m) => (
                  <Link to="/associate/members/$memberId" params={{ memberId: m.memberId }} style={{ fontWeight: 600, color: 'var(--mantine-color-teal-8)' }}>
                    {m.name || 'Unnamed member'}
                  </Link>
                ),
              },
              { title: 'Home store', cell: (m) => m.homeStore ?? '—' },
              {
                title: 'Segment',
                cell: (m) =>
                  m.segment && (
                    <Badge color={segmentColours[m.segment]} variant="light">
                      {label(m.segment)}
                    </Badge>
                  ),
              },
              { title: 'Score', cell: (m) => m.score, align: 'right' },
              {
                title: 'P(alive)',
                cell: (m) => (m.oneTimeBuyer ? 'One-time buyer' : m.pAlive === null ? '—' : percent(m.pAlive)),
                align: 'right',
              },
              { title: 'Lifetime value', cell: (m) => (m.clvMinor === null ? '—' : money(m.clvMinor)), align: 'right' },
              { title: 'Spend 12 months', cell: (m) => money(m.spendMinor), align: 'right' },
              { title: 'Last bought', cell: (m) => date(m.lastPurchaseAt) },
            ]}
          />
          {list.data.total > list.data.items.length && (
            <Text size="xs" c="dimmed" mt="xs">
              Showing the {list.data.items.length} most valuable; the CSV has all {list.data.total.toLocaleString('en-GB')}.
            </Text>
          )}
        </Section>
      )}
    </Stack>
  )
}
