import { Badge, Button, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { api, type LinkedIdentifier, type MemberCard, type Summary } from '../api'
import { date, dateTime, label, money } from '../format'
import { emailPattern, markRefused, type Rules, SelectField, TextField } from './form'
import { CodeInput, Figure, ProblemAlert, Section, submit } from './ui'

export function SummaryFigures({ summary }: { summary: Summary }) {
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }}>
      <Figure label="Purchases" value={summary.purchases} hint={summary.returns ? `${summary.returns} returned` : undefined} />
      <Figure label="Spent" value={money(summary.spendMinor, summary.currency)} hint="after returns" />
      <Figure label="Store visits" value={summary.visits} />
      <Figure
        label="Last seen"
        value={
          <Text fz="lg" fw={700}>
            {date(summary.lastActivityAt)}
          </Text>
        }
        hint={summary.channels.map(label).join(', ') || undefined}
      />
    </SimpleGrid>
  )
}

const identifierKinds = ['card', 'loyalty_id', 'phone', 'email', 'web_account', 'device', 'pos_customer']

/**
 * Every identifier the member is known by, whether it is verified, and adding one. An email or phone
 * gets a code: the member (at home) or the associate the member reads it to (at the till) enters it.
 */
export function Identifiers({ card, addPath, invalidate, atTill = false }: { card: MemberCard; addPath: string; invalidate: unknown[]; atTill?: boolean }) {
  const client = useQueryClient()
  const [kind, setKind] = useState<string | null>(atTill ? 'card' : 'email')
  const [value, setValue] = useState('')
  const [awaiting, setAwaiting] = useState<{ kind: string; value: string } | null>(null)
  const linked = (result: LinkedIdentifier, verb: string) => {
    const earlier = result.claimedActivities ? ` ${result.claimedActivities} earlier purchases under it now count too.` : ''
    notifications.show({ color: 'teal', message: `${verb}.${earlier}` })
    client.invalidateQueries({ queryKey: invalidate })
  }
  const add = useMutation({
    mutationFn: () => api<LinkedIdentifier>('POST', addPath, { kind, value }),
    onSuccess: (result) => {
      setValue('')
      setAwaiting(result.codeSent ? { kind: result.kind, value: result.value } : null)
      linked(result, result.codeSent ? `Added. We sent a code to ${result.value}` : 'Added')
    },
  })
  const resend = useMutation({
    mutationFn: (i: { kind: string; value: string }) => api<LinkedIdentifier>('POST', addPath, { kind: i.kind, value: i.value }),
    onSuccess: (result) => {
      setAwaiting({ kind: result.kind, value: result.value })
      notifications.show({ color: 'teal', message: `We sent a new code to ${result.value}.` })
    },
  })
  const provable = (k: string) => k === 'email' || k === 'phone'
  return (
    <Section title="Cards and identifiers">
      <Table.ScrollContainer minWidth={300}>
        <Table>
          <Table.Tbody>
            {card.identifiers.map((i) => (
              <Table.Tr key={`${i.kind}:${i.value}`}>
                <Table.Td>
                  <Text size="xs" fw={600} c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {label(i.kind)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
                    {i.value}
                  </Text>
                  <Group gap={6} mt={2} wrap="wrap">
                    {i.verified ? (
                      <Badge color="teal" variant="light" size="sm" style={{ overflow: 'visible' }}>
                        Verified
                      </Badge>
                    ) : (
                      <Badge
                        color="yellow"
                        variant="light"
                        size="sm"
                        style={{ overflow: 'visible' }}
                        title={provable(i.kind) ? 'No code entered yet' : 'Show the card at a till to confirm it'}
                      >
                        Not verified
                      </Badge>
                    )}
                    <Text c="dimmed" fz="xs">
                      added {date(i.addedAt)}
                    </Text>
                    {!i.verified && provable(i.kind) && (
                      <Button size="compact-xs" variant="subtle" onClick={() => resend.mutate(i)} loading={resend.isPending}>
                        Send a code
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {awaiting && (
        <CodeForm
          path={`${addPath}/verify`}
          identifier={awaiting}
          atTill={atTill}
          onVerified={(result) => {
            setAwaiting(null)
            linked(result, `${result.value} is verified`)
          }}
        />
      )}
      <form onSubmit={submit(() => add.mutate())}>
        <Group mt="sm" align="flex-end" wrap="wrap" gap="xs">
          <Select
            label="Add"
            data={identifierKinds.map((k) => ({ value: k, label: label(k) }))}
            value={kind}
            onChange={setKind}
            w={170}
            allowDeselect={false}
          />
          <TextInput label="Number or address" value={value} onChange={(e) => setValue(e.currentTarget.value)} required style={{ flex: 1, minWidth: 160 }} />
          <Button type="submit" loading={add.isPending}>
            {kind && provable(kind) ? 'Add and send a code' : 'Add'}
          </Button>
        </Group>
        {kind && !provable(kind) && !atTill && (
          <Text size="xs" c="dimmed" mt={4}>
            A card you add here counts once you show it at a till.
          </Text>
        )}
      </form>
      {(add.error || resend.error) && (
        <Stack mt="xs">
          <ProblemAlert error={add.error ?? resend.error} />
        </Stack>
      )}
    </Section>
  )
}

/** Six digits sent to an email or phone, entered to prove it. */
function CodeForm({
  path,
  identifier,
  atTill,
  onVerified,
}: {
  path: string
  identifier: { kind: string; value: string }
  atTill: boolean
  onVerified: (result: LinkedIdentifier) => void
}) {
  const [code, setCode] = useState('')
  const verify = useMutation({
    mutationFn: () => api<LinkedIdentifier>('POST', path, { ...identifier, code }),
    onSuccess: onVerified,
  })
  return (
    <form onSubmit={submit(() => verify.mutate())}>
      <Stack gap="xs" mt="sm" p="sm" bg="var(--mantine-color-yellow-light)" style={{ borderRadius: 'var(--mantine-radius-md)' }}>
        <Text size="sm">
          {atTill ? 'Ask the member for the code we just sent to ' : 'Enter the code we just sent to '}
          <b>{identifier.value}</b>. It works for 15 minutes.
        </Text>
        <Group align="flex-end" gap="xs">
          <CodeInput value={code} onChange={setCode} w={140} />
          <Button type="submit" loading={verify.isPending}>
            Verify
          </Button>
        </Group>
        {verify.error && <ProblemAlert error={verify.error} />}
      </Stack>
    </form>
  )
}

type ProfileDraft = Record<(typeof profileFields)[number][0] | 'preferredChannel', string>
const profileFields = [
  ['givenName', 'Given name'],
  ['familyName', 'Family name'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['addressLine', 'Address'],
  ['postcode', 'Postcode'],
  ['city', 'Town or city'],
] as const
const profileRules: Partial<Record<keyof ProfileDraft, Rules<ProfileDraft>>> = {
  email: { pattern: emailPattern },
  postcode: { maxLength: { value: 20, message: 'A postcode is at most 20 characters' } },
}

/** The profile as a form: changed fields only are sent. */
export function ProfileForm({ card, savePath, invalidate }: { card: MemberCard; savePath: string; invalidate: unknown[] }) {
  const client = useQueryClient()
  const form = useForm<ProfileDraft>({
    defaultValues: {
      ...(Object.fromEntries(profileFields.map(([key]) => [key, card.member[key] ?? ''])) as ProfileDraft),
      preferredChannel: card.member.preferredChannel ?? '',
    },
  })
  const dirty = form.formState.dirtyFields
  const save = useMutation({
    mutationFn: (values: ProfileDraft) =>
      api<MemberCard>('PATCH', savePath, Object.fromEntries(Object.keys(dirty).map((key) => [key, values[key as keyof ProfileDraft] || null]))),
    onSuccess: (saved) => {
      client.setQueryData(invalidate, saved)
      notifications.show({ color: 'teal', message: 'Profile saved.' })
    },
    onError: (error) =>
      markRefused(form, error, {
        email: "That email doesn't look right",
        phone: "That phone number doesn't look right",
        givenName: 'Up to 100 characters',
        familyName: 'Up to 100 characters',
      }),
  })
  return (
    <Section
      title="Profile"
      right={
        <Text size="xs" c="dimmed">
          member since {date(card.member.joinedAt)}
        </Text>
      }
    >
      <form onSubmit={form.handleSubmit((values) => save.mutate(values))} noValidate>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          {profileFields.map(([key, text]) => (
            <TextField key={key} form={form} name={key} label={text} rules={profileRules[key]} type={key === 'email' ? 'email' : undefined} />
          ))}
          <SelectField
            form={form}
            name="preferredChannel"
            label="Preferred channel"
            data={['store', 'web', 'app', 'call_center'].map((c) => ({ value: c, label: label(c) }))}
            clearable
          />
        </SimpleGrid>
        <Group mt="sm" justify="space-between">
          <Text size="xs" c="dimmed">
            Home store: {card.member.homeStoreName ?? 'none yet'}
          </Text>
          <Button type="submit" disabled={Object.keys(dirty).length === 0} loading={save.isPending}>
            Save profile
          </Button>
        </Group>
        {save.error && (
          <Stack mt="xs">
            <ProblemAlert error={save.error} />
          </Stack>
        )}
      </form>
    </Section>
  )
}

/** Consents the member gives or withdraws, with when (offers by channel are under Notifications). */
export function Consents({ card }: { card: MemberCard }) {
  const client = useQueryClient()
  const set = useMutation({
    mutationFn: (change: Record<string, boolean>) => api<MemberCard>('PUT', '/me/consents', change),
    onSuccess: (saved) => client.setQueryData(['me'], saved),
  })
  return (
    <Section title="What you allow us">
      <Stack gap="sm">
        {card.consents.map((c) => (
          <Switch
            key={c.purpose}
            label={label(c.purpose)}
            description={`${c.wording} ${c.changedAt ? `${c.granted ? 'Given' : 'Withdrawn'} ${dateTime(c.changedAt)}.` : 'Not asked yet.'}`}
            checked={c.granted}
            onChange={(e) => set.mutate({ [c.purpose]: e.currentTarget.checked })}
          />
        ))}
        <ProblemAlert error={set.error} />
      </Stack>
    </Section>
  )
}

/** How the member hears from the shop, channel by channel (the consent ledger's per-channel marketing consent). */
export function Notifications({ card }: { card: MemberCard }) {
  const client = useQueryClient()
  const byChannel = useMutation({
    mutationFn: (change: Record<string, boolean>) => api<MemberCard>('PUT', '/me/consents/channels', change),
    onSuccess: (saved) => client.setQueryData(['me'], saved),
  })
  return (
    <Section title="Notifications">
      <Text size="sm" c="dimmed" mb="xs">
        Offers and news from the shop: choose each way they may reach you.
      </Text>
      <Stack gap={6} role="group" aria-label="Notifications by channel" data-testid="notifications">
        {card.marketingChannels.map((m) => (
          <Switch
            key={m.channel}
            label={`By ${channelNames[m.channel] ?? label(m.channel)}`}
            description={`${m.wording} ${m.own && m.changedAt ? `${m.granted ? 'Allowed' : 'Stopped'} ${dateTime(m.changedAt)}.` : 'Follows “News and offers” under What you allow us.'}`}
            checked={m.granted}
            onChange={(e) => byChannel.mutate({ [m.channel]: e.currentTarget.checked })}
          />
        ))}
        <ProblemAlert error={byChannel.error} />
      </Stack>
    </Section>
  )
}

const channelNames: Record<string, string> = { email: 'email', sms: 'text message', push: 'app notification' }
