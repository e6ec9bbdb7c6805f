import { ActionIcon, Badge, Button, Group, Indicator, Paper, Stack, Text, ThemeIcon } from '@mantine/core'
import { IconBell, IconChecks, IconFlag, IconMessage, IconMessageQuestion, IconShieldCheck, IconTrendingUp } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import { api, get, type NotificationItem, type Notifications, query, type Unread } from '../api'
import { dateTime } from '../format'
import { EmptyState, ProblemAlert } from './ui'

const unreadKey = ['notifications', 'unread']

/** The bell in the header: how many notifications wait, refreshed every half minute and on return to the tab. */
export function NotificationBell() {
  const unread = useQuery({ queryKey: unreadKey, queryFn: () => get<Unread>('/notifications/unread'), refetchInterval: 30_000 })
  const count = unread.data?.unread ?? 0
  return (
    <Indicator label={count > 99 ? '99+' : count} size={18} color="red" disabled={count === 0} offset={4}>
      <ActionIcon
        component={Link}
        to="/notifications"
        variant="subtle"
        color="gray"
        size="lg"
        aria-label={count ? `Notifications, ${count} unread` : 'Notifications'}
        data-testid="notification-bell"
      >
        <IconBell size={22} />
      </ActionIcon>
    </Indicator>
  )
}

const kindIcons: Record<string, { icon: ReactNode; color: string; label: string }> = {
  reply: { icon: <IconMessage size={18} />, color: 'teal', label: 'Reply' },
  answer: { icon: <IconMessageQuestion size={18} />, color: 'teal', label: 'Answer' },
  question: { icon: <IconMessageQuestion size={18} />, color: 'blue', label: 'Question' },
  mention: { icon: <IconMessage size={18} />, color: 'grape', label: 'Mention' },
  status: { icon: <IconTrendingUp size={18} />, color: 'orange', label: 'Update' },
  moderation: { icon: <IconShieldCheck size={18} />, color: 'gray', label: 'Moderation' },
  report: { icon: <IconFlag size={18} />, color: 'red', label: 'Report' },
}

function NotificationRow({ item, onRead }: { item: NotificationItem; onRead: (id: string) => void }) {
  const kind = kindIcons[item.kind] ?? kindIcons.status
  const unread = !item.readAt
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      bg={unread ? 'teal.0' : undefined}
      data-testid="notification"
      aria-label={unread ? `Unread: ${item.title}` : item.title}
    >
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <ThemeIcon variant="light" color={kind.color} radius="xl" size={36} aria-hidden>
          {kind.icon}
        </ThemeIcon>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <Text fw={unread ? 700 : 500} style={{ overflowWrap: 'anywhere' }}>
              {item.title}
            </Text>
            {unread && (
              <Badge size="xs" color="teal">
                new
              </Badge>
            )}
          </Group>
          {item.body && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {item.body}
            </Text>
          )}
          <Group gap="xs" wrap="wrap">
            <Text size="xs" c="dimmed">
              {kind.label} · {dateTime(item.createdAt)}
            </Text>
            {item.link && (
              <Button component="a" href={item.link} size="compact-xs" variant="subtle" onClick={() => unread && onRead(item.id)}>
                Open
              </Button>
            )}
            {unread && (
              <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onRead(item.id)}>
                Mark read
              </Button>
            )}
          </Group>
        </Stack>
      </Group>
    </Paper>
  )
}

/** Everything the signed-in person was told, newest first: replies, answers, updates and moderators' decisions. */
export function NotificationList() {
  const client = useQueryClient()
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list'],
    queryFn: ({ pageParam }) => get<Notifications>(`/notifications${query({ limit: 20, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const refresh = () => client.invalidateQueries({ queryKey: ['notifications'] })
  const read = useMutation({ mutationFn: (id: string) => api<Unread>('POST', `/notifications/${id}/read`), onSuccess: refresh })
  const readAll = useMutation({ mutationFn: () => api<Unread>('POST', '/notifications/read'), onSuccess: refresh })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  const unread = list.data?.pages[0]?.unread ?? 0
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text c="dimmed" size="sm">
          {unread ? `${unread} unread` : 'All read'}
        </Text>
        <Button variant="light" leftSection={<IconChecks size={16} />} disabled={!unread} loading={readAll.isPending} onClick={() => readAll.mutate()}>
          Mark all read
        </Button>
      </Group>
      <ProblemAlert error={list.error ?? read.error ?? readAll.error} />
      {list.data && items.length === 0 && (
        <EmptyState title="Nothing yet" icon={<IconBell size={26} />}>
          Replies to what you wrote, answers to your questions, news of ideas you follow and moderators’ decisions appear here.
        </EmptyState>
      )}
      {items.map((item) => (
        <NotificationRow key={item.id} item={item} onRead={(id) => read.mutate(id)} />
      ))}
      {list.hasNextPage && (
        <Button variant="subtle" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          Older notifications
        </Button>
      )}
    </Stack>
  )
}
