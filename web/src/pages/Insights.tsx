import { Grid, Loader, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { get, type InsightsOverview } from '../api'
import { Chart } from '../components/Chart'
import { EmptyState, Figure, PageTitle, ProblemAlert, Section } from '../components/ui'
import { label, money, percent, shortMoney } from '../format'

const teal = ['#0b7285', '#1098ad', '#3bc9db', '#99e9f2', '#e3fafc', '#f08c00']

/** Leadership's first look: how many regulars, how often they come back, and where they buy. */
export function InsightsPage() {
  const [months, setMonths] = useState('12')
  const overview = useQuery({ queryKey: ['insights', months], queryFn: () => get<InsightsOverview>(`/insights/overview?months=${months}`) })
  const data = overview.data
  return (
    <Stack data-testid="insights-dashboard" maw={1200} mx="auto">
      <PageTitle
        right={
          <SegmentedControl
            value={months}
            onChange={setMonths}
            data={[
              { value: '3', label: '3 months' },
              { value: '12', label: '12 months' },
              { value: '24', label: '24 months' },
            ]}
          />
        }
      >
        Insights
      </PageTitle>
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
          <Section title="Sales by month">
            <Chart
              label="Sales and ordering members by month"
              option={{
                color: teal,
                tooltip: { trigger: 'axis' },
                legend: { top: 0, data: ['Sales', 'Members who bought'] },
                grid: { left: 56, right: 48, top: 40, bottom: 28 },
                xAxis: { type: 'category', data: data.salesByMonth.map((m) => m.month) },
                yAxis: [
                  { type: 'value', axisLabel: { formatter: (v: number) => shortMoney(v, data.currency) } },
                  { type: 'value', splitLine: { show: false } },
                ],
                series: [
                  {
                    name: 'Sales',
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
                  {data.channelMix.map((c) => `${label(c.channel)}: ${c.members} members`).join(' · ')}
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
                <Table.ScrollContainer minWidth={320}>
                  <Table fz="sm">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Store</Table.Th>
                        <Table.Th ta="right">Orders</Table.Th>
                        <Table.Th ta="right">Sales</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.storeSales.map((s) => (
                        <Table.Tr key={s.storeCode}>
                          <Table.Td>{s.storeName}</Table.Td>
                          <Table.Td ta="right">{s.orders.toLocaleString('en-GB')}</Table.Td>
                          <Table.Td ta="right">{money(s.salesMinor, data.currency)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Section>
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  )
}
