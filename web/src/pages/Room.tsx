import {
  ActionIcon,
  Badge,
  Button,
  Card,
  CopyButton,
  Grid,
  Group,
  NumberInput,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { IconSend } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useParams, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { api, get } from '../api'
import { PageTitle, ProblemAlert } from '../components/ui'
import { money } from '../format'
import { type ProductCard, type Room, type RoomState, type RoomSuggestion, useRoomSocket } from '../rooms/live'

const reactions = ['👍', '❤️', '😂', '🔥']

/** A live co-shopping room: who is here, the chat, the shared cart, product cards and suggestions. Mobile first; chat and cart side by side from a tablet up. */
export function RoomPage() {
  const { roomId } = useParams({ from: '/app/rooms/$roomId' })
  const { code } = useSearch({ from: '/app/rooms/$roomId' })
  const client = useQueryClient()
  const room = useQuery({
    queryKey: ['room', roomId],
    // Coming from an invite link: join first (a no-op for someone already in), then read the room.
    queryFn: async () => (code ? api<Room>('POST', `/rooms/${roomId}/join`, { code }) : get<Room>(`/rooms/${roomId}`)),
    retry: false,
  })
  const live = useRoomSocket(roomId, room.data?.status === 'open')
  const { state, send } = live
  const you = room.data?.you ?? ''
  const host = room.data?.role === 'host'
  const nameOf = (id: string | null) => (id ? (state.names[id] ?? room.data?.participants.find((p) => p.id === id)?.name ?? 'Someone') : 'The room')

  if (room.error) return <ProblemAlert error={room.error} title="This room is not open to you" />
  if (!room.data) return null
  return (
    <Stack data-testid="room" maw={1200} mx="auto">
      <PageTitle
        right={
          <Badge data-testid="room-status" color={live.status === 'live' ? 'green' : state.ended || room.data.status === 'ended' ? 'gray' : 'yellow'}>
            {state.ended || room.data.status === 'ended' ? 'ended' : live.status}
          </Badge>
        }
      >
        {room.data.title}
      </PageTitle>
      <Presence state={state} room={room.data} you={you} />
      {host && room.data.inviteCode && !state.ended && (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Invite link
          </Text>
          <CopyButton value={`${location.origin}/rooms/${roomId}?code=${room.data.inviteCode}`}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy} data-testid="copy-invite">
                {copied ? 'Copied' : 'Copy link'}
              </Button>
            )}
          </CopyButton>
          <AskAssociate roomId={roomId} requested={state.associateRequested} send={send} />
          <Button size="xs" color="red" variant="subtle" onClick={() => send({ type: 'room.end' })}>
            End room
          </Button>
        </Group>
      )}
      {live.error && (
        <Text c="red" size="sm" data-testid="room-error">
          {live.error}
        </Text>
      )}
      {state.follow && (
        <Paper withBorder p="xs" bg="blue.0">
          <Text size="sm">
            {nameOf(state.follow.participant)} asks everyone to look at <b>{state.follow.product.name}</b>
          </Text>
        </Paper>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Chat state={state} nameOf={nameOf} send={send} disabled={state.ended} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <SharedCart state={state} host={host} send={send} staff={room.data.role === 'associate'} />
        </Grid.Col>
      </Grid>
      <Products
        roomId={roomId}
        state={state}
        nameOf={nameOf}
        send={send}
        staff={room.data.role === 'associate'}
        onRefresh={() => client.invalidateQueries({ queryKey: ['room-products', roomId] })}
      />
    </Stack>
  )
}

function Presence({ state, room, you }: { state: RoomState; room: Room; you: string }) {
  return (
    <Group gap="xs" data-testid="presence">
      {room.participants
        .filter((p) => !p.removed && !state.removed.includes(p.id))
        .map((p) => (
          <Badge key={p.id} variant={(state.online[p.id] ?? 0) > 0 ? 'filled' : 'outline'} color={p.staff ? 'grape' : 'blue'}>
            {/* Names are text, never markup. */}
            {p.name}
            {p.id === you ? ' (you)' : ''}
            {p.staff ? ' · staff' : ''}
            {state.viewing[p.id] ? ` · ${state.viewing[p.id]}` : ''}
          </Badge>
        ))}
      {Object.entries(state.names)
        .filter(([id]) => !room.participants.some((p) => p.id === id))
        .map(([id, name]) => (
          <Badge key={id} variant={(state.online[id] ?? 0) > 0 ? 'filled' : 'outline'} color={state.staff[id] ? 'grape' : 'blue'}>
            {name}
            {state.staff[id] ? ' · staff' : ''}
          </Badge>
        ))}
    </Group>
  )
}

