import { Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api, get } from '../api'
import type { AssociateRequest, Room, RoomListing } from '../rooms/live'
import { ProblemAlert, Section } from './ui'

/** "Shop together" on the member's home: open rooms, invitations, and a new room. */
export function ShopTogether() {
  const rooms = useQuery({ queryKey: ['rooms'], queryFn: () => get<{ open: RoomListing[]; invitations: RoomListing[]; past: RoomListing[] }>('/rooms') })
  const navigate = useNavigate()
  const [title, setTitle] = useState('')
  const open = useMutation({
    mutationFn: () => api<Room>('POST', '/rooms', { title: title.trim() || 'Shopping together' }),
    onSuccess: (room) => navigate({ to: '/rooms/$roomId', params: { roomId: room.id }, search: {} }),
  })
  const row = (r: RoomListing, label: string) => (
    <Group key={r.id} justify="space-between" wrap="nowrap">
      <div>
        <Text size="sm" fw={500}>
          {r.title}
        </Text>
        <Text size="xs" c="dimmed">
          {r.host} · {r.people} here
        </Text>
      </div>
      <Button size="compact-sm" onClick={() => navigate({ to: '/rooms/$roomId', params: { roomId: r.id }, search: {} })}>
        {label}
      </Button>
    </Group>
  )
  return (
    <Section title="Shop together" right={<Badge variant="light">live</Badge>}>
      <Stack gap="xs" data-testid="shop-together">
        <ProblemAlert error={rooms.error ?? open.error} />
        {rooms.data?.invitations.map((r) => row(r, 'Join'))}
        {rooms.data?.open.map((r) => row(r, 'Open'))}
        <Group gap="xs" wrap="nowrap">
          <TextInput
            flex={1}
            aria-label="Room name"
            placeholder="What are you shopping for?"
            value={title}
            maxLength={120}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <Button onClick={() => open.mutate()} loading={open.isPending}>
            Open a room
          </Button>
        </Group>
        {(rooms.data?.past.length ?? 0) > 0 && (
          <Text size="xs" c="dimmed">
            Earlier:{' '}
            {rooms.data?.past.slice(0, 3).map((r, i) => (
              <span key={r.id}>
                {i > 0 ? ', ' : ''}
                <Link to="/rooms/$roomId" params={{ roomId: r.id }} search={{}}>
                  {r.title}
                </Link>
              </span>
            ))}
          </Text>
        )}
      </Stack>
    </Section>
  )
}

/** Rooms asking for an associate of this associate's stores, live, with the members' talking points. */
export function RoomRequests() {
  const requests = useQuery({
    queryKey: ['room-requests'],
    queryFn: () => get<{ items: AssociateRequest[] }>('/rooms/associate-requests'),
    refetchInterval: 5000,
  })
  const navigate = useNavigate()
  const join = useMutation({
    mutationFn: (roomId: string) => api<Room>('POST', `/rooms/${roomId}/associate`),
    onSuccess: (room) => navigate({ to: '/rooms/$roomId', params: { roomId: room.id }, search: {} }),
  })
  if (!requests.data?.items.length) return null
  return (
    <Section title="Live requests from rooms" right={<Badge color="grape">{requests.data.items.length}</Badge>}>
      <Stack data-testid="room-requests">
        <ProblemAlert error={join.error} />
        {requests.data.items.map((r) => (
          <Stack key={r.roomId} gap={4}>
            <Group justify="space-between">
              <Text fw={500}>
                {r.title} · {r.storeName}
              </Text>
              <Button size="compact-sm" onClick={() => join.mutate(r.roomId)}>
                Join the room
              </Button>
            </Group>
            {r.members.map((m) => (
              <Text key={m.name} size="xs" c="dimmed">
                {m.name}: {m.talkingPoints.slice(0, 2).join(' · ') || 'no talking points yet'}
              </Text>
            ))}
          </Stack>
        ))}
      </Stack>
    </Section>
  )
}
