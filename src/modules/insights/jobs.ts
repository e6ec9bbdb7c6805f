import { defineJob, type Job } from '../../platform/jobs/index.js'
import { type RefreshSummary, refreshChangedMembers, refreshInsights } from './refresh.js'

const refreshed = (run: RefreshSummary) => {
  const { bgnbd, gammaGamma } = run.models
  const models = bgnbd
    ? `value models: BG/NBD on ${bgnbd.customers} buyers, Gamma-Gamma on ${gammaGamma?.customers ?? 0} repeat buyers`
    : 'value models: not enough repeat buying yet'
  return `${run.kind === 'full' ? 'Refreshed' : 'Refreshed changed members:'} ${run.members.toLocaleString('en-GB')} members in ${run.seconds} s; ${models}.`
}

/** Members who did something are re-scored every five minutes; everyone, with freshly fitted value models, each night. */
export const jobs: Job[] = [
  defineJob({
    name: 'insights-changed',
    title: 'Insights for members with new activity',
    description: 'Re-scores, re-segments and re-values members with activity since the last refresh, reusing the fitted value models.',
    schedule: '*/5 * * * *',
    run: (deps) => refreshChangedMembers(deps),
    summarise: refreshed,
  }),
  defineJob({
    name: 'insights-full',
    title: 'Insights: full refresh',
    description: "Rebuilds every member's scores, segments and lifetime value with freshly fitted models, and the retention cohorts.",
    schedule: '30 2 * * *',
    heavy: true,
    timeoutMinutes: 120,
    run: (deps) => refreshInsights(deps),
    summarise: refreshed,
  }),
]
