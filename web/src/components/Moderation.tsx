import { Badge, Blockquote, Button, Group, Modal, NumberInput, Paper, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconBan, IconEye, IconEyeOff, IconFlagOff, IconShieldCheck } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, type Ban, get, type ModerationQueue, type NewBan, type NewReport, type QueueItem, query } from '../api'
import { dateTime } from '../format'
import { useSession } from '../session'
import { EmptyState, ProblemAlert, submit } from './ui'

const queueKey = ['moderation', 'queue']

/** A member's "Report" button for any community post: a reason, an optional note, once per post. */
export function ReportButton({ kind, contentId }: { kind: NewReport['kind']; contentId: string }) {
  const [opened, { open, close }] = useDisclosure(false)
  const [reason, setReason] = useState<NewReport['reason']>('offensive')
  const [note, setNote] = useState('')
  const report = useMutation({
    mutationFn: () => api('POST', '/community/reports', { kind, contentId, reason, note: note.trim() || null }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Thank you: a moderator will look at it.' })
      close()
    },
  })
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="gray" onClick={open}>
        Report
      </Button>
      <Modal opened={opened} onClose={close} title="Report this to the moderators">
        <form onSubmit={submit(() => report.mutate())}>
          <Stack>
            <Select
              label="What is wrong with it?"
              value={reason}
              onChange={(value) => value && setReason(value as NewReport['reason'])}
              allowDeselect={false}
              data={[
                { value: 'offensive', label: 'Offensive or abusive' },
                { value: 'spam', label: 'Spam or advertising' },
                { value: 'personal_information', label: 'Shares personal information' },
                { value: 'misleading', label: 'Misleading' },
                { value: 'off_topic', label: 'Off topic' },
                { value: 'other', label: 'Something else' },
              ]}
            />
            <Textarea
              label="Anything the moderators should know (optional)"
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              maxLength={500}
              autosize
              minRows={2}
            />
            <ProblemAlert error={report.error} />
            <Button type="submit" loading={report.isPending}>
              Send report
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  )
}

/** How many posts wait in the staff member's queue: for the console's button. */
export function useQueueCount() {
  const queue = useQuery({ queryKey: queueKey, queryFn: () => get<ModerationQueue>('/moderation/queue') })
  return queue.data?.items.length
}

function BanDialog({ item, opened, onClose }: { item: QueueItem; opened: boolean; onClose: () => void }) {
  const session = useSession()
  const client = useQueryClient()
  const user = session?.user
  // Staff held to stores ban about their own store only; admins (and staff of every store) may ban everywhere.
  const heldToStores = user && user.role !== 'admin' && user.storeIds.length > 0
  const [where, setWhere] = useState<'store' | 'everywhere'>(item.store ? 'store' : 'everywhere')
  const [length, setLength] = useState<'days' | 'forever'>('days')
  const [days, setDays] = useState<number | string>(7)
  const [reason, setReason] = useState('')
  const [confirming, setConfirming] = useState(false)
  const ban = useMutation({
    mutationFn: () =>
      api<Ban>('POST', '/moderation/bans', {
        memberId: item.author.memberId,
        storeId: where === 'store' ? item.store?.storeId : null,
        days: length === 'days' ? Number(days) : null,
        reason: reason.trim(),
      } satisfies NewBan),
    onSuccess: () => {
      notifications.show({
        color: 'teal',
        message: `${item.author.name} cannot post ${where === 'store' ? `about ${item.store?.name}` : 'in the community'} now.`,
      })
      client.invalidateQueries({ queryKey: queueKey })
      setConfirming(false)
      onClose()
    },
  })
  const scope = where === 'store' ? `about ${item.store?.name}` : 'anywhere in the community'
  const until = length === 'days' ? `for ${days} day${Number(days) === 1 ? '' : 's'}` : 'until someone lifts the ban'
  return (
    <Modal opened={opened} onClose={onClose} title={`Stop ${item.author.name} posting`}>
      <form onSubmit={submit(() => setConfirming(true))}>
        <Stack>
          <SegmentedControl
            value={where}
            onChange={(v) => setWhere(v as 'store' | 'everywhere')}
            data={[
              ...(item.store ? [{ value: 'store', label: `About ${item.store.name}` }] : []),
              { value: 'everywhere', label: 'Everywhere', disabled: Boolean(heldToStores) },
            ]}
            aria-label="Where"
          />
          <Group align="flex-end" wrap="wrap">
            <SegmentedControl
              value={length}
              onChange={(v) => setLength(v as 'days' | 'forever')}
              data={[
                { value: 'days', label: 'For some days' },
                { value: 'forever', label: 'Until lifted' },
              ]}
              aria-label="How long"
            />
            {length === 'days' && <NumberInput label="Days" value={days} onChange={setDays} min={1} max={3650} w={100} required />}
          </Group>
          <TextInput
            label="Reason (the member reads it)"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            minLength={3}
            maxLength={500}
            required
          />
          <ProblemAlert error={ban.error} />
          {confirming ? (
            <Paper withBorder p="sm" radius="md" bg="red.0">
              <Stack gap="xs">
                <Text size="sm" fw={600}>
                  Stop {item.author.name} posting {scope} {until}?
                </Text>
                <Group>
                  <Button color="red" leftSection={<IconBan size={16} />} loading={ban.isPending} onClick={() => ban.mutate()}>
                    Yes, ban
                  </Button>
                  <Button variant="subtle" onClick={() => setConfirming(false)}>
                    Go back
                  </Button>
                </Group>
              </Stack>
            </Paper>
          ) : (
            <Button type="submit" color="red" variant="light" leftSection={<IconBan size={16} />}>
              Ban…
            </Button>
          )}
        </Stack>
      </form>
    </Modal>
  )
}

