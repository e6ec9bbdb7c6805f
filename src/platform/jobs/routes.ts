import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { Described, Id, IdParams, Nullable, PageQuery, Ref } from '../http/schemas.js'
import { JobName, JobRun, JobStarted, JobSummary } from './api-schemas.js'
import type { Jobs } from './scheduler.js'
import { jobRun, listJobs, listRuns, runJobNow } from './service.js'

const admins = { access: { staff: 'admin' as const } }
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
        response: { 200: Type.Object({ items: Type.Array(Ref(JobSummary)) }) },
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
        response: { 200: Type.Object({ items: Type.Array(Ref(JobRun)), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => listRuns(deps, jobs, { ...request.query, limit: request.query.limit ?? 50 }),
  )

  app.get(
    '/jobs/runs/:id',
    {
      // Managers start the tier review from the rewards page and follow it here.
      config: { access: { staff: 'manager' as const } },
      schema: { tags: ['jobs'], summary: 'One run: queued, running, then its outcome and summary', params: IdParams, response: { 200: Ref(JobRun) } },
    },
    async (request) => jobRun(deps, request.params.id),
  )

  app.post(
    '/jobs/:name/run',
    {
      config: admins,
      schema: {
        tags: ['jobs'],
        summary: 'Run a job now, on whichever node is free (not queued twice)',
        params: Type.Object({ name: JobName }),
        response: { 202: JobStarted },
      },
    },
    async (request, reply) => reply.code(202).send(await runJobNow(deps, jobs, request.params.name, callerOf(request))),
  )
}
