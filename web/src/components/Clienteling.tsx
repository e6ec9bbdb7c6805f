import { Badge, Button, Group, Menu, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconCheck, IconClock, IconMessage } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { api, type ContactOptions, type Conversation, type FollowUp, get, type MemberNote, type OutreachItem, query } from '../api'
import { date, dateTime, label } from '../format'
import { CheckboxField, TagsField, TextareaField } from './form'
import { EmptyState, ProblemAlert, Section, submit } from './ui'

const outcomes = (['talked', 'suggestion_accepted', 'bought', 'booked', 'no_answer', 'not_interested'] satisfies Conversation['outcome'][]).map((o) => ({
  value: o,
  label: label(o),
}))

/** A form that posts, says so, empties itself and refreshes the list it adds to. */
function usePost<T>(path: string, invalidate: unknown[], done: string, reset: () => void) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: T) => api('POST', path, body),
    onSuccess: () => {
      reset()
      notifications.show({ color: 'teal', message: done })
      client.invalidateQueries({ queryKey: invalidate })
    },
  })
}

type NoteDraft = { body: string; tags: string[]; shareable: boolean }
const noNote: NoteDraft = { body: '', tags: [], shareable: false }

/** The store team's notes on a member; shareable ones are shown to the member on their home page. */
export function Notes({ memberId }: { memberId: string }) {
  const key = ['member', memberId, 'notes']
  const notes = useQuery({ queryKey: key, queryFn: () => get<{ items: MemberNote[] }>(`/members/${memberId}/notes`) })
  const form = useForm<NoteDraft>({ defaultValues: noNote })
  const add = usePost<NoteDraft>(`/members/${memberId}/notes`, key, 'Note saved.', () => form.reset(noNote))
  return (
    <Section title="Notes">
      <Stack gap="xs">
        {notes.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            No notes yet: sizes, tastes, what they are shopping for. The member never sees a note unless you share it.
          </Text>
        )}
        {notes.data?.items.map((n) => (
          <div key={n.id}>
            <Text size="sm">{n.body}</Text>
            <Group gap={4}>
              <Text size="xs" c="dimmed">
                {n.authorName}, {dateTime(n.createdAt)}
              </Text>
              {n.tags.map((t) => (
                <Badge key={t} size="xs" variant="light">
                  {t}
                </Badge>
              ))}
              {n.shareable && (
                <Badge size="xs" color="grape" variant="light">
                  shared with member
                </Badge>
              )}
            </Group>
          </div>
        ))}
        <form onSubmit={form.handleSubmit((note) => add.mutate({ ...note, body: note.body.trim() }))} noValidate>
          <Stack gap={6}>
            <TextareaField
              form={form}
              name="body"
              aria-label="New note"
              placeholder="Prefers slim fits; looking for a winter coat"
              autosize
              minRows={2}
              withAsterisk={false}
              rules={{
                validate: (body) => body.trim() !== '' || 'Write what you learnt first',
                maxLength: { value: 4000, message: 'A note is at most 4,000 characters' },
              }}
            />
            <TagsField
              form={form}
              name="tags"
              aria-label="Tags"
              placeholder="Tags: size, fit, gift…"
              rules={{ validate: (tags) => tags.length <= 20 || 'Twenty tags at most' }}
            />
            <Group justify="space-between">
              <CheckboxField form={form} name="shareable" label="Share with the member" />
              <Button type="submit" size="xs" loading={add.isPending}>
                Add note
              </Button>
            </Group>
          </Stack>
        </form>
        <ProblemAlert error={notes.error ?? add.error} />
      </Stack>
    </Section>
  )
}

