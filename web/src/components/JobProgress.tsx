import { Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { get, type JobRun, type JobStarted } from '../api'

const finished = (run: JobRun | undefined) => run?.outcome === 'succeeded' || run?.outcome === 'failed'

/**
 * Follows a run a "now" button queued (GET /v1/jobs/runs/:id, each second until it ends) and says
 * how it is going; `onDone` runs once it has succeeded, to reload what it changed.
 */
export function JobProgress({ started, onDone }: { started: JobStarted | undefined; onDone?: () => void }) {
  const runId = started?.runId
  const run = useQuery({
    queryKey: ['job-run', runId],
    queryFn: () => get<JobRun>(`/jobs/runs/${runId}`),
    enabled: Boolean(runId),
    refetchInterval: (q) => (finished(q.state.data) ? false : 1000),
  })
  const outcome = run.data?.outcome
  useEffect(() => {
    if (outcome === 'succeeded') onDone?.()
  }, [outcome, onDone])
  if (!started) return null
  const r = run.data
  const [colour, text] =
    r?.outcome === 'succeeded'
      ? ['teal', r.summary ?? 'Done.']
      : r?.outcome === 'failed'
        ? ['red', `Failed: ${r.error ?? 'see Admin → Jobs'} (it is retried)`]
        : r?.outcome === 'running'
          ? ['blue', 'Running…']
          : ['dimmed', started.queued ? 'Queued: the next free server runs it…' : 'A run was already waiting: following it…']
  return (
    <Text size="sm" c={colour} data-testid="job-progress" role="status">
      {text}
    </Text>
  )
}
