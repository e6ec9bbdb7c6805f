import { Anchor, Button, Center, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { api, type SignedIn } from '../api'
import { Logo } from '../components/Shell'
import { ProblemAlert, submit } from '../components/ui'
import { homePath, signedIn } from '../session'

export function LoginPage() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const client = useQueryClient()
  const navigate = useNavigate()
  const search = useSearch({ strict: false }) as { redirect?: string }
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
            <Text size="xs" c="dimmed">
              Trying the demo? Log in as <Anchor onClick={() => setEmail('member@demo.regulars.dev')}>member@demo.regulars.dev</Anchor> or{' '}
              <Anchor onClick={() => setEmail('admin@demo.regulars.dev')}>admin@demo.regulars.dev</Anchor> with the password printed when the server started.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  )
}
