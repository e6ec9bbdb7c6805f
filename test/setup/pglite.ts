import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { migrate, openDatabase } from '../../src/platform/db/index.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplate: { adminUrl: string; template: string }
  }
}

/** Migrates one PGlite and saves its data folder; each test file starts from a copy (~0.5 s instead of 3). */
export default async function setup(project: TestProject) {
  const folder = await mkdtemp(join(tmpdir(), 'regulars-template-'))
  const database = await openDatabase({})
  await migrate(database)
  // Saved after a checkpoint, so each copy starts without replaying the migrations' WAL (a third faster).
  await database.pglite?.exec('checkpoint')
  const dump = await database.pglite?.dumpDataDir('none')
  await database.close()
  const file = join(folder, 'template.tar')
  await writeFile(file, Buffer.from(await (dump as Blob).arrayBuffer()))
  project.provide('pgliteTemplate', file)
  return () => rm(folder, { recursive: true, force: true })
}
