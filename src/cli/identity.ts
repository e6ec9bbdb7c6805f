import { type Command, Option } from 'commander'
import { evaluateFebrl } from '../modules/members/index.js'
import { mustExist, stdio } from './common.js'

/** `regulars identity eval`: how well the duplicate-member detector does on a labelled data set. */
export function registerIdentity(program: Command, say = stdio.say) {
  const identity = program.command('identity').description('Members who may be one person: check the duplicate detector')
  identity
    .command('eval')
    .description('Run the duplicate detector on a labelled file and print pairs found, precision, recall, F1 and seconds')
    .argument('<file>', 'the labelled file (Febrl: ids rec-N-org and rec-N-dup-K are one person)', mustExist)
    .addOption(new Option('--format <format>', 'the layout of the file (only febrl for now)').choices(['febrl']).makeOptionMandatory())
    .option('--link <file>', 'a second Febrl file to link the first with (dataset4b for dataset4a): only pairs across the two files count', mustExist)
    .option('--without-national-id', "ignore Febrl's soc_sec_id, as a retailer has none")
    .option('--json', 'print one JSON line instead of a summary')
    .action(async (file: string, flags: { format: 'febrl'; link?: string; withoutNationalId?: boolean; json?: boolean }) => {
      const nationalId = !flags.withoutNationalId
      const result = await evaluateFebrl(file, { withNationalId: nationalId, linkTo: flags.link })
      if (flags.json) {
        say(JSON.stringify({ file, ...(flags.link ? { link: flags.link } : {}), format: flags.format, nationalId, ...result }))
        return
      }
      const what = flags.link ? `${file} linked with ${flags.link}` : file
      say(`${what}: ${result.records} records, ${result.truePairs} true pairs${nationalId ? '' : ' (national id ignored)'}.`)
      say(`Found ${result.pairsFound} pairs, ${result.truePositives} of them right.`)
      say(`Precision ${result.precision.toFixed(4)}, recall ${result.recall.toFixed(4)}, F1 ${result.f1.toFixed(4)} in ${result.seconds.toFixed(2)} s.`)
    })
}
