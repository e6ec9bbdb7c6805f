import { Badge, Card, Group, Loader, Progress, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { type DemandFeed, get, type LoopFigures, query } from '../api'
import { Chart, palette } from '../components/Chart'
import { DataTable } from '../components/DataTable'
import { CsvLink, EmptyState, Figure, ProblemAlert, Section } from '../components/ui'
import { money, percent, shortMoney } from '../format'

type Grain = DemandFeed['grain']
type Row = DemandFeed['rows'][number]
type Finding = Row['findings'][number]
const n = (row: Row, measure: string) => row.measures[measure] ?? 0
const count = (value: number) => (value ? value.toLocaleString('en-GB', { maximumFractionDigits: 1 }) : '—')

/** Insights → Demand: what members ask for, per category, store or region, beside what sells; and how fast we answer them. */
export function DemandPanel({ store }: { store?: string }) {
  const [grain, setGrain] = useState<Grain>('category')
  const path = `/insights/demand${query({ by: grain, store })}`
  const feed = useQuery({ queryKey: ['demand', grain, store], queryFn: () => get<DemandFeed>(path) })
  const loop = useQuery({ queryKey: ['ideas-loop', store], queryFn: () => get<LoopFigures>(`/insights/ideas-loop${query({ store })}`) })
  const rows = feed.data?.rows ?? []
  const top = rows.filter((r) => n(r, 'idea_support') + n(r, 'pledged_units') + n(r, 'wishlist_adds') > 0).slice(0, 10)
  const where = (r: Row) =>
    [r.category ?? 'No category', grain === 'store' ? (r.storeName ?? 'Online / every shop') : grain === 'region' ? (r.region ?? 'Every region') : null]
      .filter(Boolean)
      .join(' · ')
  return (
    <Stack data-testid="demand-panel">
      <LoopSection loop={loop.data} error={loop.error} />
      <Section
        title="What members ask for"
        right={
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              value={grain}
              onChange={(value) => setGrain(value as Grain)}
              data={[
                { value: 'category', label: 'Category' },
                { value: 'store', label: 'Store' },
                { value: 'region', label: 'Region' },
              ]}
            />
            <CsvLink path={path} />
          </Group>
        }
      >
        <ProblemAlert error={feed.error} />
        {feed.isPending && <Loader />}
        {feed.data && rows.length === 0 && <EmptyState title="No demand yet">Ideas, pledges, wishlists and sales show here as they come.</EmptyState>}
        {top.length > 0 && (
          <Chart
            label="Demand by place: weighted idea support, pledged units and wishlist adds"
            height={Math.max(160, top.length * 34 + 60)}
            option={{
              animation: false,
              color: [palette[0], '#f08c00', palette[2]],
              tooltip: { trigger: 'axis' },
              legend: { bottom: 0 },
              grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
              xAxis: { type: 'value' },
              yAxis: { type: 'category', inverse: true, data: top.map(where), axisLabel: { width: 140, overflow: 'truncate' } },
              series: [
                { name: 'Idea support', type: 'bar', stack: 'demand', data: top.map((r) => n(r, 'idea_support')) },
                { name: 'Pledged units', type: 'bar', stack: 'demand', data: top.map((r) => n(r, 'pledged_units')) },
                { name: 'Wishlist adds', type: 'bar', stack: 'demand', data: top.map((r) => n(r, 'wishlist_adds')) },
              ],
            }}
          />
        )}
        {rows.length > 0 && (
          <DataTable
            label="Demand and sales"
            rows={rows.slice(0, 50)}
            rowKey={(r) => `${r.category}-${r.storeId}-${r.region}-${r.currency}`}
            minWidth={860}
            columns={[
              { title: grain === 'category' ? 'Category' : grain === 'store' ? 'Category · store' : 'Category · region', cell: where, heading: true },
              { title: 'Ideas', cell: (r) => count(n(r, 'ideas')), align: 'right' },
              { title: 'Support', cell: (r) => count(n(r, 'idea_support')), align: 'right' },
              {
                title: 'I’d buy it',
                cell: (r) => (n(r, 'would_buy') ? `${n(r, 'would_buy')} at ${money(r.measures.would_buy_price ?? null, r.currency)}` : '—'),
                align: 'right',
              },
              { title: 'Pledged', cell: (r) => (n(r, 'pledged_units') ? `${n(r, 'pledged_units')} units` : '—'), align: 'right' },
              { title: 'Wishlists', cell: (r) => count(n(r, 'wishlist_adds')), align: 'right' },
              { title: 'Waiting', cell: (r) => count(n(r, 'back_in_stock_requests')), align: 'right' },
              {
                title: 'Reviews',
                cell: (r) => (n(r, 'reviews') ? `${n(r, 'reviews')}${n(r, 'low_ratings') ? ` (${n(r, 'low_ratings')} low)` : ''}` : '—'),
                align: 'right',
              },
              { title: 'Sold', cell: (r) => count(n(r, 'units_sold')), align: 'right' },
              { title: 'Sales', cell: (r) => (r.measures.sales === undefined ? '—' : money(r.measures.sales, r.currency)), align: 'right', bold: true },
            ]}
          />
        )}
        {feed.data && (
          <Text size="xs" c="dimmed" mt="xs">
            From {feed.data.sources.join(', ').replaceAll('_', ' ')}; the last 90 days of wishlists, sales, reviews, polls and closed ideas, and every open
            idea. Planning systems read the same rows as JSON at /v1/demand-feed.
          </Text>
        )}
      </Section>
      {rows.some((r) => r.findings.length > 0) && <FindingsSection rows={rows} where={where} />}
    </Stack>
  )
}

function LoopSection({ loop, error }: { loop?: LoopFigures; error: unknown }) {
  return (
    <Section title="Closing the loop">
      <ProblemAlert error={error} />
      {loop && (
        <Stack>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Figure label="Ideas shared" value={loop.ideasShared} hint={`in ${loop.months.length} months`} />
            <Figure
              label={`Answered in ${loop.answeredWithinDays} days`}
              value={loop.answeredInTimeShare === null ? '—' : percent(loop.answeredInTimeShare)}
              hint={`of ${loop.ideasDue} ideas old enough`}
            />
            <Figure label="Time to first answer" value={loop.medianDaysToFirstAnswer === null ? '—' : `${loop.medianDaysToFirstAnswer} days`} hint="median" />
            <Figure
              label="Became products"
              value={loop.becameProductsShare === null ? '—' : percent(loop.becameProductsShare)}
              hint={`${loop.launched} in stock now`}
            />
          </SimpleGrid>
          <Chart
            label="Ideas shared, answered and launched each month, beside sales"
            height={260}
            option={{
              animation: false,
              color: [palette[2], palette[0], '#2f9e44', '#f08c00'],
              tooltip: { trigger: 'axis' },
              legend: { bottom: 0 },
              grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
              xAxis: { type: 'category', data: loop.months.map((m) => m.month) },
              yAxis: [
                { type: 'value', name: 'ideas', minInterval: 1 },
                { type: 'value', name: 'sales', minInterval: 100, axisLabel: { formatter: (v: number) => shortMoney(v, loop.currency) } },
              ],
              series: [
                { name: 'Shared', type: 'bar', data: loop.months.map((m) => m.ideasShared) },
                { name: 'Answered', type: 'bar', data: loop.months.map((m) => m.answered) },
                { name: 'Launched', type: 'bar', data: loop.months.map((m) => m.launched) },
                { name: 'Sales', type: 'line', yAxisIndex: 1, smooth: true, data: loop.months.map((m) => m.salesMinor) },
              ],
            }}
          />
        </Stack>
      )}
    </Section>
  )
}

/** What polls chose, what members wait for and what reviews say, place by place (the feed's findings). */
function FindingsSection({ rows, where }: { rows: Row[]; where: (r: Row) => string }) {
  const places = rows.filter((r) => r.findings.length > 0).slice(0, 12)
  return (
    <Section title="What members told us">
      <Text size="sm" c="dimmed" mb="sm">
        Poll results, products members wait for, and the words that keep coming back in low (1–2★) and high (4–5★) reviews: each term is in at least two
        reviews.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="demand-findings">
        {places.map((r) => (
          <Card key={`${r.category}-${r.storeId}-${r.region}-${r.currency}`} withBorder padding="sm">
            <Text fw={600} mb="xs">
              {where(r)}
            </Text>
            <Stack gap="sm">
              {r.findings.slice(0, 6).map((f) => (
                <FindingView key={findingKey(f)} finding={f} />
              ))}
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Section>
  )
}

const findingKey = (f: Finding) => (f.kind === 'poll' ? f.pollId : `${f.kind}-${f.sku}`)

function FindingView({ finding: f }: { finding: Finding }) {
  if (f.kind === 'poll')
    return (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {f.question}{' '}
          <Text span size="xs" c="dimmed">
            {f.voices} {f.voices === 1 ? 'voice' : 'voices'} · {f.pollKind === 'pairwise' ? 'chance of being preferred' : 'share choosing it'}
          </Text>
        </Text>
        {f.options.slice(0, 4).map((o) => (
          <Group key={o.label} gap="xs" wrap="nowrap">
            <Text size="xs" w={110} truncate>
              {o.label}
            </Text>
            <Progress value={o.score * 100} size="sm" style={{ flex: 1 }} aria-label={`${o.label}: ${percent(o.score)}`} />
            <Text size="xs" w={40} ta="right">
              {percent(o.score)}
            </Text>
          </Group>
        ))}
      </Stack>
    )
  if (f.kind === 'back_in_stock')
    return (
      <Text size="sm">
        Waiting for <b>{f.product}</b> to come back: {f.members} {f.members === 1 ? 'member' : 'members'}
      </Text>
    )
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {f.product}{' '}
        <Text span size="xs" c="dimmed">
          {f.reviews} reviews, {f.lowRatings} low, {f.highRatings} high
        </Text>
      </Text>
      {f.complaints.length > 0 && (
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            Complaints
          </Text>
          {f.complaints.map((t) => (
            <Badge key={t.term} color="red" variant="light" tt="none">
              {t.term} ({t.reviews})
            </Badge>
          ))}
        </Group>
      )}
      {f.praise.length > 0 && (
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            Praise
          </Text>
          {f.praise.map((t) => (
            <Badge key={t.term} color="green" variant="light" tt="none">
              {t.term} ({t.reviews})
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  )
}
