import type { PGlite } from '@electric-sql/pglite'
import type pg from 'pg'
import PgBoss from 'pg-boss'

/** The open database as pg-boss sees it (structural, so platform/db can install the queue without a cycle). */
export interface QueueConnection {
  pglite?: PGlite
  pool?: pg.Pool
}

export const queueSchema = 'pgboss'

/**
 * pg-boss runs its SQL through this one function, over our pool or our PGlite, so it opens no
 * connections of its own. Its multi-statement commands (schema install, maintenance) carry no
 * parameters: PGlite runs those with `exec`, whose last result holds the rows.
 */
export function queueAdapter(connection: QueueConnection): PgBoss.Db {
  const { pool, pglite } = connection
  if (pool) return { executeSql: (text, values) => pool.query(text, values) }
  if (!pglite) throw new Error('The job queue needs PGlite or a PostgreSQL pool')
  return {
    executeSql: async (text, values) => {
      if (values?.length) return pglite.query(text, values)
      const results = await pglite.exec(text)
      return { rows: results.at(-1)?.rows ?? [] }
    },
  }
}

/** A pg-boss over the open database; `start()` it to work and supervise, or use it unstarted just to send. */
export function openQueue(connection: QueueConnection, options: PgBoss.ConstructorOptions = {}): PgBoss {
  const boss = new PgBoss({
    db: queueAdapter(connection),
    schema: queueSchema,
    migrate: false, // migrate() installs and upgrades pg-boss's schema, once, before any node starts
    schedule: false, // our scheduler reads cron in the retailer's time zone and sends one job per slot
    // Finished jobs stay in pg-boss's table 12 hours: longer than a schedule's catch-up window, so a
    // slot's fixed id is still there to refuse a second send (scheduler.ts).
    archiveCompletedAfterSeconds: 12 * 3600,
    archiveFailedAfterSeconds: 12 * 3600,
    ...options,
  })
  boss.on('error', () => {}) // pg-boss reports worker and maintenance errors here; our runs record their own
  return boss
}

/** Creates pg-boss's schema, or brings it up to this version; safe to run on every start and from several nodes. */
export async function installJobQueue(connection: QueueConnection): Promise<void> {
  const boss = openQueue(connection, { migrate: true, supervise: false })
  await boss.start()
  await boss.stop({ graceful: false, close: false })
}
