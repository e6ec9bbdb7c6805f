import { Grid, Group, Loader, SegmentedControl, Select, SimpleGrid, Stack, Tabs, Text, TextInput } from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { type Channel, get, type InsightsOverview, query, type SalesSummary, type Store } from '../api'
import { Chart, palette as teal } from '../components/Chart'
import { DataTable } from '../components/DataTable'
import { type Filters, type InsightsSearch, MemberList, Relationships, Retention, Value } from '../components/InsightsPanels'
import { Scorecards } from '../components/Scorecards'
import { CsvLink, EmptyState, Figure, PageTitle, ProblemAlert, Section } from '../components/ui'
import { date, label, money, percent, shortMoney } from '../format'
import { DemandPanel } from '../ideas/DemandPanel'
import { useSession } from '../session'

const tabs = [
  ['overview', 'Sales'],
  ['relationships', 'Relationships'],
  ['value', 'Lifetime value'],
  ['retention', 'Retention'],
  ['scorecards', 'Scorecards'],
  ['members', 'Members'],
  ['demand', 'Demand'],
] as const

/** Leadership's and store managers' view: relationships beside sales, with the members behind each figure. */
export function InsightsPage() {
  const search = useSearch({ from: '/app/insights' }) as InsightsSearch
  const navigate = useNavigate()
  const go = (next: InsightsSearch) => navigate({ to: '/insights', search: next })
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => get<{ items: Store[] }>('/stores') })
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => get<{ items: Channel[] }>('/channels') })
  const filters: Filters = { store: search.store, channel: search.channel }
  const tab = search.tab ?? 'overview'
  return (
    <Stack data-testid="insights-dashboard" maw={1200} mx="auto">
      <PageTitle
        right={
          <Group gap="xs">
            <StoreFilter stores={stores.data?.items ?? []} value={search.store} onChange={(store) => go({ ...search, store })} />
            {tab !== 'overview' && (
              <Select
                aria-label="Channel"
                placeholder="All channels"
                clearable
                w={150}
                value={search.channel ?? null}
                onChange={(channel) => go({ ...search, channel: channel ?? undefined })}
                data={(channels.data?.items ?? []).map((c) => ({ value: c.code, label: label(c.code) }))}
              />
            )}
          </Group>
        }
      >
        Insights
      </PageTitle>
      <Tabs value={tab} onChange={(value) => go({ ...search, tab: value ?? undefined })} keepMounted={false}>
        <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {tabs.map(([key, title]) => (
            <Tabs.Tab key={key} value={key}>
              {title}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <SalesOverview store={search.store} />
        </Tabs.Panel>
        <Tabs.Panel value="relationships" pt="md">
          <Relationships filters={filters} onDrill={(segment) => go({ ...search, tab: 'members', segment })} />
        </Tabs.Panel>
        <Tabs.Panel value="value" pt="md">
          <Value filters={filters} onDrill={(drill) => go({ ...search, tab: 'members', ...drill })} />
        </Tabs.Panel>
        <Tabs.Panel value="retention" pt="md">
          <Retention filters={filters} />
        </Tabs.Panel>
        <Tabs.Panel value="scorecards" pt="md">
          <Scorecards store={search.store} />
        </Tabs.Panel>
        <Tabs.Panel value="members" pt="md">
          <MemberList filters={filters} search={search} onChange={(drill) => go({ ...search, ...drill })} />
        </Tabs.Panel>
        <Tabs.Panel value="demand" pt="md">
          <DemandPanel store={search.store} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}

/** Sales by month, channel and store, with how many members are active and come back. */
function SalesOverview({ store }: { store?: string }) {
  const [months, setMonths] = useState('12')
  const path = `/insights/overview${query({ months, store })}`
  const overview = useQuery({ queryKey: ['insights', path], queryFn: () => get<InsightsOverview>(path) })
  const data = overview.data
  return (
    <Stack>
      <SalesHeadline store={store} />
      <Group justify="flex-end">
        <SegmentedControl
          value={months}
          onChange={setMonths}
          data={[
            { value: '3', label: '3 months' },
            { value: '12', label: '12 months' },
            { value: '24', label: '24 months' },
          ]}
        />
      </Group>
      <ProblemAlert error={overview.error} />
      {overview.isPending && <Loader />}
      {data && data.members === 0 && <EmptyState title="No members yet">Import purchase history or connect a till; figures appear as members shop.</EmptyState>}
      {data && data.members > 0 && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Figure label="Members" value={data.members.toLocaleString('en-GB')} />
            <Figure
              label="Active in 90 days"
              value={data.activeMembers90d.toLocaleString('en-GB')}
              hint={`${percent(data.activeMembers90d / data.members)} of members`}
            />
            <Figure label="Came back to buy again" value={percent(data.repeatRate)} hint="members with 2+ purchases" />
          </SimpleGrid>
          <Section title="Sales to members by month" right={<CsvLink path={path} />}>
            <Chart
              label="Sales and ordering members by month"
              option={{
                color: teal,
                tooltip: { trigger: 'axis' },
                legend: { top: 0, data: ['Sales to members', 'Members who bought'] },
                grid: { left: 56, right: 48, top: 40, bottom: 28 },
                xAxis: { type: 'category', data: data.salesByMonth.map((m) => m.month) },
                yAxis: [
                  { type: 'value', axisLabel: { formatter: (v: number) => shortMoney(v, data.currency) } },
                  { type: 'value', splitLine: { show: false } },
                ],
                series: [
                  {
                    name: 'Sales to members',
                    type: 'bar',
                    data: data.salesByMonth.map((m) => m.salesMinor),
                    tooltip: { valueFormatter: (v) => money(Number(v), data.currency) },
                  },
                  { name: 'Members who bought', type: 'line', yAxisIndex: 1, smooth: true, data: data.salesByMonth.map((m) => m.members) },
                ],
              }}
            />
          </Section>
          <Grid>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Section title="Channel mix">
                <Chart
                  label="Sales by channel"
                  height={260}
                  option={{
                    color: teal,
                    tooltip: { trigger: 'item', valueFormatter: (v) => money(Number(v), data.currency) },
                    legend: { bottom: 0 },
                    series: [{ type: 'pie', radius: ['40%', '70%'], data: data.channelMix.map((c) => ({ name: label(c.channel), value: c.salesMinor })) }],
                  }}
                />
                <Text size="xs" c="dimmed" ta="center">
                  {data.channelMix.map((c) => `${label(c.channel)}: ${c.members} buyers a month`).join(' · ')}
                </Text>
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Section title="Stores">
                <Chart
                  label="Sales by store"
                  height={220}
                  option={{
                    color: teal,
                    tooltip: { trigger: 'axis', valueFormatter: (v) => money(Number(v), data.currency) },
                    grid: { left: 120, right: 24, top: 8, bottom: 24 },
                    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => shortMoney(v, data.currency) } },
                    yAxis: { type: 'category', data: data.storeSales.map((s) => s.storeName) },
                    series: [{ type: 'bar', data: data.storeSales.map((s) => s.salesMinor) }],
                  }}
                />
                <DataTable
                  label="Sales by store"
                  rows={data.storeSales}
                  rowKey={(s) => s.storeCode}
                  minWidth={320}
                  columns={[
                    { title: 'Store', cell: (s) => s.storeName, heading: true },
                    { title: 'Orders', cell: (s) => s.orders.toLocaleString('en-GB'), align: 'right' },
                    { title: 'Sales', cell: (s) => money(s.salesMinor, data.currency), align: 'right' },
                  ]}
                />
              </Section>
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  )
}

/**
 * The store filter. A manager held to stores sees only theirs, named as theirs ("Covent Garden (your
 * store)"), and cannot clear it to a wider view: the server answers for their stores only anyway.
 */
function StoreFilter({ stores, value, onChange }: { stores: Store[]; value?: string; onChange: (store: string | undefined) => void }) {
  const user = useSession()?.user
  const held = user && user.role !== 'admin' && user.storeIds.length > 0 ? user.storeIds : undefined
  const own = held ? stores.filter((s) => held.includes(s.id)) : stores
  const yours = held ? (own.length === 1 ? ' (your store)' : ' (yours)') : ''
  const options = own.map((s) => ({ value: s.code, label: `${s.name}${yours}` }))
  // Held to one store: that store is the filter, whatever the address says.
  const shown = held && own.length === 1 ? own[0].code : (value ?? null)
  return (
    <Select
      aria-label="Store"
      placeholder={held ? 'All your stores' : 'All stores'}
      clearable={!(held && own.length === 1)}
      readOnly={held && own.length === 1}
      w={held ? 240 : 170}
      value={shown}
      onChange={(store) => onChange(store ?? undefined)}
      data={options}
    />
  )
}

const dayMs = 86_400_000
const periodChoices = [
  { value: 'mtd', label: 'Month to date' },
  { value: '30', label: '30 days' },
  { value: 'ytd', label: 'Year to date' },
  { value: 'custom', label: 'Custom' },
]
const isoDay = (at: Date) => at.toISOString().slice(0, 10)

/** The days a period choice covers, as `from` and `to` (the day after the last); month to date asks for none. */
function periodOf(choice: string, custom: { from: string; to: string }): { from?: string; to?: string } {
  const now = new Date()
  const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
  if (choice === '30') return { from: isoDay(new Date(tomorrow.getTime() - 30 * dayMs)), to: isoDay(tomorrow) }
  if (choice === 'ytd') return { from: `${now.getUTCFullYear()}-01-01`, to: isoDay(tomorrow) }
  if (choice === 'custom' && custom.from && custom.to) return { from: custom.from, to: isoDay(new Date(new Date(custom.to).getTime() + dayMs)) }
  return {}
}

/** "+12% on last year" under a figure; nothing when last year had none. */
const onLastYear = (now: number | null, before: number | null) =>
  now === null || !before
    ? 'nothing the same days last year'
    : `${now >= before ? '+' : ''}${Math.round(((now - before) / before) * 100)}% on the same days last year`

/**
 * What a manager reads first: total sales, orders, average order and the member capture rate (the
 * share of orders linked to a member) for month to date or any days, against the same days last year.
 */
function SalesHeadline({ store }: { store?: string }) {
  const [choice, setChoice] = useState('mtd')
  // Four choices do not fit across a phone: there they are a list.
  const phone = useMediaQuery('(max-width: 36em)')
  const [custom, setCustom] = useState({ from: '', to: '' })
  const path = `/insights/sales${query({ ...periodOf(choice, custom), store })}`
  const sales = useQuery({ queryKey: ['insights', path], queryFn: () => get<SalesSummary>(path) })
  const data = sales.data
  const last = data && new Date(new Date(data.period.to).getTime() - 1).toISOString()
  const title = data ? `${data.monthToDate ? 'Month to date: ' : ''}${date(data.period.from)} – ${date(last)}` : 'Sales'
  return (
    <Section title={title} right={data && <CsvLink path={path} />}>
      <Group gap="xs" mb="sm" align="flex-end">
        {phone ? (
          <Select aria-label="Period" value={choice} onChange={(v) => v && setChoice(v)} data={periodChoices} allowDeselect={false} w={170} />
        ) : (
          <SegmentedControl value={choice} onChange={setChoice} aria-label="Period" data={periodChoices} />
        )}
        {choice === 'custom' && (
          <Group gap="xs">
            <TextInput type="date" label="From" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })} w={150} />
            <TextInput type="date" label="To (inclusive)" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.currentTarget.value })} w={150} />
          </Group>
        )}
      </Group>
      <ProblemAlert error={sales.error} />
      {data && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="sales-headline">
          <Figure
            label="Total sales"
            value={money(data.current.salesMinor, data.currency)}
            hint={onLastYear(data.current.salesMinor, data.previous.salesMinor)}
          />
          <Figure label="Orders" value={data.current.orders.toLocaleString('en-GB')} hint={onLastYear(data.current.orders, data.previous.orders)} />
          <Figure
            label="Average order"
            value={money(data.current.averageOrderMinor, data.currency)}
            hint={onLastYear(data.current.averageOrderMinor, data.previous.averageOrderMinor)}
          />
          <Figure
            label="Member capture"
            value={data.current.captureRate === null ? '—' : percent(data.current.captureRate)}
            hint={`${data.current.memberOrders.toLocaleString('en-GB')} of ${data.current.orders.toLocaleString('en-GB')} orders by members; last year ${
              data.previous.captureRate === null ? '—' : percent(data.previous.captureRate)
            }`}
          />
        </SimpleGrid>
      )}
    </Section>
  )
}
