import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { importReviews } from '../modules/community/index.js'
import type { ConfigFlags } from '../platform/config.js'
import { dataOption, mustExist, stdio, withDeps } from './common.js'

/** `regulars reviews import FILE`: existing reviews from a CSV, each refused row with its line and reason. */
export function registerReviews(program: Command, say = stdio.say, warn = stdio.warn) {
  const reviews = program.command('reviews').description('Product reviews: import existing ones')
  reviews
    .command('import')
    .description(
      'Import reviews from a CSV with a header: sku, member (card:…, email:… or phone:…), rating (1–5), text, date; title optional. Importing the same file again changes nothing.',
    )
    .argument('<file>', 'the CSV file', mustExist)
    .addOption(dataOption())
    .action(async (file: string, flags: ConfigFlags) => {
      const summary = await withDeps(flags, async (deps) => importReviews(deps, await readFile(file, 'utf8')))
      for (const r of summary.rejected) warn(`line ${r.line}: ${r.field}: ${r.reason}`)
      say(`${summary.rows} rows: ${summary.imported} imported, ${summary.unchanged} already imported, ${summary.rejected.length} refused.`)
    })
}