function Chat({
  state,
  nameOf,
  send,
  disabled,
}: {
  state: RoomState
  nameOf: (id: string | null) => string
  send: (m: Record<string, unknown>) => void
  disabled: boolean
}) {
  const [text, setText] = useState('')
  const post = () => {
    if (!text.trim()) return
    send({ type: 'chat.send', text: text.trim() })
    setText('')
  }
  return (
    <Card withBorder h="100%">
      <Title order={4}>Chat</Title>
      <ScrollArea h={320} data-testid="chat">
        <Stack gap={6}>
          {state.chat.map((m) => (
            <div key={m.seq} data-testid="chat-message">
              <Text size="xs" c="dimmed">
                {nameOf(m.participant)}
              </Text>
              <Text size="sm">{m.text}</Text>
              <Group gap={4}>
                {reactions.map((r) => (
                  <ActionIcon key={r} size="xs" variant="subtle" aria-label={`react ${r}`} onClick={() => send({ type: 'chat.react', seq: m.seq, emoji: r })}>
                    {r}
                  </ActionIcon>
                ))}
                {Object.entries(m.reactions).map(([r, n]) => (
                  <Text key={r} size="xs">
                    {r} {n}
                  </Text>
                ))}
              </Group>
            </div>
          ))}
        </Stack>
      </ScrollArea>
      <Group gap="xs" mt="xs" wrap="nowrap">
        <TextInput
          flex={1}
          aria-label="Message"
          placeholder="Say something"
          value={text}
          maxLength={1000}
          disabled={disabled}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && post()}
          data-testid="chat-input"
        />
        <ActionIcon size="lg" aria-label="Send" onClick={post} disabled={disabled}>
          <IconSend size={16} />
        </ActionIcon>
      </Group>
    </Card>
  )
}

