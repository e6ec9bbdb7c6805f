import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { Database, Db } from './db/index.js'
import type { Delivery } from './delivery/index.js'

/** What every service and route plugin is handed: no container, just arguments. */
export interface Deps {
  db: Db
  database: Database
  clock: Clock
  config: Config
  /** Email and text messages (one-time codes, reset links). */
  delivery: Delivery
}
