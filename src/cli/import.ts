import { createWriteStream } from 'node:fs'
import { basename } from 'node:path'
import { type Command, Option } from 'commander'
import {
  fileColumns,
  historyFormats,
  type ImportSummary,
  importHistory,
  openHistoryFile,
  type RejectedLine,
  regionStyle,
  rejectsCsv,
} from '../modules/activity/index.js'
import { identifierKinds } from '../modules/members/index.js'
import type { ConfigFlags } from '../platform/config.js'
import { dataOption, mustExist, positiveInt, stdio, withDeps } from './common.js'
import { progressBar } from './progress.js'

interface ImportFlags extends ConfigFlags {
  format: (typeof historyFormats)[number]
  source?: string
  memberKind?: (typeof identifierKinds)[number]
  timezone: string
  channel?: string
  rejects?: string
  chunk: number
  json?: boolean
}

/** The summary a person reads after an import. */
function describe(summary: ImportSummary, rejectsFile: string | undefined) {
  const rate = Math.round(summary.rowsRead / Math.max(summary.seconds, 0.001))
  const lines = [
    `Read ${summary.rowsRead} rows in ${summary.seconds.toFixed(1)} s (${rate} rows/s).`,
    `Imported ${summary.linesImported} lines: ${summary.purchases} purchases, ${summary.returns} returns, ${summary.guestOrders} guest orders (kept until a member claims them).`,
    `Members: ${summary.membersMatched} already known, ${summary.membersEnrolled} enrolled. New products: ${summary.newProducts}.${summary.newStores.length ? ` New stores (name them in Admin): ${summary.newStores.join(', ')}.` : ''}`,
  ]
  if (summary.ordersAlreadyImported) lines.push(`${summary.ordersAlreadyImported} orders were imported before and were skipped.`)
  if (summary.rejected) {
    lines.push(`Rejected ${summary.rejected} rows${rejectsFile ? ` (each with its reason in ${rejectsFile})` : ''}:`)
    for (const [reason, count] of Object.entries(summary.rejectedBecause).sort((a, b) => b[1] - a[1])) lines.push(`  ${String(count).padStart(8)}  ${reason}`)
  }
  return lines.join('\n')
}

/** `regulars import transactions FILE`: purchase history into members, products and activity. */
export function registerImport(program: Command, say = stdio.say) {
  const group = program.command('import').description('Import data from files')
  group
    .command('transactions')
    .description('Import a purchase-history CSV; re-running it imports nothing twice (see docs/import.md)')
    .argument('<file>', 'the CSV file', mustExist)
    .addOption(new Option('--format <format>', 'the file layout').choices(historyFormats).makeOptionMandatory())
    .option('--source <name>', 'the system the history comes from; orders are unique per source and member (default: import:<format>)')
    .addOption(
      new Option('--member-kind <kind>', 'the identifier kind of the member column (default: loyalty_id; pos_customer for online-retail)').choices(
        identifierKinds,
      ),
    )
    .option('--timezone <zone>', 'time zone of times written without one', 'Europe/London')
    .option('--channel <code>', 'channel of rows that name none (default: store; web for online-retail)')
    .option('--rejects <file>', 'where to write rejected rows with their reasons (default: <file name>.rejects.csv in this folder)')
    .option('--chunk <lines>', 'order lines per transaction', positiveInt('--chunk'), 20_000)
    .option('--json', 'print the summary as one JSON line')
    .addOption(dataOption())
    .action(async (file: string, flags: ImportFlags) => {
      const online = flags.format === 'online-retail'
      // Beside the working directory, never beside the input (which may be read-only or shared).
      const rejectsFile = flags.rejects ?? `${basename(file)}.rejects.csv`
      let rejects: ReturnType<typeof createWriteStream> | undefined
      let columns: string[] = []
      const onReject = (rejected: RejectedLine) => {
        const first = !rejects
        if (!rejects) {
          rejects = createWriteStream(rejectsFile)
          columns = fileColumns(rejected)
        }
        rejects.write(rejectsCsv(rejected, columns, first))
      }
      const summary = await withDeps({ ...flags, demo: false }, async (deps) => {
        const opened = await openHistoryFile(file, flags.format, {
          timeZone: flags.timezone,
          region: regionStyle(deps.config.defaultRegion),
          defaultChannel: flags.channel ?? (online ? 'web' : 'store'),
        })
        const bar = progressBar('Importing', opened.size, 'rows')
        try {
          return await importHistory(deps, opened.lines, {
            source: flags.source ?? `import:${flags.format}`,
            memberKind: flags.memberKind ?? (online ? 'pos_customer' : 'loyalty_id'),
            timeZone: flags.timezone,
            chunkLines: flags.chunk,
            onChunk: (sofar) => bar.update(opened.bytesRead(), sofar.rowsRead),
            onReject,
          })
        } finally {
          bar.stop()
        }
      })
      if (rejects) await new Promise((done) => rejects?.end(done))
      say(
        flags.json
          ? JSON.stringify({ file, format: flags.format, ...summary, rejectsFile: rejects ? rejectsFile : null })
          : describe(summary, rejects ? rejectsFile : undefined),
      )
    })
}
