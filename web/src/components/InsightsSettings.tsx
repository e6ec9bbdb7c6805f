import { Button, Group, JsonInput, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useState } from 'react'
import { api, get, type JobStarted } from '../api'
import { JobProgress } from './JobProgress'
import { ProblemAlert, Section } from './ui'

/** Score weights and segment thresholds as JSON, checked by the API (docs/insights.md explains each). */
export function InsightsSettingsAdmin() {
  const client = useQueryClient()
  const settings = useQuery({ queryKey: ['insights', 'settings'], queryFn: () => get<Record<string, unknown>>('/insights/settings') })
  const [text, setText] = useState('')
  useEffect(() => {
    if (settings.data) setText(JSON.stringify(settings.data, null, 2))
  }, [settings.data])
  const save = useMutation({
    mutationFn: () => api('PUT', '/insights/settings', JSON.parse(text)),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Saved: the next refresh uses them.' })
      client.invalidateQueries({ queryKey: ['insights'] })
    },
  })
  const refresh = useMutation({ mutationFn: () => api<JobStarted>('POST', '/insights/refresh', {}) })
  const refreshed = useCallback(() => client.invalidateQueries({ queryKey: ['insights'] }), [client])
  return (
    <Section title="Relationship score and segments">
      <Stack>
        <Text size="sm" c="dimmed">
          Weights of the score's parts, the targets for full marks, which activity kinds count as taking part, social or advice, the segment thresholds and the
          lifetime-value horizon. Figures change at the next refresh (nightly, or now).
        </Text>
        <JsonInput
          aria-label="Insights settings"
          value={text}
          onChange={setText}
          autosize
          minRows={12}
          maxRows={30}
          validationError="Not valid JSON"
          formatOnBlur
        />
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            Save
          </Button>
          <Button variant="light" onClick={() => refresh.mutate()} loading={refresh.isPending}>
            Refresh the figures now
          </Button>
          <JobProgress started={refresh.data} onDone={refreshed} />
        </Group>
        <ProblemAlert error={settings.error ?? save.error ?? refresh.error} />
      </Stack>
    </Section>
  )
}
