import { Badge, Button, Group, NumberInput, SimpleGrid, Table, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, get, type Points, type PointsMove } from '../api'
import { date } from '../format'
import { EmptyState, Figure, ProblemAlert, Section, submit } from './ui'

const _newKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/** Balance, pending, owed and what expires soon. `base` is /me or /members/:id. */
export function PointsFigures({ base }: { base: string }) {
  const points = useQuery({ queryKey: ['points', base], queryFn: () => get<Points>(`${base}/points`) })
  if (!points.data) return <ProblemAlert error={points.error} />
  const p = points.data
  const expiring = p.expiringSoon.reduce((sum, e) => sum + e.points, 0)
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }}>
      <Figure
        label="Points to spend"
        value={p.available.toLocaleString('en-GB')}
        hint={p.owed < 0 ? `${-p.owed} owed from a return` : `${p.lifetimeEarned.toLocaleString('en-GB')} earned in all`}
      />
      <Figure label="Pending" value={p.pending.toLocaleString('en-GB')} hint="yours once the return window closes" />
      <Figure
        label="Expiring soon"
        value={expiring.toLocaleString('en-GB')}
        hint={p.expiringSoon[0] ? `first on ${date(p.expiringSoon[0].expiresAt)}` : 'nothing in the next 60 days'}
      />
      <Figure label="Held at a till" value={p.reserved.toLocaleString('en-GB')} />
    </SimpleGrid>
  )
}

/** Every movement of points with the reason the member reads. */
export function PointsHistory({ base }: { base: string }) {
  const [all, setAll] = useState(false)
  const history = useQuery({ queryKey: ['points-history', base], queryFn: () => get<{ items: PointsMove[] }>(`${base}/points/history`) })
  return (
    <Section title="Points history">
      <ProblemAlert error={history.error} />
      {history.data?.items.length === 0 && <EmptyState title="No points yet">Points come with purchases, visits, reviews and ideas.</EmptyState>}
      <Table.ScrollContainer minWidth={360}>
        <Table fz="sm">
          <Table.Tbody>
            {history.data?.items.slice(0, all ? undefined : 8).map((move) => (
              <Table.Tr key={move.id} data-testid="points-move">
                <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {date(move.occurredAt)}
                </Table.Td>
                <Table.Td>
                  {move.explanation}
                  {move.pendingUntil && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      · pending until {date(move.pendingUntil)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" fw={600} c={move.points < 0 ? 'orange.8' : 'teal.8'} style={{ whiteSpace: 'nowrap' }}>
                  {move.points > 0 ? '+' : '−'}
                  {Math.abs(move.points).toLocaleString('en-GB')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!all && (history.data?.items.length ?? 0) > 8 && (
        <Button variant="subtle" size="xs" onClick={() => setAll(true)}>
          Show more
        </Button>
      )}
    </Section>
  )
}

/** Goodwill points a manager gives (or takes back) with the reason the member reads; redeeming is on the till card. */
export function Goodwill({ memberId }: { memberId: string }) {
  const client = useQueryClient()
  const [points, setPoints] = useState<number | string>(100)
  const [reason, setReason] = useState('')
  const adjust = useMutation({
    mutationFn: () => api('POST', `/members/${memberId}/points/adjustments`, { points: Number(points), reason }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Points adjusted; the member sees your reason.' })
      setReason('')
      client.invalidateQueries({ queryKey: ['points'] })
      client.invalidateQueries({ queryKey: ['points-history'] })
      client.invalidateQueries({ queryKey: ['till-rewards', memberId] })
    },
  })
  return (
    <Section title="Goodwill points">
      <form onSubmit={submit(() => adjust.mutate())}>
        <Group align="flex-end" gap="xs" wrap="wrap">
          <NumberInput label="Points" value={points} onChange={setPoints} w={130} />
          <TextInput
            label="Reason the member reads"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            style={{ flex: 1, minWidth: 160 }}
          />
          <Button type="submit" variant="default" loading={adjust.isPending}>
            Adjust
          </Button>
        </Group>
        <ProblemAlert error={adjust.error} />
      </form>
    </Section>
  )
}

/** What a reward costs, in full: never squeezed by a long name, since that is what a shopper looks for first. */
export function RewardCost({ cost }: { cost: number }) {
  return (
    <Badge variant="light" style={{ flexShrink: 0 }} data-testid="reward-cost">
      {cost.toLocaleString('en-GB')} points
    </Badge>
  )
}
