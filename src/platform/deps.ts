import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { Database, Db } from './db/index.js'
import type { Delivery } from './delivery/index.js'

/**
 * How modules reach each other's hooks (who hears of new activity, whose data moves with a merge,
 * where suggestions come from), filled in one place, src/composition.ts, so the server, CLI, jobs
 * and tests share one graph. A module offering a hook adds its field here by declaration merging.
 */
// biome-ignore lint/suspicious/noEmptyInterface: each module adds its field (see activity/ingest.ts)
export interface Wiring {}

/** What every service and route plugin is handed: no container, just arguments. */
export interface Deps {
  db: Db
  database: Database
  clock: Clock
  config: Config
  /** Email and text messages (one-time codes, reset links). */
  delivery: Delivery
  wiring: Wiring
}
