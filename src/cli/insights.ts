import { type Command, Option } from 'commander'
import { fitClvFile, type RefreshSummary } from '../modules/insights/index.js'
import type { ConfigFlags } from '../platform/config.js'
import { dataOption, isoDate, mustExist, stdio, withDeps } from './common.js'
import { runJobHere } from './jobs.js'

/**
 * `regulars insights refresh` rebuilds scores, segments, lifetime value and cohorts (the insights-full and
 * insights-changed jobs, run here);
 * `regulars insights clv-fit` fits the lifetime-value models on a transaction file and checks them.
 */
export function registerInsights(program: Command, say = stdio.say) {
  const insights = program.command('insights').description('Relationship measures: refresh them, and fit the lifetime-value models on a file')
  insights
    .command('refresh')
    .description('Recompute relationship scores, segments, lifetime value and retention cohorts as of now')
    .option('--changed', 'only members with activity since the last refresh (reuses the fitted value models)')
    .option('--json', 'print one JSON line instead of a summary')
    .addOption(dataOption())
    .action(async (flags: ConfigFlags & { changed?: boolean; json?: boolean }) => {
      await withDeps({ ...flags, demo: false }, async (deps) => {
        const run = (await runJobHere(deps, flags.changed ? 'insights-changed' : 'insights-full')).result as RefreshSummary
        if (flags.json) {
          say(JSON.stringify(run))
          return
        }
        say(`${run.kind === 'full' ? 'Refreshed' : 'Refreshed changed members:'} ${run.members.toLocaleString('en-GB')} members in ${run.seconds} s.`)
        const { bgnbd, gammaGamma } = run.models
        if (bgnbd) say(`Value models: BG/NBD on ${bgnbd.customers} buyers, Gamma-Gamma on ${gammaGamma?.customers ?? 0} repeat buyers.`)
        else say('Value models: not enough repeat buying yet (20 buyers, 10 of them repeat buyers).')
      })
    })
  registerClvFit(insights, say)
}

function registerClvFit(insights: Command, say: (line: string) => void) {
  insights
    .command('clv-fit')
    .description('Fit BG/NBD and Gamma-Gamma on a transaction file; print the parameters, log-likelihoods, seconds and the holdout check')
    .argument('<file>', 'the transactions', mustExist)
    .addOption(
      new Option('--format <format>', 'cdnow: the raw CDNOW file (id, YYYYMMDD, CDs, dollars); generic: the import format')
        .choices(['cdnow', 'generic'])
        .makeOptionMandatory(),
    )
    .requiredOption('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD', isoDate)
    .option('--observation-end <date>', 'last day of the holdout period (default: the last day in the file)', isoDate)
    .option('--json', 'print one JSON line instead of a summary')
    .action(async (file: string, flags: { format: 'cdnow' | 'generic'; calibrationEnd: string; observationEnd?: string; json?: boolean }) => {
      const fit = await fitClvFile(file, flags)
      if (flags.json) {
        say(JSON.stringify(fit))
        return
      }
      const { bgnbd: b, gammaGamma: g, holdout: h } = fit
      say(
        `${fit.customers.toLocaleString('en-GB')} customers (${fit.repeatCustomers.toLocaleString('en-GB')} repeat), calibration to ${fit.calibrationEnd}, holdout to ${fit.observationEnd}.`,
      )
      say(
        `BG/NBD       r ${b.r.toFixed(4)}  alpha ${b.alpha.toFixed(4)}  a ${b.a.toFixed(4)}  b ${b.b.toFixed(4)}  log-likelihood ${b.logLikelihood.toFixed(2)}`,
      )
      say(
        g
          ? `Gamma-Gamma  p ${g.p.toFixed(4)}  q ${g.q.toFixed(4)}  gamma ${g.gamma.toFixed(4)}  log-likelihood ${g.logLikelihood.toFixed(2)}`
          : 'Gamma-Gamma  not fitted: fewer than 10 repeat customers',
      )
      say(`Holdout, ${h.weeks} weeks: ${h.predicted.toFixed(1)} repeat purchases predicted, ${h.actual} made.`)
      say('Per customer, by repeat purchases in calibration:')
      say('  repeats  customers  predicted  actual')
      for (const row of h.byFrequency) {
        say(
          `  ${row.frequency.padStart(7)}  ${String(row.customers).padStart(9)}  ${row.predicted.toFixed(3).padStart(9)}  ${row.actual.toFixed(3).padStart(6)}`,
        )
      }
      say(`Fitted in ${fit.seconds.toFixed(2)} s.`)
    })
}
