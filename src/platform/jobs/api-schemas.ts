import { Type } from 'typebox'
import { Described, Id, Nullable, Ref, Timestamp } from '../http/schemas.js'

// What the jobs routes answer; the web app imports these types (a leaf: typebox and platform/http/schemas.ts only).

export const JobName = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'A job name, e.g. insights-full' })

export const JobRun = Type.Object(
  {
    id: Id,
    job: Type.String(),
    trigger: Type.Union([Type.Literal('schedule'), Type.Literal('admin'), Type.Literal('cli')]),
    requestedBy: Nullable(Type.String()),
    attempt: Type.Integer({ description: 'Retries count up from 1' }),
    startedAt: Timestamp,
    durationMs: Nullable(Type.Integer()),
    outcome: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')], {
      description: 'queued: waiting for a free server',
    }),
    summary: Nullable(Type.String()),
    result: Nullable(Type.Record(Type.String(), Type.Unknown())),
    error: Nullable(Type.String()),
  },
  { $id: 'JobRun' },
)

export const JobSummary = Type.Object(
  {
    name: JobName,
    title: Type.String(),
    description: Type.String(),
    schedule: Type.String({ description: 'Cron: minute hour day month weekday' }),
    timezone: Type.String({ description: 'The schedule is read in this time zone (REGULARS_TIMEZONE)' }),
    heavy: Type.Boolean({ description: 'Rebuilds everything: ask before running it now' }),
    nextRunAt: Timestamp,
    lastRun: Nullable(Ref(JobRun)),
  },
  { $id: 'JobSummary' },
)

/** What "run it now" answers (Admin → Jobs, and each module's own button): the run to follow. */
export const JobStarted = Type.Object({
  name: JobName,
  queued: Type.Boolean({ description: 'false: a run of it was already waiting, and runId is that run' }),
  runId: Described(Nullable(Id), 'Follow it with GET /v1/jobs/runs/{runId} until its outcome is succeeded or failed'),
})