function SharedCart({ state, host, send, staff }: { state: RoomState; host: boolean; send: (m: Record<string, unknown>) => void; staff: boolean }) {
  const cart = state.cart
  const [cap, setCap] = useState<number | string>('')
  return (
    <Card withBorder h="100%" data-testid="cart">
      <Group justify="space-between">
        <Title order={4}>Shared cart</Title>
        {cart?.locked && <Badge color="orange">{cart.checkedOut ? 'checked out' : 'locked'}</Badge>}
      </Group>
      {!cart || cart.lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing yet: add from the products below.
        </Text>
      ) : (
        <Stack gap={4} mt="xs">
          {cart.lines.map((l) => (
            <Group key={l.id} justify="space-between" wrap="nowrap" data-testid="cart-line">
              <div>
                <Text size="sm">
                  {l.quantity} × {l.name}
                </Text>
                <Text size="xs" c="dimmed">
                  added by {l.addedByName}
                  {l.inStock ? '' : ' · now out of stock'}
                </Text>
              </div>
              <Group gap={4} wrap="nowrap">
                <Text size="sm">{money(l.quantity * l.unitPriceMinor, l.currency)}</Text>
                {!cart.locked && !staff && (
                  <Button size="compact-xs" variant="subtle" onClick={() => send({ type: 'cart.remove', lineId: l.id })}>
                    Remove
                  </Button>
                )}
              </Group>
            </Group>
          ))}
          <Text fw={600} ta="right" data-testid="cart-total">
            {money(cart.totalMinor, cart.currency)}
          </Text>
          {cart.payers.map((p) => (
            <Text key={p.participantId} size="xs" ta="right" c="dimmed">
              {p.name} pays {money(p.amountMinor, cart.currency)}
            </Text>
          ))}
        </Stack>
      )}
      {host && !cart?.checkedOut && (
        <Stack gap="xs" mt="sm">
          <Group gap="xs" grow>
            <Select
              aria-label="Who pays"
              value={cart?.payment ?? 'host_pays'}
              data={[
                { value: 'host_pays', label: 'I pay for all' },
                { value: 'own_lines', label: 'Each pays their own' },
                { value: 'split_even', label: 'Split evenly' },
              ]}
              onChange={(mode) => mode && send({ type: 'cart.payment', mode, spendCapMinor: cart?.spendCapMinor ?? null })}
              disabled={cart?.locked}
            />
            <NumberInput
              aria-label="Spend cap per person (£)"
              placeholder="No cap"
              min={0}
              value={cap}
              onChange={setCap}
              onBlur={() =>
                send({ type: 'cart.payment', mode: cart?.payment ?? 'host_pays', spendCapMinor: cap === '' ? null : Math.round(Number(cap) * 100) })
              }
              disabled={cart?.locked}
            />
          </Group>
          <Group justify="space-between">
            <Switch label="Lock the cart" checked={cart?.locked ?? false} onChange={(e) => send({ type: 'cart.lock', locked: e.currentTarget.checked })} />
            <Button size="xs" disabled={!cart?.locked || cart.lines.length === 0} onClick={() => send({ type: 'cart.checkout' })}>
              Check out
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  )
}

function Products(props: {
  roomId: string
  state: RoomState
  nameOf: (id: string | null) => string
  send: (m: Record<string, unknown>) => void
  staff: boolean
  onRefresh: () => void
}) {
  const { roomId, state, nameOf, send, staff } = props
  const suggestions = useQuery({ queryKey: ['room-suggestions', roomId], queryFn: () => get<{ items: RoomSuggestion[] }>(`/rooms/${roomId}/suggestions`) })
  const [sku, setSku] = useState('')
  const card = (p: ProductCard, key: string, extra?: string) => (
    <Paper key={key} withBorder p="xs" data-testid="product-card">
      <Text size="sm" fw={500}>
        {p.name}
      </Text>
      <Text size="xs" c={p.inStock ? 'dimmed' : 'red'}>
        {p.priceMinor === null ? 'not for sale' : money(p.priceMinor, p.currency)} · {p.inStock ? 'in stock' : 'out of stock'}
        {extra ? ` · ${extra}` : ''}
      </Text>
      <Group gap={4} mt={4}>
        {!staff && (
          <Button size="compact-xs" disabled={!p.inStock || state.cart?.locked} onClick={() => send({ type: 'cart.add', sku: p.sku, quantity: 1 })}>
            Add to cart
          </Button>
        )}
        <Button size="compact-xs" variant="light" onClick={() => send({ type: 'presence.view', sku: p.sku })}>
          I'm looking
        </Button>
        <Button size="compact-xs" variant="subtle" onClick={() => send({ type: 'presence.follow', sku: p.sku })}>
          Follow me
        </Button>
      </Group>
    </Paper>
  )
  return (
    <Stack>
      <Group gap="xs">
        <TextInput aria-label="Product sku" placeholder="Show a product by sku" value={sku} onChange={(e) => setSku(e.currentTarget.value)} maxLength={100} />
        <Button
          variant="light"
          onClick={() => {
            if (sku.trim()) send({ type: 'product.show', sku: sku.trim() })
            setSku('')
          }}
        >
          Show everyone
        </Button>
      </Group>
      {state.cards.length > 0 && (
        <>
          <Title order={5}>Shown in the room</Title>
          <Grid>
            {state.cards.map((c) => (
              <Grid.Col key={c.seq} span={{ base: 12, xs: 6, md: 4 }}>
                {card(c.product, String(c.seq), `${nameOf(c.participant)}${c.staff ? ' (staff)' : ''}${c.note ? `: ${c.note}` : ''}`)}
              </Grid.Col>
            ))}
          </Grid>
        </>
      )}
      <Title order={5}>For you together</Title>
      <ProblemAlert error={suggestions.error} />
      <Grid>
        {(suggestions.data?.items ?? []).map((s) => (
          <Grid.Col key={s.sku} span={{ base: 12, xs: 6, md: 4 }}>
            {card(s, s.sku, s.why)}
          </Grid.Col>
        ))}
      </Grid>
    </Stack>
  )
}

function AskAssociate({ roomId, requested, send }: { roomId: string; requested: string | null; send: (m: Record<string, unknown>) => void }) {
  const stores = useQuery({ queryKey: ['room-stores', roomId], queryFn: () => get<{ items: { id: string; name: string }[] }>(`/rooms/${roomId}/stores`) })
  const ask = useMutation({ mutationFn: async (storeId: string) => send({ type: 'associate.request', storeId }) })
  if (requested)
    return (
      <Badge color="grape" variant="light">
        Associate asked at {requested}
      </Badge>
    )
  return (
    <Select
      size="xs"
      w={200}
      aria-label="Ask an associate"
      placeholder="Ask an associate…"
      data={(stores.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
      onChange={(storeId) => storeId && ask.mutate(storeId)}
    />
  )
}