function QueueCard({ item }: { item: QueueItem }) {
  const client = useQueryClient()
  const [reason, setReason] = useState('')
  const [banOpen, banDialog] = useDisclosure(false)
  const decide = useMutation({
    mutationFn: (decision: 'hide' | 'restore' | 'dismiss') =>
      api('POST', `/moderation/items/${item.kind}/${item.contentId}/${decision}`, { reason: reason.trim() || null }),
    onSuccess: (_data, decision) => {
      notifications.show({
        color: 'teal',
        message: { hide: 'Hidden; the author is told.', restore: 'Published; the author is told.', dismiss: 'Reports dismissed.' }[decision],
      })
      client.invalidateQueries({ queryKey: queueKey })
    },
  })
  const held = item.status === 'held'
  return (
    <Paper withBorder p="md" radius="md" data-testid="queue-item" aria-label={`${item.kindName} by ${item.author.name}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap={6} wrap="wrap">
            <Badge variant="light">{item.kindName}</Badge>
            {held ? <Badge color="orange">Held</Badge> : <Badge color="red">{item.reports.length === 1 ? '1 report' : `${item.reports.length} reports`}</Badge>}
            {item.store && (
              <Badge variant="outline" color="gray">
                {item.store.name}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {dateTime(item.postedAt)}
          </Text>
        </Group>
        {item.about && (
          <Text size="sm" fw={600}>
            {item.link ? <a href={item.link}>{item.about}</a> : item.about}
          </Text>
        )}
        {/* The member's words, as text: never rendered as HTML here. */}
        <Blockquote p="sm" color="gray" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="queue-text">
          {item.text}
        </Blockquote>
        <Text size="sm">
          <b>{item.author.name}</b> · {item.author.posts} post{item.author.posts === 1 ? '' : 's'}
          {item.author.hidden ? `, ${item.author.hidden} hidden before` : ''}
          {item.author.banned ? ' · banned now' : ''}
        </Text>
        {item.reasons.map((r) => (
          <Text key={r} size="sm" c="orange.8">
            {r}
          </Text>
        ))}
        {item.reports.length > 0 && (
          <Stack gap={2}>
            {item.reports.map((r) => (
              <Text key={r.reportedAt + r.reason} size="sm">
                Reported as <b>{r.reasonName}</b>
                {r.note ? `: “${r.note}”` : ''}{' '}
                <Text span size="xs" c="dimmed">
                  {dateTime(r.reportedAt)}
                </Text>
              </Text>
            ))}
          </Stack>
        )}
        {item.history.length > 0 && (
          <Text size="xs" c="dimmed">
            Before: {item.history.map((h) => `${h.action} by ${h.by} ${dateTime(h.at)}`).join('; ')}
          </Text>
        )}
        <TextInput
          size="sm"
          placeholder="Reason, told to the author (optional)"
          aria-label="Reason"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
        />
        <ProblemAlert error={decide.error} />
        <Group gap="xs" wrap="wrap">
          {held ? (
            <Button
              size="sm"
              leftSection={<IconEye size={16} />}
              loading={decide.isPending && decide.variables === 'restore'}
              onClick={() => decide.mutate('restore')}
            >
              Publish
            </Button>
          ) : (
            <Button
              size="sm"
              variant="light"
              leftSection={<IconFlagOff size={16} />}
              loading={decide.isPending && decide.variables === 'dismiss'}
              onClick={() => decide.mutate('dismiss')}
            >
              Keep it
            </Button>
          )}
          <Button
            size="sm"
            color="red"
            variant="light"
            leftSection={<IconEyeOff size={16} />}
            loading={decide.isPending && decide.variables === 'hide'}
            onClick={() => decide.mutate('hide')}
          >
            Hide
          </Button>
          <Button size="sm" color="red" variant="subtle" leftSection={<IconBan size={16} />} onClick={banDialog.open}>
            Ban author…
          </Button>
        </Group>
      </Stack>
      <BanDialog item={item} opened={banOpen} onClose={banDialog.close} />
    </Paper>
  )
}

/** The associate console's moderation queue: their stores' held and reported posts (admins: all), oldest first. */
export function ModerationQueueList() {
  const [show, setShow] = useState<'all' | 'held' | 'reported'>('all')
  const queue = useQuery({ queryKey: [...queueKey, show], queryFn: () => get<ModerationQueue>(`/moderation/queue${query({ show })}`) })
  return (
    <Stack>
      <SegmentedControl
        value={show}
        onChange={(v) => setShow(v as typeof show)}
        data={[
          { value: 'all', label: 'Everything' },
          { value: 'held', label: 'Held' },
          { value: 'reported', label: 'Reported' },
        ]}
        aria-label="Show"
        w="fit-content"
      />
      <ProblemAlert error={queue.error} />
      {queue.data && queue.data.items.length === 0 && (
        <EmptyState title="Nothing to look at" icon={<IconShieldCheck size={26} />}>
          Posts held by the word filters or as a new member’s first, and posts members report, wait here.
        </EmptyState>
      )}
      {queue.data?.items.map((item) => (
        <QueueCard key={`${item.kind}:${item.contentId}`} item={item} />
      ))}
    </Stack>
  )
}
