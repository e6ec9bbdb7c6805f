/** Background jobs: declared by modules, scheduled in the retailer's time zone, run once across nodes on pg-boss. */

export { JobStarted } from './api-schemas.js'
export { defineJob, type Job, type JobDefinition } from './job.js'
export { installJobQueue } from './queue.js'
export { routes } from './routes.js'
export { type JobRun, jobHistory, latestRuns, runJob } from './runs.js'
export { nextRun } from './schedule.js'
export { createJobs, JobNotFound, type Jobs, type JobsOptions, type WithJobs } from './scheduler.js'
export { runJobNow } from './service.js'
