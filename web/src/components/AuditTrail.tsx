import { Badge, Code, Group, Select, Stack, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { type AuditChoices, type AuditEntry, api, get, type Merge } from '../api'
import { dateTime, label } from '../format'
import { ConfirmButton } from './Confirm'
import { DataTable } from './DataTable'
import { MoreButton, usePages } from './paging'
import { EmptyState, ProblemAlert, Section } from './ui'

/** `member.profile_updated` → "Member profile updated". */
const actionWords = (action: string) => label(action.replace('.', '_'))

/** The record an entry is about, by name: "Member Ada Lovelace", "Reward Free coffee". */
function targetOf(entry: AuditEntry) {
  const name = entry.targetId ? (entry.names[entry.targetId] ?? entry.targetId.slice(0, 8)) : ''
  return `${label(entry.targetKind)} ${name}`.trim()
}

/** Ids in what changed read as the names they stand for. */
function named(value: unknown, names: Record<string, string>): unknown {
  if (typeof value === 'string') return names[value] ?? value
  if (Array.isArray(value)) return value.map((v) => named(v, names))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, named(v, names)]))
  return value
}

const mergeOf = (entry: AuditEntry) => (entry.after as { mergeId?: string } | null)?.mergeId
const mergedIdOf = (entry: AuditEntry) => (entry.before as { mergedId?: string } | null)?.mergedId

/** What an admin reads first: the sentence, not the JSON. */
function summary(entry: AuditEntry) {
  if (entry.action === 'member.merged') {
    const merged = mergedIdOf(entry)
    return `${merged ? (entry.names[merged] ?? 'a member') : 'a member'} merged into ${targetOf(entry).replace(/^Member /, '')}`
  }
  return targetOf(entry)
}

/** Undo a merge, once: whether it was undone already is the merge's own record (not the entries on screen). */
function UndoMerge({ entry }: { entry: AuditEntry }) {
  const client = useQueryClient()
  const mergeId = mergeOf(entry)
  const merged = mergedIdOf(entry)
  const merges = useQuery({
    queryKey: ['audit', 'merges', merged],
    queryFn: () => get<{ items: Merge[] }>(`/members/${merged}/merges`),
    enabled: Boolean(merged),
  })
  const undone = Boolean(merges.data?.items.find((m) => m.id === mergeId)?.unmergedAt)
  const unmerge = useMutation({
    mutationFn: () => api('POST', `/members/merges/${mergeId}/unmerge`),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Merge undone: they are two members again, each with what was theirs.' })
      client.invalidateQueries({ queryKey: ['audit'] })
      client.invalidateQueries({ queryKey: ['duplicates'] })
    },
  })
  if (!mergeId || !merges.data) return null
  if (undone)
    return (
      <Badge variant="light" color="gray" tt="none">
        undone
      </Badge>
    )
  const [mergedName, survivorName] = [merged ? (entry.names[merged] ?? 'the merged member') : 'the merged member', targetOf(entry).replace(/^Member /, '')]
  return (
    <>
      <ConfirmButton
        size="compact-xs"
        variant="subtle"
        color="red"
        title={`Undo the merge of ${mergedName} into ${survivorName}?`}
        message={`${mergedName} becomes a member of their own again: the cards, history, points and notes that came with them go back. What ${survivorName} did since stays with ${survivorName}.`}
        confirmLabel="Undo merge"
        onConfirm={() => unmerge.mutate()}
        loading={unmerge.isPending}
      >
        Undo merge
      </ConfirmButton>
      <ProblemAlert error={unmerge.error} />
    </>
  )
}

type Filter = { actorId: string | null; action: string | null; from: string; to: string }

/** The audit trail: who changed what and when, by name, filtered; a merge can be undone from here. */
export function AuditTrail() {
  const [filter, setFilter] = useState<Filter>({ actorId: null, action: null, from: '', to: '' })
  const choices = useQuery({ queryKey: ['audit', 'choices'], queryFn: () => get<AuditChoices>('/audit/choices') })
  // Dates are the admin's own days: from the start of "from" to the end of "to".
  const day = (text: string, plus = 0) => (text ? new Date(new Date(`${text}T00:00:00`).getTime() + plus * 86_400_000).toISOString() : undefined)
  const pages = usePages<AuditEntry>(['audit'], '/audit', {
    limit: 50,
    actorId: filter.actorId,
    action: filter.action,
    from: day(filter.from),
    to: day(filter.to, 1),
  })
  const { items } = pages
  const filtered = Boolean(filter.actorId || filter.action || filter.from || filter.to)
  return (
    <Section title="Audit trail">
      <Group mb="sm" gap="xs" align="flex-end" wrap="wrap">
        <Select
          label="Who"
          placeholder="Anyone"
          clearable
          searchable
          w={{ base: '100%', xs: 200 }}
          data={choices.data?.actors.map((a) => ({ value: a.actorId, label: a.actorName })) ?? []}
          value={filter.actorId}
          onChange={(actorId) => setFilter({ ...filter, actorId })}
        />
        <Select
          label="What"
          placeholder="Any change"
          clearable
          searchable
          w={{ base: '100%', xs: 220 }}
          data={choices.data?.actions.map((a) => ({ value: a, label: actionWords(a) })) ?? []}
          value={filter.action}
          onChange={(action) => setFilter({ ...filter, action })}
        />
        <TextInput
          label="From"
          type="date"
          w={{ base: '47%', xs: 160 }}
          value={filter.from}
          onChange={(e) => setFilter({ ...filter, from: e.currentTarget.value })}
        />
        <TextInput
          label="To"
          type="date"
          w={{ base: '47%', xs: 160 }}
          value={filter.to}
          onChange={(e) => setFilter({ ...filter, to: e.currentTarget.value })}
        />
      </Group>
      {pages.isSuccess && items.length === 0 && (
        <EmptyState title={filtered ? 'Nothing matches' : 'Nothing audited yet'}>
          {filtered
            ? 'No change by that person, of that kind, in those days.'
            : 'Staff changes to members, logins, keys and settings appear here with before and after.'}
        </EmptyState>
      )}
      <DataTable
        label="Audit trail"
        rows={items}
        rowKey={(entry) => entry.id}
        minWidth={640}
        columns={[
          { title: 'When', cell: (entry) => dateTime(entry.at), nowrap: true, heading: true },
          { title: 'Who', cell: (entry) => entry.actorName ?? entry.actorKind },
          {
            title: 'What',
            cell: (entry) => (
              <Badge variant="light" tt="none">
                {actionWords(entry.action)}
              </Badge>
            ),
          },
          {
            title: 'Changed',
            block: true,
            cell: (entry) => (
              <Stack gap={4} align="flex-start">
                <details>
                  <summary>{summary(entry)}</summary>
                  <Code block fz="xs" ta="left" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {JSON.stringify(named({ before: entry.before, after: entry.after }, entry.names), null, 2)}
                  </Code>
                </details>
                {entry.action === 'member.merged' && <UndoMerge entry={entry} />}
              </Stack>
            ),
          },
        ]}
      />
      <MoreButton pages={pages} label="Older entries" />
      <ProblemAlert error={pages.error ?? choices.error} />
    </Section>
  )
}
