import { Anchor, Button, Center, Paper, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useSearch } from '@tanstack/react-router'
import { type ReactNode, useState } from 'react'
import { useForm } from 'react-hook-form'
import { type Accepted, api, type SignedIn } from '../api'
import { emailPattern, markRefused, PasswordField, TextField } from '../components/form'
import { Logo } from '../components/Shell'
import { CodeInput, ProblemAlert, submit } from '../components/ui'
import { homePath, signedIn } from '../session'

/** The card the login, joining and password pages share. */
export function AccountCard({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <Stack>
          <Logo />
          <div>
            <Title order={3}>{title}</Title>
            {lead && (
              <Text size="sm" c="dimmed">
                {lead}
              </Text>
            )}
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  )
}

const passwordHint = 'At least 10 characters. A few unrelated words make a strong one.'

type Joining = { kind: 'email' | 'phone'; value: string; displayName: string; password: string }

/** A shopper joins with an email or phone: details first, then the code we send. */
export function SignupPage() {
  const form = useForm<Joining>({ defaultValues: { kind: 'email', value: '', displayName: '', password: '' } })
  const kind = form.watch('kind')
  const [code, setCode] = useState('')
  const [sent, setSent] = useState<string | null>(null)
  const client = useQueryClient()
  const navigate = useNavigate()
  const ask = useMutation({
    mutationFn: (joining: Joining) => api<Accepted>('POST', '/auth/signup', joining),
    onSuccess: (answer) => setSent(answer.detail),
    onError: (error) => markRefused(form, error, { value: kind === 'email' ? "That email doesn't look right" : "That phone number doesn't look right" }),
  })
  const verify = useMutation({
    mutationFn: () => api<SignedIn>('POST', '/auth/signup/verify', { kind, value: form.getValues('value'), code }),
    onSuccess: (session) => {
      signedIn(client, session)
      navigate({ to: homePath(session.user.role) })
    },
  })
  if (sent)
    return (
      <AccountCard title="Enter your code" lead={sent}>
        <form onSubmit={submit(() => verify.mutate())}>
          <Stack>
            <CodeInput value={code} onChange={setCode} autoFocus />
            <ProblemAlert error={verify.error} title="Could not join" />
            <Button type="submit" loading={verify.isPending} color="teal">
              Join
            </Button>
            <Text size="xs" c="dimmed">
              No code? Check the address, or{' '}
              <Anchor component="button" type="button" onClick={() => ask.mutate(form.getValues())}>
                send a new one
              </Anchor>
              . If you already have a login, we sent a note instead:{' '}
              <Anchor component={Link} to="/forgot-password" inherit>
                choose a new password
              </Anchor>
              .
            </Text>
          </Stack>
        </form>
      </AccountCard>
    )
  return (
    <AccountCard title="Join" lead="Your points, rewards and history from every shop, the app and the web.">
      <form onSubmit={form.handleSubmit((joining) => ask.mutate(joining))} noValidate>
        <Stack>
          <SegmentedControl
            value={kind}
            onChange={(v) => form.setValue('kind', v as Joining['kind'])}
            data={[
              { value: 'email', label: 'By email' },
              { value: 'phone', label: 'By phone' },
            ]}
          />
          <TextField
            form={form}
            name="value"
            label={kind === 'email' ? 'Email' : 'Mobile phone'}
            type={kind === 'email' ? 'email' : 'tel'}
            autoComplete={kind === 'email' ? 'email' : 'tel'}
            description={kind === 'phone' ? 'The one you give at the till: your shopping under it comes with you.' : undefined}
            rules={{
              required: kind === 'email' ? 'Give the email we send your code to' : 'Give the phone we text your code to',
              validate: (value) =>
                kind === 'email'
                  ? emailPattern.value.test(value) || emailPattern.message
                  : /^[+\d][\d\s()-]{5,}$/.test(value.trim()) || "That phone number doesn't look right",
            }}
          />
          <TextField form={form} name="displayName" label="Your name" autoComplete="name" rules={{ required: 'Tell us what to call you' }} />
          <PasswordField
            form={form}
            name="password"
            label="Password"
            autoComplete="new-password"
            description={passwordHint}
            rules={{ required: 'Choose a password', minLength: { value: 10, message: 'At least 10 characters' } }}
          />
          <ProblemAlert error={ask.error} title="Could not send a code" />
          <Button type="submit" loading={ask.isPending} color="teal">
            Send me a code
          </Button>
          <Text size="xs" c="dimmed">
            Already a member?{' '}
            <Anchor component={Link} to="/login" inherit>
              Log in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AccountCard>
  )
}

/** "Forgot password": a link goes to the login's email, or by text to the phone typed. */
export function ForgotPasswordPage() {
  const [login, setLogin] = useState('')
  const ask = useMutation({ mutationFn: () => api<Accepted>('POST', '/auth/password-reset', { login }) })
  return (
    <AccountCard title="Forgot your password?" lead="We send a link to choose a new one.">
      {ask.data ? (
        <Stack>
          <Text>{ask.data.detail}</Text>
          <Text size="sm">
            <Anchor component={Link} to="/login" inherit>
              Back to log in
            </Anchor>
          </Text>
        </Stack>
      ) : (
        <form onSubmit={submit(() => ask.mutate())}>
          <Stack>
            <TextInput label="Email or phone" autoComplete="username" value={login} onChange={(e) => setLogin(e.currentTarget.value)} required autoFocus />
            <ProblemAlert error={ask.error} />
            <Button type="submit" loading={ask.isPending} color="teal">
              Send me a link
            </Button>
            <Text size="xs" c="dimmed">
              Staff: your admin can also send you a link from Admin → Logins.
            </Text>
          </Stack>
        </form>
      )}
    </AccountCard>
  )
}

/** The page a one-time link opens: choose a password (after "forgot", a reset by an admin, or an invitation). */
export function ResetPasswordPage() {
  const { token } = useSearch({ strict: false }) as { token?: string }
  const [newPassword, setNewPassword] = useState('')
  const set = useMutation({ mutationFn: () => api<void>('POST', '/auth/password-reset/confirm', { token, newPassword }) })
  return (
    <AccountCard title="Choose a password" lead="The link works once. Setting a password logs you out everywhere else.">
      {set.isSuccess ? (
        <Stack>
          <Text>Your password is set.</Text>
          <Button component={Link} to="/login" color="teal">
            Log in
          </Button>
        </Stack>
      ) : (
        <form onSubmit={submit(() => set.mutate())}>
          <Stack>
            <PasswordInput
              label="New password"
              autoComplete="new-password"
              description={passwordHint}
              value={newPassword}
              onChange={(e) => setNewPassword(e.currentTarget.value)}
              minLength={10}
              required
              autoFocus
            />
            <ProblemAlert error={set.error} title="Could not set the password" />
            {!token && <Text c="red">This page needs the link from your email or text message.</Text>}
            <Button type="submit" loading={set.isPending} color="teal" disabled={!token}>
              Set password
            </Button>
            <Text size="xs" c="dimmed">
              Link expired?{' '}
              <Anchor component={Link} to="/forgot-password" inherit>
                Ask for a new one
              </Anchor>
              .
            </Text>
          </Stack>
        </form>
      )}
    </AccountCard>
  )
}