/** Follow-ups owed to the member, and conversations with them: what was said and what came of it. */
export function FollowUpsAndConversations({ memberId }: { memberId: string }) {
  const followKey = ['member', memberId, 'follow-ups']
  const talkKey = ['member', memberId, 'conversations']
  const client = useQueryClient()
  const follows = useQuery({ queryKey: followKey, queryFn: () => get<{ items: FollowUp[] }>(`/members/${memberId}/follow-ups`) })
  const talks = useQuery({ queryKey: talkKey, queryFn: () => get<{ items: Conversation[] }>(`/members/${memberId}/conversations`) })
  const [title, setTitle] = useState('')
  const [dueOn, setDueOn] = useState(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10))
  const [summary, setSummary] = useState('')
  const [outcome, setOutcome] = useState<string | null>('talked')
  const addFollowUp = usePost(`/members/${memberId}/follow-ups`, followKey, 'Follow-up set.', () => setTitle(''))
  const logTalk = usePost(`/members/${memberId}/conversations`, talkKey, 'Conversation logged.', () => setSummary(''))
  const done = useMutation({
    mutationFn: (id: string) => api('POST', `/members/${memberId}/follow-ups/${id}/done`, { outcome: 'Done' }),
    onSuccess: () => client.invalidateQueries({ queryKey: followKey }),
  })
  return (
    <Section title="Follow-ups and conversations">
      <Stack gap="xs">
        {follows.data?.items.map((f) => (
          <Group key={f.id} justify="space-between" wrap="nowrap">
            <Text size="sm" td={f.doneAt ? 'line-through' : undefined}>
              {f.title}{' '}
              <Text span size="xs" c="dimmed">
                by {date(f.dueOn)}
              </Text>
            </Text>
            {!f.doneAt && (
              <Button size="compact-xs" variant="light" onClick={() => done.mutate(f.id)}>
                Done
              </Button>
            )}
          </Group>
        ))}
        <form onSubmit={submit(() => title.trim() && addFollowUp.mutate({ title, dueOn }))}>
          <Group gap={6} align="flex-end" wrap="wrap">
            <TextInput
              aria-label="Follow-up"
              placeholder="Call when the linen shirts arrive"
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 180 }}
            />
            <TextInput aria-label="Due on" type="date" value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} w={150} />
            <Button type="submit" size="sm" variant="light" loading={addFollowUp.isPending}>
              Add
            </Button>
          </Group>
        </form>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm">
          Conversations
        </Text>
        {talks.data?.items.map((c) => (
          <div key={c.id}>
            <Text size="sm">{c.summary}</Text>
            <Text size="xs" c="dimmed">
              {dateTime(c.at)} · {label(c.reason)} · {label(c.outcome)} · {c.associateName}
            </Text>
          </div>
        ))}
        <form onSubmit={submit(() => summary.trim() && outcome && logTalk.mutate({ reason: 'visit', summary, outcome }))}>
          <Stack gap={6}>
            <Textarea
              aria-label="What was said"
              placeholder="What you talked about, what they liked"
              autosize
              minRows={2}
              value={summary}
              onChange={(e) => setSummary(e.currentTarget.value)}
            />
            <Group justify="space-between">
              <Select aria-label="Outcome" data={outcomes} value={outcome} onChange={setOutcome} w={200} />
              <Button type="submit" size="xs" loading={logTalk.isPending}>
                Log conversation
              </Button>
            </Group>
          </Stack>
        </form>
        <ProblemAlert error={follows.error ?? talks.error ?? addFollowUp.error ?? logTalk.error ?? done.error} />
      </Stack>
    </Section>
  )
}

const reasonColour: Record<OutreachItem['reason'], string> = {
  follow_up: 'blue',
  birthday: 'grape',
  back_in_stock: 'green',
  new_arrival: 'teal',
  drifting: 'orange',
  long_absence: 'gray',
}

/** The associate's list for today: what is assigned to them first, then who their store should get in touch with, and why. */
export function OutreachList() {
  const list = useQuery({ queryKey: ['outreach'], queryFn: () => get<{ items: OutreachItem[] }>('/outreach') })
  const [contacting, setContacting] = useState<OutreachItem | null>(null)
  const items = list.data?.items ?? []
  const groups = [
    ['Assigned to you', items.filter((i) => i.assigned)],
    ['Suggested for your store', items.filter((i) => !i.assigned)],
  ] as const
  return (
    <Section title="Get in touch today">
      <ProblemAlert error={list.error} />
      {list.data?.items.length === 0 && (
        <EmptyState title="Nobody on your list today">Follow-ups you set, birthdays and members drifting away appear here.</EmptyState>
      )}
      <Stack gap="md">
        {groups.map(
          ([title, entries]) =>
            entries.length > 0 && (
              <Stack key={title} gap={6}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase">
                  {title}
                </Text>
                {entries.map((item) => (
                  <OutreachEntry key={`${item.reason}:${item.memberId}`} item={item} onContact={() => setContacting(item)} />
                ))}
              </Stack>
            ),
        )}
      </Stack>
      <Modal opened={contacting !== null} onClose={() => setContacting(null)} title={contacting ? `Write to ${contacting.name}` : ''} centered>
        {contacting && <ContactForm item={contacting} onSent={() => setContacting(null)} />}
      </Modal>
    </Section>
  )
}

const snoozeDays = [
  ['Tomorrow', 1],
  ['In 3 days', 3],
  ['In a week', 7],
] as const

