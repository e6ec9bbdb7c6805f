import { Badge, Button, Card, CopyButton, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core'
import { IconGift } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, get, type MyRedemption, type Points, type Redemption, type Reward } from '../api'
import { date, dateTime } from '../format'
import { RewardCost } from './Points'
import { EmptyState, ProblemAlert, Section } from './ui'

const newKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/** A redemption's state as the member reads it, with the colour of its badge. */
function stateOf(r: MyRedemption): { label: string; color: string; note: string } {
  switch (r.status) {
    case 'reserved':
      return { label: 'Held', color: 'yellow', note: `Held at the till until ${dateTime(r.expiresAt)}` }
    case 'confirmed':
      return r.code
        ? { label: 'Ready to use', color: 'teal', note: `Redeemed ${date(r.decidedAt ?? r.reservedAt)}` }
        : { label: 'Redeemed', color: 'teal', note: `Yours since ${date(r.decidedAt ?? r.reservedAt)}` }
    case 'expired':
      return { label: 'Expired', color: 'gray', note: `The hold lapsed ${dateTime(r.expiresAt)}; the points came back` }
    case 'cancelled':
      return { label: 'Cancelled', color: 'gray', note: `Cancelled ${date(r.decidedAt ?? r.reservedAt)}; the points came back` }
  }
}

/** Every reward the member redeemed, with its code and state: there after the "Enjoy!" window closes. */
export function MyRewards() {
  const mine = useQuery({ queryKey: ['my-redemptions'], queryFn: () => get<{ items: MyRedemption[] }>('/me/redemptions') })
  return (
    <Section title="My rewards">
      <ProblemAlert error={mine.error} />
      {mine.data?.items.length === 0 && (
        <EmptyState title="No rewards redeemed yet" icon={<IconGift size={26} />}>
          Rewards you redeem, online or at a till, stay here with their codes.
        </EmptyState>
      )}
      <Stack gap="xs">
        {mine.data?.items.map((r) => {
          const state = stateOf(r)
          return (
            <Card key={r.id} withBorder padding="sm" data-testid="my-reward">
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text fw={600}>{r.rewardName}</Text>
                  <Text size="xs" c="dimmed">
                    {state.note} · {r.points.toLocaleString('en-GB')} points
                  </Text>
                </div>
                <Badge color={state.color} variant="light" style={{ flexShrink: 0 }} data-testid="my-reward-status">
                  {state.label}
                </Badge>
              </Group>
              {r.code && r.status === 'confirmed' && (
                <Group gap="xs" mt={6}>
                  <Text ff="monospace" fw={700} fz="lg" data-testid="my-reward-code">
                    {r.code}
                  </Text>
                  <CopyButton value={r.code}>
                    {({ copied, copy }) => (
                      <Button size="compact-xs" variant="light" onClick={copy}>
                        {copied ? 'Copied' : 'Copy'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              )}
            </Card>
          )
        })}
      </Stack>
    </Section>
  )
}

/** The catalogue for a member: redeem online after saying yes to the points it spends, and get a code. */
export function RewardsCatalogue() {
  const client = useQueryClient()
  const rewards = useQuery({ queryKey: ['rewards'], queryFn: () => get<{ items: Reward[] }>('/rewards') })
  const points = useQuery({ queryKey: ['points', '/me'], queryFn: () => get<Points>('/me/points') })
  const [asking, setAsking] = useState<Reward | null>(null)
  const [done, setDone] = useState<Redemption | null>(null)
  // One key per "yes": a retry of the same yes (a dropped connection) is answered with the first redemption.
  const [key, setKey] = useState(newKey)
  const redeem = useMutation({
    mutationFn: (reward: Reward) => api<Redemption>('POST', '/me/redemptions', { rewardId: reward.id }, { 'idempotency-key': key }),
    onSuccess: (redemption) => {
      setAsking(null)
      setKey(newKey())
      setDone(redemption)
      for (const queryKey of [['points'], ['points-history'], ['my-redemptions']]) client.invalidateQueries({ queryKey })
    },
  })
  const available = points.data?.available ?? 0
  const inStoreOnly = (reward: Reward) => reward.channels.length > 0 && !reward.channels.includes('web')
  return (
    <Section title="Rewards">
      <ProblemAlert error={rewards.error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {rewards.data?.items.map((reward) => (
          <Card key={reward.id} withBorder padding="sm" data-testid="reward">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div>
                <Text fw={600}>{reward.name}</Text>
                <Text size="xs" c="dimmed">
                  {reward.description}
                  {inStoreOnly(reward) ? ' · in store only' : ''}
                </Text>
              </div>
              <RewardCost cost={reward.cost} />
            </Group>
            <Button
              mt="sm"
              size="xs"
              variant={available >= reward.cost ? 'filled' : 'default'}
              disabled={available < reward.cost || inStoreOnly(reward)}
              leftSection={<IconGift size={14} />}
              onClick={() => {
                redeem.reset()
                setAsking(reward)
              }}
            >
              {available >= reward.cost ? 'Redeem' : `${(reward.cost - available).toLocaleString('en-GB')} more points`}
            </Button>
          </Card>
        ))}
      </SimpleGrid>
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking ? `Redeem ${asking.name}?` : ''}>
        {asking && (
          <Stack>
            <Text>
              This spends <b>{asking.cost.toLocaleString('en-GB')} points</b>; you will have {(available - asking.cost).toLocaleString('en-GB')} left.
            </Text>
            <ProblemAlert error={redeem.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(null)}>
                Not now
              </Button>
              <Button loading={redeem.isPending} onClick={() => redeem.mutate(asking)}>
                Spend {asking.cost.toLocaleString('en-GB')} points
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <Modal opened={done !== null} onClose={() => setDone(null)} title="Enjoy!">
        {done?.code ? (
          <Stack>
            <Text>Your code, for the web shop or any till:</Text>
            <Text ff="monospace" fz="xl" fw={700} data-testid="redeemed-code">
              {done.code}
            </Text>
            <Text size="sm" c="dimmed">
              It stays under My rewards.
            </Text>
          </Stack>
        ) : (
          <Text>Redeemed. Show this at the till or we will be in touch about your booking; it stays under My rewards.</Text>
        )}
      </Modal>
    </Section>
  )
}
