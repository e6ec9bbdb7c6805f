import type { Command } from 'commander'
import { estimatePairwise, readPairwiseFile } from '../modules/community/index.js'
import { stdio } from './common.js'

/** `regulars polls estimate FILE`: the pairwise estimate of a file of choices, to check the method on data with a known answer. */
export function registerPolls(program: Command, say = stdio.say, warn = stdio.warn) {
  const polls = program.command('polls').description('Polls on the product mix: the pairwise estimate')
  polls
    .command('estimate')
    .description(
      'Fit a Bradley–Terry model to a pairwise file (CSV voter_id,winner,loser) and print, for each option, the chance it beats a randomly chosen other option with its 95% interval',
    )
    .argument('<file>', 'the choices, one a row: voter_id,winner,loser')
    .option('--json', 'one JSON line per option instead of a table: {"option":…,"score":…,"low":…,"high":…}')
    .action(async (file: string, flags: { json?: boolean }) => {
      const { tally, warnings } = await readPairwiseFile(file)
      for (const line of warnings) warn(`warning: ${line}`)
      const estimate = estimatePairwise(tally)
      const summary = `${estimate.comparisons.toLocaleString('en-GB')} choices by ${estimate.voters.toLocaleString('en-GB')} voters on ${estimate.options.length} options (Bradley–Terry; 95% intervals by the delta method, robust to each voter's own tastes).`
      if (flags.json) {
        for (const { option, score, low, high } of estimate.options) say(JSON.stringify({ option, score, low, high }))
        warn(summary)
        return
      }
      const width = Math.min(40, Math.max(6, ...estimate.options.map((o) => o.option.length)))
      const cut = (name: string) => (name.length > width ? `${name.slice(0, width - 1)}…` : name)
      say(`${'#'.padStart(4)}  ${'option'.padEnd(width)}  ${'score'.padStart(6)}  ${'95% interval'.padEnd(13)}  ${'wins'.padStart(7)}  ${'losses'.padStart(7)}`)
      estimate.options.forEach((o, i) => {
        say(
          `${String(i + 1).padStart(4)}  ${cut(o.option).padEnd(width)}  ${o.score.toFixed(3).padStart(6)}  ${`${o.low.toFixed(3)} – ${o.high.toFixed(3)}`.padEnd(13)}  ${o.wins.toLocaleString('en-GB').padStart(7)}  ${o.losses.toLocaleString('en-GB').padStart(7)}`,
        )
      })
      say(summary)
    })
}
