import { Badge, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconHeart, IconShoppingBag } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, type Feed, type FeedItem, get, type Page, type Shares, type TimelineItem } from '../api'
import { dateTime, money } from '../format'
import { EmptyState, ProblemAlert, Section, submit } from './ui'

const said: Record<string, string> = { purchase: 'bought', wishlist: 'wishes for', shopping_live: 'is shopping live' }

/** One card: who, what, the product as the shop has it now, and their note (as text, never HTML). */
function Card({ item }: { item: FeedItem }) {
  const Icon = item.kind === 'wishlist' ? IconHeart : IconShoppingBag
  const note = typeof item.subject.note === 'string' ? item.subject.note : null
  return (
    <Paper withBorder p="sm" radius="md" data-testid="feed-item">
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Icon size={18} style={{ flexShrink: 0, marginTop: 2 }} />
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="sm">
            <b>{item.actor.name}</b> {said[item.kind] ?? item.kind} {item.product?.name ?? item.product?.sku ?? ''}
            {typeof item.subject.title === 'string' ? `: ${item.subject.title}` : ''}
          </Text>
          {item.product && (
            <Group gap="xs">
              <Text size="xs">{money(item.product.priceMinor, item.product.currency ?? 'GBP')}</Text>
              <Badge size="xs" variant="light" color={item.product.inStock ? 'teal' : 'gray'}>
                {item.product.inStock ? 'in stock' : 'out of stock'}
              </Badge>
            </Group>
          )}
          {note && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              “{note}”
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {dateTime(item.occurredAt)}
          </Text>
          {item.kind === 'shopping_live' && typeof item.subject.roomId === 'string' && (
            <Button component="a" href={`/rooms/${item.subject.roomId}`} size="compact-xs" w="fit-content">
              Join
            </Button>
          )}
        </Stack>
      </Group>
    </Paper>
  )
}

/** Picks a line of one of the member's purchases to show friends, with a note. */
function SharePurchase() {
  const client = useQueryClient()
  const purchases = useQuery({ queryKey: ['timeline', 'purchases'], queryFn: () => get<Page<TimelineItem>>('/me/timeline?kind=purchase&limit=20') })
  const [line, setLine] = useState<string | null>(null)
  const [note, setNote] = useState('')
  const share = useMutation({
    mutationFn: () => {
      const [activityId, sku] = (line ?? '').split('|')
      return api('POST', '/me/feed/shares', { activityId, sku, note: note || null })
    },
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Shared with your friends' })
      setLine(null)
      setNote('')
      client.invalidateQueries({ queryKey: ['shares'] })
    },
  })
  const options = (purchases.data?.items ?? []).flatMap((p) =>
    p.lines.filter((l) => l.quantity > 0).map((l) => ({ value: `${p.id}|${l.sku}`, label: `${l.productName ?? l.sku} · ${dateTime(p.occurredAt)}` })),
  )
  if (options.length === 0) return null
  return (
    <form onSubmit={submit(() => share.mutate())}>
      <Stack gap="xs">
        <Select label="Share something you bought" placeholder="Pick a purchase" data={options} value={line} onChange={setLine} searchable />
        <Group align="flex-end" gap="xs">
          <TextInput label="A word about it (optional)" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={280} style={{ flex: 1 }} />
          <Button type="submit" variant="default" disabled={!line} loading={share.isPending}>
            Share
          </Button>
        </Group>
        <ProblemAlert error={share.error} />
      </Stack>
    </form>
  )
}

function MyShares() {
  const client = useQueryClient()
  const shares = useQuery({ queryKey: ['shares'], queryFn: () => get<Shares>('/me/feed/shares') })
  const takeBack = useMutation({
    mutationFn: (id: string) => api('DELETE', `/me/feed/shares/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['shares'] }),
  })
  const items = shares.data?.items ?? []
  if (items.length === 0) return null
  return (
    <Stack gap={4}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        You shared
      </Text>
      {items.map((s) => (
        <Group key={s.shareId} justify="space-between" wrap="nowrap">
          <Text size="sm" truncate>
            {s.productName ?? s.sku}{' '}
            <Badge size="xs" variant="light">
              {s.kind === 'purchase' ? 'bought' : 'wishlist'}
            </Badge>
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => takeBack.mutate(s.shareId)}>
            Take back
          </Button>
        </Group>
      ))}
    </Stack>
  )
}

/** What friends chose to share, newest first; and what the member shares. */
export function FriendsFeed() {
  const feed = useQuery({ queryKey: ['feed'], queryFn: () => get<Feed>('/me/feed?limit=20') })
  return (
    <Section title="From your friends">
      <Stack gap="sm" data-testid="feed">
        <ProblemAlert error={feed.error} />
        {feed.data && feed.data.items.length === 0 && (
          <EmptyState title="Nothing from friends yet">
            What your friends share — things they bought or wish for — shows here. Only what they choose.
          </EmptyState>
        )}
        {feed.data?.items.map((item) => (
          <Card key={item.id} item={item} />
        ))}
        <SharePurchase />
        <MyShares />
      </Stack>
    </Section>
  )
}
