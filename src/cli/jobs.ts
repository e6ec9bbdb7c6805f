import type { Command } from 'commander'
import { jobs as allJobs } from '../jobs.js'
import type { ConfigFlags } from '../platform/config.js'
import type { Deps } from '../platform/deps.js'
import { createJobs, type JobRun, latestRuns, nextRun } from '../platform/jobs/index.js'
import { dataOption, stdio, withDeps } from './common.js'

/** Runs a background job in this process (recorded in the jobs history like any run); a failed run fails the command. */
export async function runJobHere(deps: Deps, name: string): Promise<JobRun> {
  if (!allJobs.some((job) => job.name === name)) throw new Error(`There is no job called "${name}"; the jobs are ${allJobs.map((j) => j.name).join(', ')}.`)
  const run = await createJobs(deps, allJobs).runHere(name)
  if (run.outcome === 'failed') throw new Error(`${name} failed: ${run.error}`)
  return run
}

/** `regulars jobs list|run NAME`: the background jobs the server schedules, and running one by hand. */
export function registerJobs(program: Command, say = stdio.say) {
  const jobs = program.command('jobs').description('Background jobs: their schedules and last runs, and running one now')
  jobs
    .command('list')
    .description('Every job with its schedule (in REGULARS_TIMEZONE), next run and last run')
    .addOption(dataOption())
    .option('--json', 'print one JSON line per job')
    .action(async (flags: ConfigFlags & { json?: boolean }) => {
      await withDeps({ ...flags, demo: false }, async (deps) => {
        const latest = await latestRuns(deps.db)
        const { timezone } = deps.config
        for (const job of allJobs) {
          const last = latest.get(job.name)
          const next = nextRun(job.schedule, timezone, deps.clock.now())
          if (flags.json) {
            say(JSON.stringify({ name: job.name, schedule: job.schedule, timezone, nextRunAt: next, lastRun: last ?? null }))
            continue
          }
          const lastText = last
            ? `last ${last.outcome} ${last.startedAt.toISOString()}${last.durationMs === null ? '' : ` in ${last.durationMs} ms`}`
            : 'never run'
          say(`${job.name.padEnd(22)} ${job.schedule.padEnd(13)} next ${next.toISOString()}  ${lastText}`)
          say(`${''.padEnd(22)} ${job.title}: ${job.description}`)
        }
        if (!flags.json) say(`Schedules are read in ${timezone} (REGULARS_TIMEZONE).`)
      })
    })
  jobs
    .command('run')
    .description('Run a job now, in this process, and print what it did (the server runs them on schedule)')
    .argument('<name>', `one of: ${allJobs.map((j) => j.name).join(', ')}`)
    .addOption(dataOption())
    .option('--json', 'print the run as one JSON line')
    .action(async (name: string, flags: ConfigFlags & { json?: boolean }) => {
      await withDeps({ ...flags, demo: false }, async (deps) => {
        const run = await runJobHere(deps, name)
        say(flags.json ? JSON.stringify(run) : `${run.summary} (${run.durationMs} ms)`)
      })
    })
}
