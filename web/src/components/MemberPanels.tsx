import { Button, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, type MemberCard, type Summary } from '../api'
import { date, dateTime, label, money } from '../format'
import { Figure, ProblemAlert, Section, submit } from './ui'

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

/** Every identifier the member is known by, and adding one (a new card at the till, a phone). */
export function Identifiers({ card, addPath, invalidate }: { card: MemberCard; addPath: string; invalidate: unknown[] }) {
  const client = useQueryClient()
  const [kind, setKind] = useState<string | null>('card')
  const [value, setValue] = useState('')
  const add = useMutation({
    mutationFn: () => api<{ claimedActivities: number }>('POST', addPath, { kind, value }),
    onSuccess: (linked) => {
      setValue('')
      notifications.show({
        color: 'teal',
        message: linked.claimedActivities ? `Added. ${linked.claimedActivities} earlier purchases under it now count too.` : 'Added.',
      })
      client.invalidateQueries({ queryKey: invalidate })
    },
  })
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
                <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {i.value}
                </Table.Td>
                <Table.Td c="dimmed" fz="xs" style={{ whiteSpace: 'nowrap' }}>
                  {date(i.addedAt)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
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
            Add a card
          </Button>
        </Group>
      </form>
      {add.error && (
        <Stack mt="xs">
          <ProblemAlert error={add.error} />
        </Stack>
      )}
    </Section>
  )
}

const profileFields = [
  ['givenName', 'Given name'],
  ['familyName', 'Family name'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['addressLine', 'Address'],
  ['postcode', 'Postcode'],
  ['city', 'Town or city'],
] as const

/** The profile as a form: changed fields only are sent. */
export function ProfileForm({ card, savePath, invalidate }: { card: MemberCard; savePath: string; invalidate: unknown[] }) {
  const client = useQueryClient()
  const initial = Object.fromEntries(profileFields.map(([key]) => [key, card.member[key] ?? ''])) as Record<string, string>
  const [values, setValues] = useState<Record<string, string>>({ ...initial, preferredChannel: card.member.preferredChannel ?? '' })
  const changed = Object.fromEntries(
    Object.entries(values)
      .filter(([key, value]) => value !== ((card.member as Record<string, unknown>)[key] ?? ''))
      .map(([key, value]) => [key, value === '' ? null : value]),
  )
  const save = useMutation({
    mutationFn: () => api<MemberCard>('PATCH', savePath, changed),
    onSuccess: (saved) => {
      client.setQueryData(invalidate, saved)
      notifications.show({ color: 'teal', message: 'Profile saved.' })
    },
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
      <form onSubmit={submit(() => save.mutate())}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          {profileFields.map(([key, text]) => (
            <TextInput key={key} label={text} value={values[key]} onChange={(e) => setValues({ ...values, [key]: e.currentTarget.value })} />
          ))}
          <Select
            label="Preferred channel"
            data={['store', 'web', 'app', 'call_center'].map((c) => ({ value: c, label: label(c) }))}
            value={values.preferredChannel || null}
            onChange={(v) => setValues({ ...values, preferredChannel: v ?? '' })}
            clearable
          />
        </SimpleGrid>
        <Group mt="sm" justify="space-between">
          <Text size="xs" c="dimmed">
            Home store: {card.member.homeStoreName ?? 'none yet'}
          </Text>
          <Button type="submit" disabled={Object.keys(changed).length === 0} loading={save.isPending}>
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

/** Consents the member gives or withdraws, with when. */
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
            description={c.changedAt ? `${c.granted ? 'Given' : 'Withdrawn'} ${dateTime(c.changedAt)}` : 'Not asked yet'}
            checked={c.granted}
            onChange={(e) => set.mutate({ [c.purpose]: e.currentTarget.checked })}
          />
        ))}
        <ProblemAlert error={set.error} />
      </Stack>
    </Section>
  )
}
