import { type Command, Option } from 'commander'
import { evaluateFebrl } from '../modules/members/index.js'
import { say } from './common.js'

/** `regulars identity eval`: how well the duplicate-member detector does on a labelled data set. */
export function registerIdentity(program: Command) {
  const identity = program.command('identity').description('Members who may be one person: check the duplicate detector')
  identity
    .command('eval')
    .description('Run the duplicate detector on a labelled file and print pairs found, precision, recall, F1 and seconds')
    .argument('<file>', 'the labelled file (Febrl: ids rec-N-org and rec-N-dup-K are one person)')
    .addOption(new Option('--format <format>', 'the file layout').choices(['febrl']).makeOptionMandatory())
    .option('--without-national-id', "ignore Febrl's soc_sec_id, as a retailer would not have it")
    .option('--json', 'print one JSON line')
    .action(async (file: string, flags: { format: 'febrl'; withoutNationalId?: boolean; json?: boolean }) => {
      const result = await evaluateFebrl(file, { withNationalId: !flags.withoutNationalId })
      if (flags.json) {
        say(JSON.stringify({ file, format: flags.format, nationalId: !flags.withoutNationalId, ...result }))
        return
      }
      say(`${result.records} records, ${result.truePairs} true duplicate pairs.`)
      say(
        `Found ${result.pairsFound} pairs, ${result.truePositives} right: precision ${result.precision.toFixed(4)}, recall ${result.recall.toFixed(4)}, F1 ${result.f1.toFixed(4)} in ${result.seconds.toFixed(2)} s.`,
      )
    })
}
