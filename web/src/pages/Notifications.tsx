import { Anchor, Divider, Group, Loader, Paper, Stack, Switch, Text } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { api, get, type NotificationSettings } from '../api'
import { NotificationList } from '../components/Notifications'
import { PageTitle, ProblemAlert, Section } from '../components/ui'
import { dateTime } from '../format'
import { useSession } from '../session'

/** The notification centre, for members and staff alike: each sees only their own; members also choose what they hear about. */
export function NotificationsPage() {
  const member = useSession()?.user.role === 'member'
  return (
    <Stack maw={760} mx="auto" data-testid="notifications-page">
      <PageTitle>Notifications</PageTitle>
      <NotificationList />
      {member && <NotificationSettingsSection />}
    </Stack>
  )
}

type Kind = NotificationSettings['kinds'][number]

/** Per kind, in the app and by email; email also needs the member's consent (the ledger) and a verified address. */
function NotificationSettingsSection() {
  const client = useQueryClient()
  const settings = useQuery({ queryKey: ['notification-settings'], queryFn: () => get<NotificationSettings>('/me/notification-settings') })
  const save = useMutation({
    mutationFn: (change: { kinds?: Record<string, Partial<Pick<Kind, 'inApp' | 'email'>>>; email?: boolean }) =>
      api<NotificationSettings>('PUT', '/me/notification-settings', change),
    onSuccess: (saved) => {
      client.setQueryData(['notification-settings'], saved)
      client.invalidateQueries({ queryKey: ['notifications'] })
    },
  })
  const data = settings.data
  const email = data?.email
  return (
    <Section title="What you hear about" testId="notification-settings">
      <ProblemAlert error={settings.error ?? save.error} />
      {settings.isPending && <Loader />}
      {data && email && (
        <Stack gap="md">
          <Switch
            label="Email me notifications too"
            checked={email.consent}
            disabled={!email.verifiedEmail && !email.consent}
            onChange={(e) => save.mutate({ email: e.currentTarget.checked })}
            description={
              email.verifiedEmail ? (
                `${email.wording} Emails go to ${email.verifiedEmail}.${email.changedAt ? ` ${email.consent ? 'Given' : 'Withdrawn'} ${dateTime(email.changedAt)}.` : ''}`
              ) : (
                <>
                  There is no confirmed email address to write to yet: add one on{' '}
                  <Anchor component={Link} to="/me" size="xs">
                    your home page
                  </Anchor>{' '}
                  and confirm it with the code we send.
                </>
              )
            }
          />
          <Divider />
          <Stack gap="xs" role="group" aria-label="What you hear about, kind by kind">
            {data.kinds.map((k) => (
              <Paper key={k.kind} withBorder radius="md" p="sm" data-testid={`notification-kind-${k.kind}`}>
                <Group justify="space-between" align="flex-start" gap="sm">
                  <Stack gap={0} style={{ flex: '1 1 220px', minWidth: 0 }}>
                    <Text fw={500}>{k.label}</Text>
                    <Text size="xs" c="dimmed">
                      {k.description}
                    </Text>
                  </Stack>
                  <Group gap="lg" wrap="nowrap">
                    <Switch
                      label="In the app"
                      aria-label={`${k.label}: in the app`}
                      checked={k.inApp}
                      onChange={(e) => save.mutate({ kinds: { [k.kind]: { inApp: e.currentTarget.checked } } })}
                    />
                    <Switch
                      label="By email"
                      aria-label={`${k.label}: by email`}
                      checked={k.email && email.consent}
                      disabled={!email.consent}
                      onChange={(e) => save.mutate({ kinds: { [k.kind]: { email: e.currentTarget.checked } } })}
                    />
                  </Group>
                </Group>
              </Paper>
            ))}
          </Stack>
          <Text size="xs" c="dimmed">
            Turned off in the app and by email, a kind does not reach you at all. Offers and news are not here: they follow your choices on your home page.
          </Text>
        </Stack>
      )}
    </Section>
  )
}
