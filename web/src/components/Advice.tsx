import { ActionIcon, Badge, Button, Group, Progress, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core'
import { IconThumbDown, IconX } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, get, type Suggestion, type Taste } from '../api'
import { label } from '../format'
import { ProblemAlert, Section, submit } from './ui'

/** Suggestions with their reasons; the member can wave one away ("not now") or say it is not for them. */
export function Suggestions({ base, title = 'Suggested for you', talkingPoints = false }: { base: string; title?: string; talkingPoints?: boolean }) {
  const client = useQueryClient()
  const key = ['suggestions', base]
  const list = useQuery({ queryKey: key, queryFn: () => get<{ items: Suggestion[]; talkingPoints?: string[] }>(`${base}/suggestions?k=5`) })
  const feedback = useMutation({
    mutationFn: (body: { sku: string; event: string }) => api('POST', `${base}/suggestions/feedback`, body),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: key })
      client.invalidateQueries({ queryKey: ['taste', base] })
    },
  })
  return (
    <Section title={title}>
      <ProblemAlert error={list.error ?? feedback.error} />
      {talkingPoints && !!list.data?.talkingPoints?.length && (
        <Stack gap={2} mb="sm" data-testid="talking-points">
          {list.data.talkingPoints.map((point) => (
            <Text key={point} size="sm">
              • {point}
            </Text>
          ))}
        </Stack>
      )}
      {list.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing to suggest yet: suggestions are learnt each night from what members buy.
        </Text>
      )}
      <Stack gap="xs">
        {list.data?.items.map((s) => (
          <Group key={s.sku} justify="space-between" wrap="nowrap" data-testid="suggestion">
            <div>
              <Text size="sm" fw={600}>
                {s.name}
              </Text>
              <Text size="xs" c="dimmed">
                {s.reason.text}
              </Text>
            </div>
            <Group gap={4} wrap="nowrap">
              <Tooltip label="Not now">
                <ActionIcon variant="subtle" color="gray" aria-label={`Not now: ${s.name}`} onClick={() => feedback.mutate({ sku: s.sku, event: 'dismissed' })}>
                  <IconX size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Not for me">
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Not for me: ${s.name}`}
                  onClick={() => feedback.mutate({ sku: s.sku, event: 'not_for_me' })}
                >
                  <IconThumbDown size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Group>
        ))}
      </Stack>
    </Section>
  )
}

const preferenceKinds = [
  { value: 'like', label: 'I like' },
  { value: 'dislike', label: 'Not for me' },
  { value: 'size', label: 'My size' },
  { value: 'never_suggest', label: 'Never suggest (product code)' },
]
const subjectFor: Record<string, string> = { like: 'category', dislike: 'category', size: 'size', never_suggest: 'sku' }
/** "Home > Candles" as a person writes a path. */
const path = (subject: string) => subject.replaceAll(' > ', ' › ')
/** The member's own voice on their page ("Not for me"), the associate's about them on theirs ("Not for them"). */
const ownWords: Record<string, string> = { like: 'I like', dislike: 'Not for me', size: 'My size', never_suggest: 'Never suggest', note: 'Note' }

/** What the shop thinks the member likes and why, and what they told it; both editable. */
export function TasteProfile({ base }: { base: string }) {
  const client = useQueryClient()
  const key = ['taste', base]
  const taste = useQuery({ queryKey: key, queryFn: () => get<Taste>(`${base}/taste`) })
  const [kind, setKind] = useState<string | null>('like')
  const [subject, setSubject] = useState('')
  const refresh = () => client.invalidateQueries({ queryKey: key })
  const add = useMutation({
    mutationFn: (body: { kind: string; subjectKind: string; subject: string }) => api('POST', `${base}/taste/preferences`, body),
    onSuccess: () => {
      setSubject('')
      refresh()
    },
  })
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `${base}/taste/preferences/${id}`), onSuccess: refresh })
  const data = taste.data
  const own = base === '/me'
  return (
    <Section title={own ? 'Your taste' : 'Taste'} testId="taste">
      <ProblemAlert error={taste.error ?? remove.error} />
      {data && !data.profiling && (
        <Text size="sm" c="dimmed" mb="xs">
          Personal suggestions from shopping are switched off, so nothing is learnt; only what was said below is used.
        </Text>
      )}
      <Stack gap={6}>
        {data?.learned.map((a) => (
          <div key={`${a.kind}:${a.subject}`} data-testid="taste-learned">
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" data-testid="taste-subject">
                {path(a.subject)}
                {a.kind === 'brand' && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    (brand)
                  </Text>
                )}
              </Text>
              <Tooltip label={own ? 'Not for me' : 'Not for them'}>
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="gray"
                  aria-label={`Not for ${own ? 'me' : 'them'}: ${path(a.subject)}`}
                  onClick={() => add.mutate({ kind: 'dislike', subjectKind: a.kind, subject: a.subject })}
                >
                  <IconX size={14} />
                </ActionIcon>
              </Tooltip>
            </Group>
            <Progress value={a.strength * 100} size="xs" />
            <Text size="xs" c="dimmed" data-testid="taste-why">
              Why we think so: {a.why}
            </Text>
          </div>
        ))}
        {data && data.preferences.length > 0 && (
          <Group gap={4} mt="xs">
            {data.preferences.map((p) => (
              <Badge
                key={p.id}
                variant="light"
                tt="none"
                color={p.kind === 'dislike' || p.kind === 'never_suggest' ? 'red' : 'teal'}
                rightSection={
                  <ActionIcon size="xs" variant="transparent" aria-label={`Remove ${path(p.subject)}`} onClick={() => remove.mutate(p.id)}>
                    <IconX size={10} />
                  </ActionIcon>
                }
                data-testid="taste-preference"
              >
                {own ? (ownWords[p.kind] ?? label(p.kind)) : label(p.kind)}: {path(p.subject)}
              </Badge>
            ))}
          </Group>
        )}
        <form onSubmit={submit(() => kind && subject.trim() && add.mutate({ kind, subjectKind: subjectFor[kind], subject }))}>
          <Group gap={6} align="flex-end" wrap="wrap">
            <Select aria-label="What" data={preferenceKinds} value={kind} onChange={setKind} allowDeselect={false} w={190} />
            <TextInput
              aria-label="Which"
              placeholder="Coffee › Beans, M, SKU-00012"
              value={subject}
              onChange={(e) => setSubject(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 140 }}
            />
            <Button type="submit" size="sm" variant="light" loading={add.isPending}>
              Add
            </Button>
          </Group>
        </form>
        {/* Beside the form that was refused, not above a long list of tastes. */}
        <ProblemAlert error={add.error} />
      </Stack>
    </Section>
  )
}
