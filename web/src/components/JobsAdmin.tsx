import { Badge, Button, Group, Modal, Paper, Select, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, get, type JobRun, type JobStarted, type JobSummary } from '../api'
import { dateTime } from '../format'
import { DataTable } from './DataTable'
import { MoreButton, usePages } from './paging'
import { EmptyState, ProblemAlert, Section } from './ui'

/** "Every 5 minutes", "Daily at 02:30", or the cron itself when it is anything else. */
export function scheduleText(cron: string) {
  const [minute, hour, day, month, weekday] = cron.split(' ')
  const every = /^\*\/(\d+)$/.exec(minute)
  if (every && [hour, day, month, weekday].every((f) => f === '*')) return `Every ${every[1]} minutes`
  if (/^\d+$/.test(minute) && /^\d+$/.test(hour) && [day, month, weekday].every((f) => f === '*'))
    return `Daily at ${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`
  return cron
}

export const duration = (ms: number | null) =>
  ms === null
    ? ''
    : ms < 1000
      ? `${ms} ms`
      : ms < 60_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`

const outcomeColour = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'red' } as const

function Outcome({ run }: { run: JobRun }) {
  return (
    // A visible label keeps the badge from being squeezed to an ellipsis in a narrow table cell.
    <Badge color={outcomeColour[run.outcome]} variant="light" styles={{ label: { overflow: 'visible' } }}>
      {run.outcome}
      {run.attempt > 1 ? ` (try ${run.attempt})` : ''}
    </Badge>
  )
}

const triggerText = (run: JobRun) =>
  run.trigger === 'schedule'
    ? 'on schedule'
    : run.trigger === 'cli'
      ? `command line${run.requestedBy ? ` (${run.requestedBy})` : ''}`
      : `Run now by ${run.requestedBy ?? 'an admin'}`

function JobCard({ job, onRun, pending }: { job: JobSummary; onRun: () => void; pending: boolean }) {
  const last = job.lastRun
  return (
    <Paper withBorder p="sm" radius="md" data-testid={`job-${job.name}`}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ flex: 1, minWidth: 220 }}>
          <Group gap="xs">
            <Text fw={600}>{job.title}</Text>
            <Text size="xs" c="dimmed" ff="monospace">
              {job.name}
            </Text>
          </Group>
          <Text size="sm" c="dimmed">
            {job.description}
          </Text>
          <Text size="sm">
            {scheduleText(job.schedule)} · next {dateTime(job.nextRunAt)}
          </Text>
          {last ? (
            <Group gap="xs" wrap="wrap">
              <Outcome run={last} />
              <Text size="sm">
                {dateTime(last.startedAt)}
                {last.durationMs !== null ? `, ${duration(last.durationMs)}` : ''} · {triggerText(last)}
              </Text>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              Not run yet.
            </Text>
          )}
          {last?.summary && <Text size="sm">{last.summary}</Text>}
          {last?.error && (
            <Text size="sm" c="red">
              {last.error}
            </Text>
          )}
        </Stack>
        <Button variant={job.heavy ? 'light' : 'default'} onClick={onRun} loading={pending}>
          Run now
        </Button>
      </Group>
    </Paper>
  )
}

function RunHistory({ jobs }: { jobs: JobSummary[] }) {
  const [job, setJob] = useState<string | null>(null)
  // Keyed by the latest runs, so the history follows the cards above.
  const latest = jobs.map((j) => `${j.lastRun?.id}:${j.lastRun?.outcome}`).join()
  const pages = usePages<JobRun>(['job-runs', latest], '/jobs/runs', { job, limit: 20 })
  const title = (name: string) => jobs.find((j) => j.name === name)?.title ?? name
  return (
    <Section title="Recent runs">
      <Select
        aria-label="Which job"
        placeholder="All jobs"
        data={jobs.map((j) => ({ value: j.name, label: j.title }))}
        value={job}
        onChange={setJob}
        clearable
        maw={260}
        mb="sm"
      />
      {pages.isSuccess && pages.items.length === 0 && (
        <EmptyState title="No runs yet">Runs appear here as the schedules come round, or after Run now.</EmptyState>
      )}
      <DataTable
        label="Recent runs"
        rows={pages.items}
        rowKey={(run) => run.id}
        minWidth={640}
        columns={[
          { title: 'Job', cell: (run) => title(run.job), heading: true },
          { title: 'Outcome', cell: (run) => <Outcome run={run} /> },
          { title: 'Started', cell: (run) => dateTime(run.startedAt), nowrap: true },
          { title: 'Took', cell: (run) => duration(run.durationMs), nowrap: true },
          { title: 'Asked by', cell: (run) => triggerText(run), dimmed: true },
          {
            title: 'What happened',
            block: true,
            cell: (run) => (
              <Text span size="sm" c={run.error ? 'red' : undefined}>
                {run.error ?? run.summary}
              </Text>
            ),
          },
        ]}
      />
      <MoreButton pages={pages} label="Older runs" />
      <ProblemAlert error={pages.error} />
    </Section>
  )
}

/** Admin → Jobs: what runs in the background, when, how it went, and Run now (asking first for the heavy ones). */
export function JobsAdmin() {
  const client = useQueryClient()
  const [askedAt, setAskedAt] = useState(0)
  const jobs = useQuery({
    queryKey: ['jobs'],
    queryFn: () => get<{ items: JobSummary[] }>('/jobs'),
    // Follow a run that is going, or was just asked for; otherwise look now and then.
    refetchInterval: (q) =>
      q.state.data?.items.some((j) => j.lastRun?.outcome === 'running' || j.lastRun?.outcome === 'queued') || Date.now() - askedAt < 60_000 ? 2000 : 30_000,
  })
  const [confirming, setConfirming] = useState<JobSummary | null>(null)
  const run = useMutation({
    mutationFn: (name: string) => api<JobStarted>('POST', `/jobs/${name}/run`),
    onSuccess: ({ queued }) => {
      setConfirming(null)
      notifications.show({ color: queued ? 'teal' : 'yellow', message: queued ? 'Queued: the next free server runs it.' : 'A run of it is already waiting.' })
      setAskedAt(Date.now())
      client.invalidateQueries({ queryKey: ['jobs'] })
    },
  })
  const items = jobs.data?.items ?? []
  return (
    <Stack>
      <Section title="Background jobs">
        <Text size="sm" c="dimmed" mb="sm">
          Schedules are read in {items[0]?.timezone ?? 'the retailer’s time zone'}. Each scheduled run happens once, on one of the servers; a failed run is
          retried three times.
        </Text>
        <Stack gap="sm">
          {items.map((job) => (
            <JobCard
              key={job.name}
              job={job}
              pending={run.isPending && run.variables === job.name}
              onRun={() => (job.heavy ? setConfirming(job) : run.mutate(job.name))}
            />
          ))}
        </Stack>
        <ProblemAlert error={run.error ?? jobs.error} />
      </Section>
      <RunHistory jobs={items} />
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={`Run ${confirming?.title ?? ''} now?`}>
        <Text size="sm" mb="md">
          {confirming?.description} It works through every member and can take several minutes.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button onClick={() => confirming && run.mutate(confirming.name)} loading={run.isPending}>
            Run it now
          </Button>
        </Group>
      </Modal>
    </Stack>
  )
}