/** One entry: who and why, then contact, snooze or done. */
function OutreachEntry({ item, onContact }: { item: OutreachItem; onContact: () => void }) {
  const client = useQueryClient()
  const refresh = () => client.invalidateQueries({ queryKey: ['outreach'] })
  const done = useMutation({
    mutationFn: () =>
      item.followUpId
        ? api('POST', `/members/${item.memberId}/follow-ups/${item.followUpId}/done`, { outcome: 'Done from the outreach list' })
        : api('POST', `/members/${item.memberId}/outreach/done`, { reason: item.reason }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: `${item.name}: done.` })
      refresh()
    },
  })
  const snooze = useMutation({
    mutationFn: (days: number) =>
      api('POST', `/members/${item.memberId}/outreach/snooze`, {
        reason: item.reason,
        until: new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10),
      }),
    onSuccess: (_, days) => {
      notifications.show({ color: 'gray', message: `${item.name} is back on your list ${days === 1 ? 'tomorrow' : `in ${days} days`}.` })
      refresh()
    },
  })
  return (
    <Stack gap={4} data-testid="outreach-item" pb={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Link to="/associate/members/$memberId" params={{ memberId: item.memberId }} style={{ fontWeight: 600, color: 'var(--mantine-color-teal-8)' }}>
            {item.name}
          </Link>
          <Text size="xs" c="dimmed">
            {item.why}
          </Text>
        </div>
        <Badge color={reasonColour[item.reason]} variant="light" style={{ flexShrink: 0 }}>
          {label(item.reason)}
        </Badge>
      </Group>
      <Group gap={6} wrap="wrap">
        <Button size="compact-sm" variant="light" leftSection={<IconMessage size={14} />} onClick={onContact}>
          Contact
        </Button>
        <Menu position="bottom-start">
          <Menu.Target>
            <Button size="compact-sm" variant="default" leftSection={<IconClock size={14} />} loading={snooze.isPending}>
              Snooze
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {snoozeDays.map(([text, days]) => (
              <Menu.Item key={days} onClick={() => snooze.mutate(days)}>
                {text}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Button size="compact-sm" variant="default" leftSection={<IconCheck size={14} />} onClick={() => done.mutate()} loading={done.isPending}>
          Done
        </Button>
      </Group>
      <ProblemAlert error={done.error ?? snooze.error} />
    </Stack>
  )
}

/** A message for the entry's reason, by a channel the member allows, edited before it goes. */
function ContactForm({ item, onSent }: { item: OutreachItem; onSent: () => void }) {
  const client = useQueryClient()
  const options = useQuery({
    queryKey: ['contact', item.memberId, item.reason],
    queryFn: () => get<ContactOptions>(`/members/${item.memberId}/contact${query({ reason: item.reason })}`),
  })
  const [channel, setChannel] = useState<string | null>(null)
  const [subject, setSubject] = useState<string | null>(null)
  const [text, setText] = useState<string | null>(null)
  const chosen = channel ?? options.data?.channels[0]?.channel ?? null
  const send = useMutation({
    mutationFn: () =>
      api('POST', `/members/${item.memberId}/messages`, {
        channel: chosen,
        reason: item.reason,
        subject: subject ?? options.data?.template.subject,
        text: text ?? options.data?.template.text,
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: `Sent to ${item.name}; logged as a conversation.` })
      client.invalidateQueries({ queryKey: ['outreach'] })
      onSent()
    },
  })
  if (!options.data) return <ProblemAlert error={options.error} />
  if (options.data.channels.length === 0)
    return (
      <Text size="sm" data-testid="contact-none">
        {item.name} has not allowed messages by email or text, or has no verified address. Call them or see them in store.
      </Text>
    )
  return (
    <form onSubmit={submit(() => chosen && send.mutate())}>
      <Stack gap="sm">
        <Select
          label="Send by"
          data={options.data.channels.map((c) => ({ value: c.channel, label: `${c.channel === 'sms' ? 'Text message' : 'Email'} to ${c.to}` }))}
          value={chosen}
          onChange={setChannel}
          allowDeselect={false}
        />
        <TextInput
          label="Subject"
          value={subject ?? options.data.template.subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          required
          maxLength={200}
        />
        <Textarea
          label="Message"
          value={text ?? options.data.template.text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={4}
          required
          maxLength={2000}
        />
        <ProblemAlert error={send.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={send.isPending}>
            Send
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** On the member's own home page: what our team wrote for them to see. */
export function SharedNotes() {
  const notes = useQuery({ queryKey: ['me', 'notes'], queryFn: () => get<{ items: MemberNote[] }>('/me/notes') })
  if (!notes.data?.items.length) return null
  return (
    <Section title="From our team">
      <Stack gap="xs">
        {notes.data.items.map((n) => (
          <div key={n.id}>
            <Text size="sm">{n.body}</Text>
            <Text size="xs" c="dimmed">
              {n.authorName}, {date(n.createdAt)}
            </Text>
          </div>
        ))}
      </Stack>
    </Section>
  )
}
