import type { Principal } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import { minorDigits } from '../../platform/money.js'
import { storesToReport } from '../activity/index.js'
import { type MemberFilter, retention, scoreSummary, segmentMix, valueSummary } from './dashboard.js'
import { listMembers, type MemberListFilter } from './member-lists.js'
import { type Dimension, scorecard } from './scorecards.js'
import { overview } from './service.js'

// What each insights endpoint answers, for the caller asking: a manager whose login names stores,
// or a key with `store:<code>` scopes, sees those stores only; admins, managers of every store and
// unscoped reporting keys see all.

export interface ReportQuery {
  store?: string
  channel?: string
}

const dayMs = 86_400_000

export class InvalidPeriod extends DomainError {
  constructor() {
    super(
      '/problems/invalid-period',
      400,
      'The period is not valid',
      { errors: [{ field: '/from', message: 'must be before to' }] },
      '`from` must be before `to`.',
    )
  }
}

async function filterFor(deps: Deps, caller: Principal, query: ReportQuery): Promise<MemberFilter> {
  return { stores: await storesToReport(deps.db, caller, query.store), channel: query.channel }
}

export async function overviewReport(deps: Deps, caller: Principal, query: { months?: number; store?: string }) {
  const stores = await storesToReport(deps.db, caller, query.store)
  return overview(deps.db, { months: query.months ?? 12, asOf: deps.clock.now(), stores, currency: deps.config.currency })
}

export async function segmentsReport(deps: Deps, caller: Principal, query: ReportQuery & { quarter?: string }) {
  return segmentMix(deps.db, await filterFor(deps, caller, query), query.quarter)
}

export async function valueReport(deps: Deps, caller: Principal, query: ReportQuery) {
  return valueSummary(deps.db, await filterFor(deps, caller, query))
}

export async function retentionReport(deps: Deps, caller: Principal, query: ReportQuery & { months?: number }) {
  return retention(deps.db, await filterFor(deps, caller, query), query.months ?? 12)
}

export async function scoresReport(deps: Deps, caller: Principal, query: ReportQuery) {
  return scoreSummary(deps.db, await filterFor(deps, caller, query))
}

/** A scorecard over `[from, to)`: by default the 90 days up to and including today (UTC). */
export async function scorecardReport(deps: Deps, caller: Principal, dimension: Dimension, query: { from?: string; to?: string; store?: string }) {
  const stores = await storesToReport(deps.db, caller, query.store)
  const now = deps.clock.now()
  const to = query.to ? new Date(query.to) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 90 * dayMs)
  if (from >= to) throw new InvalidPeriod()
  return scorecard(deps.db, dimension, { from, to }, stores)
}

export interface MemberListQuery extends ReportQuery, Omit<MemberListFilter, 'stores' | 'minClvMinor'> {
  /** In currency units, as a manager types it. */
  minClv?: number
  limit?: number
  offset?: number
}

/** The members behind a figure; `everything` for a download (up to 100,000), else one page. */
export async function memberListReport(deps: Deps, caller: Principal, query: MemberListQuery, everything = false) {
  const q = query
  const filter: MemberListFilter = {
    ...(await filterFor(deps, caller, q)),
    segment: q.segment,
    minScore: q.minScore,
    maxScore: q.maxScore,
    minClvMinor: q.minClv === undefined ? undefined : Math.round(q.minClv * 10 ** minorDigits(deps.config.currency)),
    maxPAlive: q.maxPAlive,
    omni: q.omni,
    atRisk: q.atRisk,
  }
  return listMembers(deps.db, filter, everything ? { limit: 100_000, offset: 0 } : { limit: q.limit ?? 50, offset: q.offset ?? 0 })
}
