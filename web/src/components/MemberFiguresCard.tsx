import { Badge, Group, Loader, SimpleGrid, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { get, type MemberFigures } from '../api'
import { date, label, money, percent } from '../format'
import { Chart, palette, segmentColours } from './Chart'
import { ProblemAlert, Section } from './ui'

/** For staff only: the member's relationship score, segment by quarter, and what they are likely worth. */
export function MemberFiguresCard({ memberId }: { memberId: string }) {
  const figures = useQuery({ queryKey: ['member', memberId, 'insights'], queryFn: () => get<MemberFigures>(`/members/${memberId}/insights`) })
  const data = figures.data
  return (
    <Section title="Relationship" right={data?.segment && <Badge color={segmentColours[data.segment]}>{label(data.segment)}</Badge>}>
      <ProblemAlert error={figures.error} />
      {figures.isPending && <Loader size="sm" />}
      {data && data.score === null && (
        <Text size="sm" c="dimmed">
          No figures yet: they appear after the next insights refresh.
        </Text>
      )}
      {data && data.score !== null && (
        <>
          <SimpleGrid cols={3} spacing="xs">
            <div>
              <Text size="xs" c="dimmed">
                Relationship, 0–100
              </Text>
              <Text fw={700} fz="xl" data-testid="relationship-score">
                {data.score}
              </Text>
            </div>
            {data.oneTimeBuyer ? (
              // BG/NBD calls anyone without a repeat purchase alive: say what is known instead.
              <div data-testid="one-time-buyer">
                <Text size="xs" c="dimmed">
                  One-time buyer
                </Text>
                <Text fw={700} fz="md" lh={1.3}>
                  Last seen {date(data.lastPurchaseAt)}
                </Text>
                {data.drifting && (
                  <Badge size="xs" color="orange" variant="light">
                    Drifting away
                  </Badge>
                )}
              </div>
            ) : (
              <div>
                <Text size="xs" c="dimmed">
                  Still shopping
                </Text>
                <Text fw={700} fz="xl">
                  {data.pAlive === null ? '—' : percent(data.pAlive)}
                </Text>
              </div>
            )}
            <div>
              <Text size="xs" c="dimmed">
                Value, 12 months
              </Text>
              <Text fw={700} fz="xl">
                {data.clvMinor === null ? '—' : money(data.clvMinor)}
              </Text>
            </div>
          </SimpleGrid>
          {data.parts && (
            <Group gap={4} mt="xs">
              {Object.entries(data.parts).map(([part, value]) => (
                <Badge key={part} size="sm" variant={value > 0.5 ? 'filled' : 'light'}>
                  {label(part)} {percent(value)}
                </Badge>
              ))}
            </Group>
          )}
          {data.segments.length > 0 && (
            <Group gap={4} mt="sm" aria-label="Segment by quarter">
              {data.segments.slice(-8).map((s) => (
                <Badge
                  key={s.quarter}
                  size="sm"
                  variant="outline"
                  color={segmentColours[s.segment]}
                  title={`${s.orders} orders, ${s.participation} times taking part`}
                >
                  {s.quarter}: {label(s.segment)}
                </Badge>
              ))}
            </Group>
          )}
          {data.scoreHistory.length > 1 && (
            <Chart
              label="Relationship score by month"
              height={140}
              option={{
                color: palette,
                tooltip: { trigger: 'axis' },
                grid: { left: 32, right: 8, top: 12, bottom: 24 },
                xAxis: { type: 'category', data: data.scoreHistory.map((h) => h.month) },
                yAxis: { type: 'value', min: 0, max: 100 },
                series: [{ type: 'line', data: data.scoreHistory.map((h) => h.score) }],
              }}
            />
          )}
        </>
      )}
    </Section>
  )
}
