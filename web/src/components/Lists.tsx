import { Accordion, Badge, Button, Checkbox, Group, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, type FriendsPage, get, type MemberCard, type MemberList, type MemberLists, type ProductMatches } from '../api'
import { money } from '../format'
import { EmptyState, ProblemAlert, Section, submit } from './ui'

function useListAction<T>(fn: (arg: T) => Promise<unknown>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      for (const key of ['lists', 'list', 'feed', 'shares']) client.invalidateQueries({ queryKey: [key] })
    },
  })
}

/** Finds a catalogue product by name and adds it. */
function AddItem({ list }: { list: MemberList }) {
  const [q, setQ] = useState('')
  const [tell, setTell] = useState(false)
  const matches = useQuery({
    queryKey: ['products', q],
    queryFn: () => get<ProductMatches>(`/me/products?q=${encodeURIComponent(q)}`),
    enabled: q.trim().length >= 2,
  })
  const add = useListAction((sku: string) => api('POST', `/me/lists/${list.listId}/items`, { sku, share: list.kind === 'wishlist' && tell }))
  return (
    <Stack gap={6}>
      <TextInput label="Add a product" placeholder="Search the shop" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
      {list.kind === 'wishlist' && <Checkbox label="Tell my friends" checked={tell} onChange={(e) => setTell(e.currentTarget.checked)} size="xs" />}
      {matches.data?.items.map((p) => (
        <Group key={p.sku} justify="space-between" wrap="nowrap">
          <Text size="sm" truncate>
            {p.name} · {money(p.priceMinor, p.currency)}
          </Text>
          <Button size="compact-xs" variant="light" onClick={() => add.mutate(p.sku)} aria-label={`Add ${p.name}`}>
            Add
          </Button>
        </Group>
      ))}
      <ProblemAlert error={add.error} />
    </Stack>
  )
}

/** The owner shares the list with a friend as editor or viewer. */
function ShareWith({ list }: { list: MemberList }) {
  const friends = useQuery({ queryKey: ['friends'], queryFn: () => get<FriendsPage>('/me/friends') })
  const [friend, setFriend] = useState<string | null>(null)
  const [role, setRole] = useState<'viewer' | 'editor'>('viewer')
  const share = useListAction(() => api('PUT', `/me/lists/${list.listId}/shares/${friend}`, { role }))
  const stop = useListAction((memberId: string) => api('DELETE', `/me/lists/${list.listId}/shares/${memberId}`))
  const options = (friends.data?.friends ?? []).map((f) => ({ value: f.memberId, label: f.name }))
  return (
    <Stack gap={6}>
      {list.sharedWith.map((s) => (
        <Group key={s.memberId} justify="space-between">
          <Text size="sm">
            {s.name}{' '}
            <Badge size="xs" variant="light">
              {s.role}
            </Badge>
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => stop.mutate(s.memberId)}>
            Stop sharing
          </Button>
        </Group>
      ))}
      {options.length > 0 ? (
        <form onSubmit={submit(() => share.mutate(undefined))}>
          <Group align="flex-end" gap="xs">
            <Select label="Share with a friend" data={options} value={friend} onChange={setFriend} style={{ flex: '1 0 200px' }} />
            <SegmentedControl
              size="xs"
              value={role}
              onChange={(v) => setRole(v as 'viewer' | 'editor')}
              data={[
                { value: 'viewer', label: 'can see' },
                { value: 'editor', label: 'can add' },
              ]}
            />
            <Button type="submit" variant="default" disabled={!friend} loading={share.isPending}>
              Share
            </Button>
          </Group>
        </form>
      ) : (
        <Text size="xs" c="dimmed">
          Add friends to share your lists with them.
        </Text>
      )}
      <ProblemAlert error={share.error ?? stop.error} />
    </Stack>
  )
}

