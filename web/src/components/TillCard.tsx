import { Badge, Button, Divider, Group, Modal, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconCreditCard, IconGift } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import {
  api,
  type FollowUp,
  get,
  type LinkedIdentifier,
  type MemberCard,
  type MemberTier,
  type Points,
  type PointsMove,
  type Redemption,
  type TillRewards,
} from '../api'
import { date, label } from '../format'
import { RewardCost } from './Points'
import { ProblemAlert, submit } from './ui'

const newKey = () => `till-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
type Hold = { id: string; rewardName: string; points: number }

/**
 * The top of the associate's member page: who is at the till and what they can do now, on one
 * screen of a phone. Name, tier, points to spend and pending, verified identifiers (and adding a
 * card), the rewards they can have with Redeem (the others disabled, saying why), holds waiting,
 * purchases still open for return and follow-ups owed. Everything else is further down.
 */
export function TillCard({ card, actions }: { card: MemberCard; actions?: ReactNode }) {
  const memberId = card.member.id
  const base = `/members/${memberId}`
  const points = useQuery({ queryKey: ['points', base], queryFn: () => get<Points>(`${base}/points`) })
  const tier = useQuery({ queryKey: ['tier', base], queryFn: () => get<MemberTier>(`${base}/tier`) })
  const first = card.member.givenName ?? card.member.displayName
  return (
    <Paper withBorder p="md" radius="md" data-testid="till-card">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Group gap="xs" align="center" style={{ minWidth: 0 }}>
            <Title order={2} style={{ overflowWrap: 'anywhere' }}>
              {card.member.displayName}
            </Title>
            {tier.data && (
              <Badge size="lg" variant="light" color="grape" data-testid="till-tier">
                {tier.data.name}
              </Badge>
            )}
          </Group>
          {actions}
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          <Small label="Points to spend" testId="till-available">
            {points.data ? points.data.available.toLocaleString('en-GB') : '…'}
          </Small>
          <Small label="Pending" testId="till-pending">
            {points.data ? points.data.pending.toLocaleString('en-GB') : '…'}
          </Small>
          <Small label="Expiring soon" hint={points.data?.expiringSoon[0] ? `first on ${date(points.data.expiringSoon[0].expiresAt)}` : undefined}>
            {points.data ? points.data.expiringSoon.reduce((sum, e) => sum + e.points, 0).toLocaleString('en-GB') : '…'}
          </Small>
          <Small label="Member since">{date(card.member.joinedAt)}</Small>
        </SimpleGrid>
        <VerifiedIdentifiers card={card} />
        <Divider />
        <TillRedeem memberId={memberId} first={first} />
        <Divider />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <OpenOrders base={base} />
          <OpenFollowUps memberId={memberId} />
        </SimpleGrid>
      </Stack>
    </Paper>
  )
}

function Small({ label: text, children, testId, hint }: { label: string; children: ReactNode; testId?: string; hint?: string }) {
  return (
    <div>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {text}
      </Text>
      <Text fz={{ base: 20, sm: 24 }} fw={700} lh={1.2} data-testid={testId} style={{ whiteSpace: 'nowrap' }}>
        {children}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  )
}

/** The identifiers the member has proved (or an associate vouched for), and a card added in one step. */
function VerifiedIdentifiers({ card }: { card: MemberCard }) {
  const client = useQueryClient()
  const [adding, setAdding] = useState(false)
  const [number, setNumber] = useState('')
  const verified = card.identifiers.filter((i) => i.verified)
  const add = useMutation({
    mutationFn: () => api<LinkedIdentifier>('POST', `/members/${card.member.id}/identifiers`, { kind: 'card', value: number.trim() }),
    onSuccess: (linked) => {
      notifications.show({ color: 'teal', message: `Card ${linked.value} added.` })
      setNumber('')
      setAdding(false)
      client.invalidateQueries({ queryKey: ['member', card.member.id] })
    },
  })
  return (
    <Stack gap={6}>
      <Group gap={6} wrap="wrap" data-testid="till-identifiers">
        <Text size="xs" tt="uppercase" fw={700} c="dimmed">
          Verified
        </Text>
        {verified.length === 0 && (
          <Text size="sm" c="dimmed">
            nothing yet
          </Text>
        )}
        {verified.map((i) => (
          <Badge key={`${i.kind}:${i.value}`} variant="outline" color="teal" tt="none" style={{ maxWidth: '100%' }}>
            {label(i.kind)}: {i.value}
          </Badge>
        ))}
        {!adding && (
          <Button size="compact-xs" variant="subtle" leftSection={<IconCreditCard size={14} />} onClick={() => setAdding(true)}>
            Add a card
          </Button>
        )}
      </Group>
      {adding && (
        <form onSubmit={submit(() => number.trim() && add.mutate())}>
          <Group gap="xs" align="flex-end" wrap="wrap">
            <TextInput
              label="Card number"
              placeholder="Scan or type the new card"
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              autoFocus
              style={{ flex: 1, minWidth: 180 }}
            />
            <Button type="submit" loading={add.isPending}>
              Add card
            </Button>
            <Button variant="default" onClick={() => setAdding(false)}>
              Not now
            </Button>
          </Group>
          {add.error && (
            <Stack mt="xs">
              <ProblemAlert error={add.error} />
            </Stack>
          )}
        </form>
      )}
    </Stack>
  )
}

/**
 * Redeeming at the till in two steps, as the API does: Redeem holds the points, the member agrees,
 * then the associate confirms the sale (spends them) or cancels (gives them back).
 */
function TillRedeem({ memberId, first }: { memberId: string; first: string }) {
  const client = useQueryClient()
  const key = ['till-rewards', memberId]
  const till = useQuery({ queryKey: key, queryFn: () => get<TillRewards>(`/members/${memberId}/rewards`) })
  const [holding, setHolding] = useState<Hold | null>(null)
  const refresh = () => {
    client.invalidateQueries({ queryKey: key })
    client.invalidateQueries({ queryKey: ['points'] })
    client.invalidateQueries({ queryKey: ['points-history'] })
  }
  const hold = useMutation({
    mutationFn: (reward: { id: string }) =>
      api<Redemption>('POST', `/members/${memberId}/redemptions`, { rewardId: reward.id }, { 'idempotency-key': newKey() }),
    onSuccess: (held, reward) => {
      setHolding({ id: held.id, points: held.points, rewardName: till.data?.rewards.find((r) => r.id === reward.id)?.name ?? 'the reward' })
      refresh()
    },
  })
  const settle = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'confirm' | 'cancel' }) => api<Redemption>('POST', `/members/${memberId}/redemptions/${id}/${action}`),
    onSuccess: (r) => {
      setHolding(null)
      notifications.show(
        r.status === 'confirmed'
          ? { color: 'teal', message: r.code ? `Redeemed. Code ${r.code}` : 'Redeemed: hand it over.' }
          : { color: 'gray', message: 'Cancelled: the points are back.' },
      )
      refresh()
    },
  })
  const rewards = [...(till.data?.rewards ?? [])].sort((a, b) => Number(b.redeemable) - Number(a.redeemable) || a.cost - b.cost)
  return (
    <Stack gap="xs" data-testid="till-rewards">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        Rewards
      </Text>
      <ProblemAlert error={till.error ?? hold.error} />
      {till.data?.holds.map((h) => (
        <Group key={h.id} justify="space-between" wrap="wrap" gap="xs" p={6} bg="var(--mantine-color-yellow-light)" style={{ borderRadius: 6 }}>
          <Text size="sm">
            Held: <b>{h.rewardName}</b> ({h.points.toLocaleString('en-GB')} points)
          </Text>
          <Button size="compact-sm" variant="light" onClick={() => setHolding(h)}>
            Finish
          </Button>
        </Group>
      ))}
      {rewards.length === 0 && till.data && (
        <Text size="sm" c="dimmed">
          No rewards in the catalogue yet.
        </Text>
      )}
      {rewards.map((reward) => (
        <Group key={reward.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="till-reward">
          <div style={{ minWidth: 0 }}>
            <Group gap={6} wrap="wrap">
              <Text size="sm" fw={600}>
                {reward.name}
              </Text>
              <RewardCost cost={reward.cost} />
            </Group>
            {reward.reason && (
              <Text size="xs" c="orange.8" data-testid="till-reward-reason">
                {reward.reason}
              </Text>
            )}
          </div>
          <Button
            size="compact-sm"
            variant={reward.redeemable ? 'filled' : 'default'}
            style={{ flexShrink: 0 }}
            disabled={!reward.redeemable}
            title={reward.reason ?? undefined}
            leftSection={<IconGift size={14} />}
            onClick={() => hold.mutate(reward)}
            loading={hold.isPending && hold.variables?.id === reward.id}
          >
            Redeem
          </Button>
        </Group>
      ))}
      <Modal opened={holding !== null} onClose={() => setHolding(null)} title={holding ? `Redeem ${holding.rewardName}?` : ''} centered>
        {holding && (
          <Stack>
            <Text>
              {holding.points.toLocaleString('en-GB')} points are held for {first}. Ask {first} to agree, then confirm the sale; cancelling gives the points
              back.
            </Text>
            <ProblemAlert error={settle.error} />
            <Group justify="flex-end" gap="xs">
              <Button
                variant="default"
                onClick={() => settle.mutate({ id: holding.id, action: 'cancel' })}
                loading={settle.isPending && settle.variables?.action === 'cancel'}
              >
                Cancel, give the points back
              </Button>
              <Button onClick={() => settle.mutate({ id: holding.id, action: 'confirm' })} loading={settle.isPending && settle.variables?.action === 'confirm'}>
                {first} agrees: confirm
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  )
}

/** Purchases still open: inside their return window, their points pending until it closes. */
function OpenOrders({ base }: { base: string }) {
  const history = useQuery({ queryKey: ['points-history', base], queryFn: () => get<{ items: PointsMove[] }>(`${base}/points/history`) })
  const open = (history.data?.items ?? []).filter((m) => m.pendingUntil && m.points > 0).slice(0, 3)
  return (
    <Stack gap={4} data-testid="till-open-orders">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        Open orders
      </Text>
      {history.data && open.length === 0 && (
        <Text size="sm" c="dimmed">
          None in the return window.
        </Text>
      )}
      {open.map((m) => (
        <Text key={m.id} size="sm">
          {date(m.occurredAt)}: {m.explanation.replace(/^\+[\d,]+ for (your )?/, '').replace(/^./, (c) => c.toUpperCase())}
          <Text span size="xs" c="dimmed">
            {' '}
            · returnable until {date(m.pendingUntil)}
          </Text>
        </Text>
      ))}
    </Stack>
  )
}

/** Follow-ups owed to the member, soonest first; overdue ones in orange. */
function OpenFollowUps({ memberId }: { memberId: string }) {
  const follows = useQuery({
    queryKey: ['member', memberId, 'follow-ups'],
    queryFn: () => get<{ items: FollowUp[] }>(`/members/${memberId}/follow-ups`),
  })
  const today = new Date().toISOString().slice(0, 10)
  const open = (follows.data?.items ?? []).filter((f) => !f.doneAt).slice(0, 3)
  return (
    <Stack gap={4} data-testid="till-follow-ups">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        Follow-ups
      </Text>
      {follows.data && open.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing owed.
        </Text>
      )}
      {open.map((f) => (
        <Text key={f.id} size="sm">
          {f.title}{' '}
          <Text span size="xs" c={f.dueOn < today ? 'orange.8' : 'dimmed'}>
            by {date(f.dueOn)}
          </Text>
        </Text>
      ))}
    </Stack>
  )
}
