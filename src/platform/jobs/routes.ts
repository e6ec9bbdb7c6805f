import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { Described, Id, Nullable, PageQuery, Timestamp } from '../http/schemas.js'
import type { Jobs } from './scheduler.js'
import { listJobs, listRuns, runJobNow } from './service.js'

const admins = { access: { staff: 'admin' as const } }
const JobName = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'A job name, e.g. insights-full' })

const JobRun = Type.Object(
  {
    id: Id,
    job: Type.String(),
    trigger: Type.Union([Type.Literal('schedule'), Type.Literal('admin'), Type.Literal('cli')]),
    requestedBy: Nullable(Type.String()),
    attempt: Type.Integer({ description: 'Retries count up from 1' }),
    startedAt: Timestamp,
    durationMs: Nullable(Type.Integer()),
    outcome: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    summary: Nullable(Type.String()),
    result: Nullable(Type.Record(Type.String(), Type.Unknown())),
    error: Nullable(Type.String()),
  },
  { $id: 'JobRun' },
)

const JobSummary = Type.Object(
  {
    name: JobName,
    title: Type.String(),
    description: Type.String(),
    schedule: Type.String({ description: 'Cron: minute hour day month weekday' }),
    timezone: Type.String({ description: 'The schedule is read in this time zone (REGULARS_TIMEZONE)' }),
    heavy: Type.Boolean({ description: 'Rebuilds everything: ask before running it now' }),
    nextRunAt: Timestamp,
    lastRun: Nullable(Type.Ref('JobRun')),
  },
  { $id: 'JobSummary' },
)

/** Admin → Jobs: the schedules, their history, and Run now. */
export const routes: FastifyPluginAsyncTypebox<Deps & { jobs: Jobs }> = async (app, { jobs, ...deps }) => {
  app.addSchema(JobRun)
  app.addSchema(JobSummary)

  app.get(
    '/jobs',
    {
      config: admins,
      schema: {
        tags: ['jobs'],
        summary: 'Background jobs, their schedules and latest runs',
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('JobSummary')) }) },
      },
    },
    async () => ({ items: await listJobs(deps, jobs) }),
  )

  app.get(
    '/jobs/runs',
    {
      config: admins,
      schema: {
        tags: ['jobs'],
        summary: 'Runs of background jobs, newest first',
        querystring: Type.Object({
          job: Type.Optional(JobName),
          limit: PageQuery.properties.limit,
          cursor: Type.Optional(Described(Id, 'nextCursor of the page before')),
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('JobRun')), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => listRuns(deps, jobs, { ...request.query, limit: request.query.limit ?? 50 }),
  )

  app.post(
    '/jobs/:name/run',
    {
      config: admins,
      schema: {
        tags: ['jobs'],
        summary: 'Run a job now, on whichever node is free (not queued twice)',
        params: Type.Object({ name: JobName }),
        response: { 202: Type.Object({ name: JobName, queued: Type.Boolean({ description: 'false: a run of it was already waiting' }) }) },
      },
    },
    async (request, reply) => reply.code(202).send(await runJobNow(deps, jobs, request.params.name, callerOf(request))),
  )
}
