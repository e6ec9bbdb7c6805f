import type { Deps } from '../deps.js'

/**
 * A background job as a module declares it: name, schedule, handler. The scheduler runs it once
 * across all nodes at each time its schedule names; admins and `regulars jobs run` can start it too.
 */
export interface JobDefinition<Result extends object> {
  /** Stable: the queue's name, `regulars jobs run NAME`, the history's key. */
  name: string
  /** What admins see: "Points housekeeping". */
  title: string
  description: string
  /** Cron (minute hour day month weekday), read in the retailer's time zone (REGULARS_TIMEZONE). */
  schedule: string
  /** Rebuilds everything: Run now asks before starting it. */
  heavy?: boolean
  /** A run taking longer counts as failed and is retried (pg-boss's expiry); default 15 minutes. */
  timeoutMinutes?: number
  run(deps: Deps): Promise<Result>
  /** One line about a result, for the CLI and the admin screen. */
  summarise(result: Result): string
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds jobs of different result types
export type Job = JobDefinition<any>

/** Declares a job (typed against its own result). */
export const defineJob = <Result extends object>(job: JobDefinition<Result>): Job => job