function ListDetail({ listId }: { listId: string }) {
  const list = useQuery({ queryKey: ['list', listId], queryFn: () => get<MemberList>(`/me/lists/${listId}`) })
  const reserve = useListAction(({ itemId, undo }: { itemId: string; undo: boolean }) =>
    api(undo ? 'DELETE' : 'PUT', `/me/lists/${listId}/items/${itemId}/reservation`),
  )
  const remove = useListAction((itemId: string) => api('DELETE', `/me/lists/${listId}/items/${itemId}`))
  const leave = useListAction((memberId: string) => api('DELETE', `/me/lists/${listId}/shares/${memberId}`))
  const drop = useListAction(() => api('DELETE', `/me/lists/${listId}`))
  // A friend leaving a list names themself.
  const me = useQuery({ queryKey: ['me'], queryFn: () => get<MemberCard>('/me') })
  if (!list.data) return <ProblemAlert error={list.error} />
  const l = list.data
  const canEdit = l.role !== 'viewer'
  return (
    <Stack gap="sm" data-testid="list-detail">
      {l.items.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing on it yet.
        </Text>
      )}
      {l.items.map((item) => (
        <Paper key={item.itemId} withBorder p="xs" radius="sm" data-testid="list-item">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text size="sm" fw={500}>
                {item.product.name ?? item.sku}
                {item.quantity > 1 ? ` × ${item.quantity}` : ''}
              </Text>
              <Group gap="xs">
                <Text size="xs">{money(item.product.priceMinor, item.product.currency ?? 'GBP')}</Text>
                <Badge size="xs" variant="light" color={item.product.inStock ? 'teal' : 'gray'}>
                  {item.product.inStock ? 'in stock' : 'out of stock'}
                </Badge>
                {item.addedBy && item.addedBy.memberId !== l.owner.memberId && (
                  <Text size="xs" c="dimmed">
                    added by {item.addedBy.name}
                  </Text>
                )}
              </Group>
              {item.note && (
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {item.note}
                </Text>
              )}
            </Stack>
            <Group gap={4} wrap="nowrap">
              {l.role !== 'owner' &&
                (item.reservation && !item.reservation.mine ? (
                  <Badge variant="light" color="gray">
                    {item.reservation.name} will get this
                  </Badge>
                ) : (
                  <Button
                    size="compact-xs"
                    variant={item.reservation?.mine ? 'filled' : 'light'}
                    onClick={() => reserve.mutate({ itemId: item.itemId, undo: Boolean(item.reservation?.mine) })}
                  >
                    {item.reservation?.mine ? 'You’ll get this · undo' : 'I’ll get this'}
                  </Button>
                ))}
              {canEdit && (
                <Button size="compact-xs" variant="subtle" color="gray" onClick={() => remove.mutate(item.itemId)}>
                  Remove
                </Button>
              )}
            </Group>
          </Group>
        </Paper>
      ))}
      <ProblemAlert error={reserve.error ?? remove.error ?? leave.error ?? drop.error} />
      {canEdit && <AddItem list={l} />}
      {l.role === 'owner' ? (
        <>
          <ShareWith list={l} />
          <Group justify="flex-end">
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => drop.mutate(undefined)}>
              Delete list
            </Button>
          </Group>
        </>
      ) : (
        <Group justify="flex-end">
          <Button size="compact-xs" variant="subtle" disabled={!me.data} onClick={() => me.data && leave.mutate(me.data.member.id)}>
            Leave this list
          </Button>
        </Group>
      )}
    </Stack>
  )
}

/** Wishlists and gift lists: the member's own and those friends share with them. */
export function Lists() {
  const lists = useQuery({ queryKey: ['lists'], queryFn: () => get<MemberLists>('/me/lists') })
  const [title, setTitle] = useState('')
  const [kind, setKind] = useState<'wishlist' | 'gift'>('wishlist')
  const create = useListAction(() => api('POST', '/me/lists', { title, kind }))
  const [open, setOpen] = useState<string | null>(null)
  return (
    <Section title="Lists">
      <Stack gap="sm" data-testid="lists">
        <ProblemAlert error={lists.error ?? create.error} />
        {lists.data && lists.data.items.length === 0 && (
          <EmptyState title="No lists yet">Start a wishlist, or a gift list to share with the friends who buy for you.</EmptyState>
        )}
        {lists.data && lists.data.items.length > 0 && (
          <Accordion value={open} onChange={setOpen} variant="separated">
            {lists.data.items.map((l) => (
              <Accordion.Item key={l.listId} value={l.listId}>
                <Accordion.Control>
                  <Stack gap={2}>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={600} truncate>
                        {l.title}
                      </Text>
                      <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
                        {l.kind === 'gift' ? 'gift list' : 'wishlist'}
                      </Badge>
                    </Group>
                    {l.role !== 'owner' && (
                      <Text size="xs" c="dimmed">
                        {l.owner.name}’s · you {l.role === 'editor' ? 'can add' : 'can see'}
                      </Text>
                    )}
                  </Stack>
                </Accordion.Control>
                <Accordion.Panel>{open === l.listId && <ListDetail listId={l.listId} />}</Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
        <form onSubmit={submit(() => create.mutate(undefined, { onSuccess: () => setTitle('') }))}>
          <Group align="flex-end" gap="xs">
            <TextInput
              label="New list"
              placeholder="Birthday ideas"
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              required
              maxLength={100}
              style={{ flex: '1 0 200px' }}
            />
            <SegmentedControl
              size="xs"
              value={kind}
              onChange={(v) => setKind(v as 'wishlist' | 'gift')}
              data={[
                { value: 'wishlist', label: 'wishlist' },
                { value: 'gift', label: 'gift list' },
              ]}
            />
            <Button type="submit" variant="default" loading={create.isPending}>
              Start
            </Button>
          </Group>
        </form>
      </Stack>
    </Section>
  )
}
