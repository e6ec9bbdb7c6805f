import { Alert, Badge, Button, CopyButton, Group, Image, Menu, Paper, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDots, IconUserPlus } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import QRCode from 'qrcode'
import { useEffect, useState } from 'react'
import { api, type FriendRequestResult, type FriendsPage, get } from '../api'
import { EmptyState, ProblemAlert, Section, submit } from './ui'

type Via = 'code' | 'link' | 'qr'

/** The invite link as a QR code, drawn in the browser: a friend scans it from the member card. */
function InviteQr({ link }: { link: string }) {
  const [svg, setSvg] = useState<string>()
  useEffect(() => {
    QRCode.toString(link, { type: 'svg', margin: 1, width: 160 }).then(setSvg, () => setSvg(undefined))
  }, [link])
  return svg ? (
    <Image src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`} w={132} h={132} alt="QR code of my invite link" data-testid="invite-qr" />
  ) : null
}

function useFriendsAction<T, R = unknown>(fn: (arg: T) => Promise<R>, done?: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      if (done) notifications.show({ color: 'teal', message: done })
      for (const key of ['friends', 'feed', 'lists']) client.invalidateQueries({ queryKey: [key] })
    },
  })
}

/** A member with what can be done about them. */
function Person({ name, children, badge, menu }: { name: string; children?: React.ReactNode; badge?: React.ReactNode; menu?: React.ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
        <Text size="sm" fw={500} truncate>
          {name}
        </Text>
        {badge}
      </Group>
      <Group gap={4} wrap="nowrap">
        {children}
        {menu}
      </Group>
    </Group>
  )
}

/**
 * Friends on the member home: the invite (code, link, QR), adding by code or from people you may
 * know, requests either way, the friends themselves, and blocks.
 */
export function Friends({ invite }: { invite?: string }) {
  const page = useQuery({ queryKey: ['friends'], queryFn: () => get<FriendsPage>('/me/friends') })
  const [code, setCode] = useState('')
  const ask = useFriendsAction(({ code, via }: { code: string; via: Via }) => api<FriendRequestResult>('POST', '/me/friends/requests', { code, via }))
  const askMet = useFriendsAction((memberId: string) => api('POST', '/me/friends/requests', { memberId }), 'Friend request sent')
  const accept = useFriendsAction((memberId: string) => api('POST', `/me/friends/requests/${memberId}/accept`), 'You are friends now')
  const drop = useFriendsAction((memberId: string) => api('DELETE', `/me/friends/requests/${memberId}`))
  const unfriend = useFriendsAction((memberId: string) => api('DELETE', `/me/friends/${memberId}`))
  const block = useFriendsAction((memberId: string) => api('PUT', `/me/blocks/${memberId}`), 'Blocked: they will not see you or be able to ask again')
  const unblock = useFriendsAction((memberId: string) => api('DELETE', `/me/blocks/${memberId}`))
  const visible = useFriendsAction(() => api('PUT', '/me/consents', { social_visibility: true }), 'Your friends can see you now')
  const asked = ask.data
  useEffect(() => {
    if (asked)
      notifications.show({ color: 'teal', message: asked.status === 'friends' ? `You and ${asked.member.name} are friends` : `Asked ${asked.member.name}` })
  }, [asked])

  if (!page.data) return <ProblemAlert error={page.error} />
  const p = page.data
  const blockItem = (memberId: string) => (
    <Menu.Item color="red" onClick={() => block.mutate(memberId)}>
      Block
    </Menu.Item>
  )
  const more = (items: React.ReactNode, label: string) => (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-xs" variant="subtle" color="gray" aria-label={label}>
          <IconDots size={14} />
        </Button>
      </Menu.Target>
      <Menu.Dropdown>{items}</Menu.Dropdown>
    </Menu>
  )
  const invitedBy = invite && invite.toUpperCase() !== p.invite.code && !ask.isSuccess
  return (
    <Section title="Friends" right={<Badge variant="light">{p.friends.length}</Badge>}>
      <Stack gap="sm" data-testid="friends">
        {!p.visible && (
          <Alert color="yellow" title="Friends cannot see you">
            <Text size="sm">
              To add friends and share with them, let other members see your name, reviews and ideas. You can turn it off again at any time.
            </Text>
            <Button size="xs" mt="xs" onClick={() => visible.mutate(undefined)} loading={visible.isPending}>
              Let friends see me
            </Button>
          </Alert>
        )}
        {invitedBy && p.visible && (
          <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-teal-light)">
            <Group justify="space-between">
              <Text size="sm">Someone invited you to be friends.</Text>
              <Button size="xs" leftSection={<IconUserPlus size={14} />} onClick={() => ask.mutate({ code: invite, via: 'link' })} loading={ask.isPending}>
                Add them
              </Button>
            </Group>
          </Paper>
        )}
        <Group align="flex-start" wrap="nowrap" gap="md">
          <InviteQr link={p.invite.link} />
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Text size="xs" c="dimmed">
              Your invite code
            </Text>
            <Group gap="xs">
              <Text ff="monospace" fz="lg" fw={700} data-testid="invite-code">
                {p.invite.code}
              </Text>
              <CopyButton value={p.invite.link}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="light" onClick={copy}>
                    {copied ? 'Link copied' : 'Copy link'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs" c="dimmed">
              Friends scan the code or open the link; someone new joins with it and you both earn points.
            </Text>
          </Stack>
        </Group>
        <form onSubmit={submit(() => ask.mutate({ code, via: 'code' }, { onSuccess: () => setCode('') }))}>
          <Group align="flex-end" gap="xs">
            <TextInput label="Add a friend by their code" value={code} onChange={(e) => setCode(e.currentTarget.value)} required style={{ flex: 1 }} />
            <Button type="submit" variant="default" loading={ask.isPending}>
              Ask
            </Button>
          </Group>
        </form>
        {[ask, askMet, accept, drop, unfriend, block, unblock, visible].map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of actions
          <ProblemAlert key={i} error={m.error} />
        ))}
        {p.incoming.length > 0 && (
          <Stack gap={6}>
            <Text size="xs" tt="uppercase" fw={700} c="dimmed">
              Asking to be your friend
            </Text>
            {p.incoming.map((r) => (
              <Person key={r.memberId} name={r.name} menu={more(blockItem(r.memberId), `More about ${r.name}`)}>
                <Button size="compact-xs" onClick={() => accept.mutate(r.memberId)}>
                  Accept
                </Button>
                <Button size="compact-xs" variant="default" onClick={() => drop.mutate(r.memberId)}>
                  Decline
                </Button>
              </Person>
            ))}
          </Stack>
        )}
        {p.friends.length === 0 ? (
          <EmptyState title="No friends here yet">Share your code or QR code with the people you shop with.</EmptyState>
        ) : (
          <Stack gap={6}>
            {p.friends.map((f) => (
              <Person
                key={f.memberId}
                name={f.name}
                menu={more(
                  <>
                    <Menu.Item onClick={() => unfriend.mutate(f.memberId)}>Unfriend</Menu.Item>
                    {blockItem(f.memberId)}
                  </>,
                  `More about ${f.name}`,
                )}
              />
            ))}
          </Stack>
        )}
        {p.outgoing.length > 0 && (
          <Stack gap={6}>
            <Text size="xs" tt="uppercase" fw={700} c="dimmed">
              You asked
            </Text>
            {p.outgoing.map((r) => (
              <Person
                key={r.memberId}
                name={r.name}
                badge={
                  <Badge size="xs" variant="light">
                    waiting
                  </Badge>
                }
              >
                <Button size="compact-xs" variant="subtle" onClick={() => drop.mutate(r.memberId)}>
                  Withdraw
                </Button>
              </Person>
            ))}
          </Stack>
        )}
        {p.peopleYouMayKnow.length > 0 && (
          <Stack gap={6}>
            <Text size="xs" tt="uppercase" fw={700} c="dimmed">
              People you may know
            </Text>
            {p.peopleYouMayKnow.map((m) => (
              <Person
                key={m.memberId}
                name={m.name}
                badge={
                  <Text size="xs" c="dimmed">
                    {m.reasons.map((r) => (r === 'room' ? 'shopped together' : r === 'referral' ? 'invite' : r)).join(' · ')}
                  </Text>
                }
                menu={more(blockItem(m.memberId), `More about ${m.name}`)}
              >
                <Button size="compact-xs" variant="light" onClick={() => askMet.mutate(m.memberId)}>
                  Add
                </Button>
              </Person>
            ))}
          </Stack>
        )}
        {p.blocked.length > 0 && (
          <Stack gap={6}>
            <Text size="xs" tt="uppercase" fw={700} c="dimmed">
              Blocked
            </Text>
            {p.blocked.map((b) => (
              <Person key={b.memberId} name={b.name}>
                <Button size="compact-xs" variant="subtle" onClick={() => unblock.mutate(b.memberId)}>
                  Unblock
                </Button>
              </Person>
            ))}
          </Stack>
        )}
      </Stack>
    </Section>
  )
}
