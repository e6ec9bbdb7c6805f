/**
 * `npm run db:functions [name]`: writes a new migration that (re)creates the ledger's functions
 * from src/modules/rewards/sql/*.sql. drizzle-kit makes the empty custom migration (journal and
 * snapshot included); this fills it in. `-- --rewrite` refreshes the latest migration instead, when
 * it is one this wrote and has not been released yet.
 */
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generatedHeader, ledgerFunctionsMigration } from '../src/modules/rewards/ledger-sql.js'
import { migrationsFolder } from '../src/platform/db/index.js'

const rewrite = process.argv.includes('--rewrite')
const name = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'ledger_functions'
const latest = async () => {
  const journal = JSON.parse(await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  return join(migrationsFolder, `${journal.entries[journal.entries.length - 1].tag}.sql`)
}
if (rewrite) {
  if (!(await readFile(await latest(), 'utf8')).startsWith(generatedHeader)) throw new Error('the latest migration was not written by db:functions; run without --rewrite')
} else execFileSync('npx', ['drizzle-kit', 'generate', '--custom', '--name', name], { stdio: 'inherit' })
const file = await latest()
await writeFile(file, await ledgerFunctionsMigration())
console.log(`wrote ${file}`)
