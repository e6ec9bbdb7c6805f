import { Anchor, Button, Center, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { api, type DemoLogins, get, type SignedIn } from '../api'
import { Logo } from '../components/Shell'
import { ProblemAlert, submit } from '../components/ui'
import { homePath, signedIn } from '../session'

export function LoginPage() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const client = useQueryClient()
  const navigate = useNavigate()
  const search = useSearch({ strict: false }) as { redirect?: string }
  const demo = useQuery({ queryKey: ['demo-logins'], queryFn: () => get<DemoLogins>('/demo/logins'), staleTime: Number.POSITIVE_INFINITY })
  // The shopper's and the admin's logins are the ones worth a click; the others are printed at start.
  const demoLogins = (demo.data?.logins ?? []).filter((l) => l.role === 'member' || l.role === 'admin')
  const login = useMutation({
    mutationFn: () => api<SignedIn>('POST', '/auth/login', { email, password }),
    onSuccess: (session) => {
      signedIn(client, session)
      // Back to where they were going, if it was inside the app; else their own area.
      const back = search.redirect?.startsWith('/') && !search.redirect.startsWith('//') ? search.redirect : undefined
      navigate({ to: back ?? homePath(session.user.role) })
    },
  })
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400}>
        <form onSubmit={submit(() => login.mutate())}>
          <Stack>
            <Logo />
            <div>
              <Title order={3}>Log in</Title>
              <Text size="sm" c="dimmed">
                Shoppers see their membership; staff see the console.
              </Text>
            </div>
            <TextInput label="Email or phone" autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required autoFocus />
            <TextInput
              label="Password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
            />
            <ProblemAlert error={login.error} title="Could not log in" />
            <Button type="submit" loading={login.isPending} color="teal">
              Log in
            </Button>
            <Group justify="space-between">
              <Anchor component={Link} to="/forgot-password" size="sm">
                Forgot your password?
              </Anchor>
              <Anchor component={Link} to="/signup" size="sm">
                New here? Join
              </Anchor>
            </Group>
            {/* Only where the demo retailer is really there: a retailer's own shoppers never read about it. */}
            {demoLogins.length > 0 && (
              <Text size="xs" c="dimmed" data-testid="demo-hint">
                Trying the demo? Log in as{' '}
                {demoLogins.map((login, i) => (
                  <span key={login.email}>
                    {i > 0 && (i === demoLogins.length - 1 ? ' or ' : ', ')}
                    <Anchor onClick={() => setEmail(login.email)}>{login.email}</Anchor>
                  </span>
                ))}{' '}
                with the password printed when the server started.
              </Text>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  )
}
