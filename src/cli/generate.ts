import type { Command } from 'commander'
import { defaultEndDate, writeHistoryCsv } from '../modules/demo/index.js'
import { positiveInt } from './common.js'
import { progressBar } from './progress.js'

const isoDay = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) throw new Error('--end must be a date like 2026-10-01')
  return date
}

/** `regulars demo generate`: a purchase-history CSV in the generic format, the same for the same seed. */
export function registerGenerate(demo: Command, say: (line: string) => void) {
  demo
    .command('generate')
    .description('Write a realistic purchase-history CSV (generic format) from the demo generator')
    .requiredOption('--members <n>', 'members to generate', positiveInt('--members'))
    .option('--months <n>', 'months of history', positiveInt('--months'), 12)
    .option('--seed <n>', 'generator seed: the same seed writes the same file', positiveInt('--seed'), 1)
    .option('--end <date>', `the day the history ends (exclusive), YYYY-MM-DD (default: ${defaultEndDate.toISOString().slice(0, 10)})`, isoDay)
    .requiredOption('--out <file>', 'where to write the CSV, or - for stdout')
    .action(async (flags: { members: number; months: number; seed: number; end?: Date; out: string }) => {
      // Rows per member vary with how loyal each is, so the bar moves by members and counts rows.
      const bar = flags.out === '-' ? progressBar('', 0, '') : progressBar('Generating', flags.members, 'rows')
      const result = await writeHistoryCsv({
        members: flags.members,
        months: flags.months,
        seed: flags.seed,
        endDate: flags.end ?? defaultEndDate,
        out: flags.out,
        onProgress: (rows, members) => bar.update(members ?? 0, rows),
      })
      bar.stop()
      if (flags.out !== '-') {
        say(
          `Wrote ${result.rows} rows (${result.members} members, ${result.orders} orders, ${result.returns} returns) to ${flags.out} in ${result.seconds.toFixed(1)} s.`,
        )
      }
    })
}
