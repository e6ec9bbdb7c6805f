import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate, openDatabase } from '../../src/platform/db/index.js'

/** Migrates one template database; each test file gets `CREATE DATABASE … TEMPLATE` of it, named after it. */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL as string
  const template = `regulars_tpl_${process.pid}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await dropLeftovers(admin)
  await admin.query(`create database ${template}`)
  const database = await openDatabase({ databaseUrl: withDatabase(adminUrl, template), poolSize: 1 })
  await migrate(database)
  await database.close()
  project.provide('postgresTemplate', { adminUrl, template })
  return async () => {
    // The files' own databases (named after the template) whose drop had not finished, and each
    // worker's copy made ahead for a file that never came.
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${template.replace('_tpl_', '_t_')}_%`])
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {})
    await admin.query(`drop database if exists ${template} with (force)`)
    await admin.end()
  }
}

/** Databases left by an earlier run that was killed (its process is gone), so they do not pile up. */
async function dropLeftovers(admin: pg.Client) {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname ~ '^regulars_(tpl|t)_[0-9]+'`)
  for (const { datname } of rows) {
    const pid = Number(datname.split('_')[2])
    if (isAlive(pid)) continue
    await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {})
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * The URL of one of the test run's databases. Its sessions commit without waiting for the WAL to
 * reach the disk: nothing here survives a crash anyway, and on a loaded machine each commit's fsync
 * otherwise waits behind everyone else's writes. Child processes given the URL do the same.
 */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  parsed.searchParams.set('options', '-c synchronous_commit=off')
  return parsed.toString()
}
