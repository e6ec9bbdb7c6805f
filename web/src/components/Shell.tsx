import { AppShell, Avatar, Burger, Button, Group, Menu, Modal, PasswordInput, Stack, Text, UnstyledButton } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconChevronDown, IconKey, IconLogout } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router'
import { useState } from 'react'
import { api, get, type MemberCard } from '../api'
import { areasFor, forgetOfflineCard, useSession } from '../session'
import { NotificationBell } from './Notifications'
import { ProblemAlert, submit } from './ui'

export function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <Text fw={800} fz="lg" c="teal.9">
        Regulars
      </Text>
    </Group>
  )
}

/** The areas this login may use, as links; the current one highlighted. */
function AreaLinks({ onNavigate, vertical }: { onNavigate?: () => void; vertical?: boolean }) {
  const session = useSession()
  const path = useRouterState({ select: (state) => state.location.pathname })
  if (!session) return null
  const links = areasFor(session.user.role).map((area) => (
    <Button
      key={area.key}
      component={Link}
      to={area.path}
      onClick={onNavigate}
      variant={path.startsWith(area.path) ? 'light' : 'subtle'}
      color="teal"
      justify={vertical ? 'flex-start' : 'center'}
      fullWidth={vertical}
    >
      {area.label}
    </Button>
  ))
  return vertical ? <Stack gap={4}>{links}</Stack> : <Group gap={4}>{links}</Group>
}

function ChangePassword({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [currentPassword, setCurrent] = useState('')
  const [newPassword, setNew] = useState('')
  const change = useMutation({
    mutationFn: () => api('POST', '/auth/password', { currentPassword, newPassword }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Password changed. Other sessions were logged out.' })
      setCurrent('')
      setNew('')
      onClose()
    },
  })
  return (
    <Modal opened={opened} onClose={onClose} title="Change password">
      <form onSubmit={submit(() => change.mutate())}>
        <Stack>
          <PasswordInput label="Current password" value={currentPassword} onChange={(e) => setCurrent(e.currentTarget.value)} required />
          <PasswordInput
            label="New password"
            description="At least 10 characters"
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
            required
            minLength={10}
          />
          <ProblemAlert error={change.error} />
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Stack>
      </form>
    </Modal>
  )
}

function UserMenu() {
  const session = useSession()
  const client = useQueryClient()
  const navigate = useNavigate()
  const [passwordOpen, password] = useDisclosure(false)
  const logout = useMutation({
    mutationFn: () => api('POST', '/auth/logout'),
    onSettled: () => {
      client.clear()
      forgetOfflineCard()
      navigate({ to: '/login' })
    },
  })
  // A shopper is called by their membership's name (what they gave in their profile), not their login's.
  const card = useQuery({ queryKey: ['me'], queryFn: () => get<MemberCard>('/me'), enabled: session?.user.role === 'member' })
  if (!session) return null
  const { user } = session
  const name =
    (card.data && [card.data.member.givenName, card.data.member.familyName].filter(Boolean).join(' ')) || card.data?.member.displayName || user.displayName
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <UnstyledButton aria-label="Account">
            <Group gap={6} wrap="nowrap">
              <Avatar color="teal" radius="xl" size={32}>
                {name.slice(0, 1).toUpperCase()}
              </Avatar>
              <Text size="sm" fw={500} visibleFrom="sm" data-testid="account-name">
                {name}
              </Text>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="dark" hiddenFrom="sm">
              {name}
            </Text>
            {user.email ?? user.phone} · {user.role}
          </Menu.Label>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={password.open}>
            Change password
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => logout.mutate()}>
            Log out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePassword opened={passwordOpen} onClose={password.close} />
    </>
  )
}

/** Header with the role's areas; on a phone they fold into a burger menu. */
export function Shell() {
  const [opened, { toggle, close }] = useDisclosure(false)
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Logo />
            <nav aria-label="Areas">
              <Group visibleFrom="sm">
                <AreaLinks />
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NotificationBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">{opened && <AreaLinks vertical onNavigate={close} />}</AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  )
}
