import type { CsvTable } from '../../platform/http/csv.js'
import { majorUnits } from '../../platform/money.js'
import type { retention, scoreSummary, segmentMix, valueSummary } from './dashboard.js'
import type { listMembers } from './member-lists.js'
import type { scorecard } from './scorecards.js'
import type { overview } from './service.js'

// Each report's `?format=csv` download: the table a spreadsheet user wants from it.

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
const pct = (n: number | null) => (n === null ? '' : (n * 100).toFixed(1))

export const overviewCsv = (result: Result<typeof overview>): CsvTable<Result<typeof overview>['salesByMonth'][number]> => ({
  filename: 'sales-by-month',
  rows: result.salesByMonth,
  columns: [
    ['month', (m) => m.month],
    ['sales', (m) => majorUnits(m.salesMinor, result.currency)],
    ['orders', (m) => m.orders],
    ['buying_members', (m) => m.members],
    ['currency', () => result.currency],
  ],
})

export const segmentsCsv = (result: Result<typeof segmentMix>): CsvTable<Result<typeof segmentMix>['transitions'][number]> => ({
  filename: `segments-${result.quarter ?? 'none'}`,
  rows: result.transitions,
  columns: [
    ['quarter', () => result.quarter],
    ['from_segment', (t) => t.from],
    ['to_segment', (t) => t.to],
    ['members', (t) => t.members],
  ],
})

// Amounts in whole units as the currency has them (2.5, not 250), its code in a column beside them.
export const valueCsv = (result: Result<typeof valueSummary>, currency: string): CsvTable<Result<typeof valueSummary>['clvBuckets'][number]> => ({
  filename: 'lifetime-value',
  rows: result.clvBuckets,
  columns: [
    ['clv_from', (b) => majorUnits(b.fromMinor, currency)],
    ['clv_to', (b) => (b.toMinor === null ? '' : majorUnits(b.toMinor, currency))],
    ['members', (b) => b.members],
    ['currency', () => currency],
  ],
})

export const retentionCsv = (result: Result<typeof retention>): CsvTable<Result<typeof retention>['byJoinMonth'][number]> => ({
  filename: 'retention',
  rows: result.byJoinMonth,
  columns: [
    ['cohort', (c) => c.cohort],
    ['members', (c) => c.members],
    ...Array.from({ length: result.months }, (_, k): [string, (c: Result<typeof retention>['byJoinMonth'][number]) => unknown] => [
      `month_${k}_pct`,
      (c) => pct(c.retained[k]),
    ]),
  ],
})

export const scoresCsv = (result: Result<typeof scoreSummary>): CsvTable<Result<typeof scoreSummary>['trend'][number]> => ({
  filename: 'relationship-scores',
  rows: result.trend,
  columns: [
    ['month', (t) => t.month],
    ['average_score', (t) => t.averageScore],
    ['members', (t) => t.members],
  ],
})

type ScorecardRow = Result<typeof scorecard>['rows'][number]
const figures = [
  'membersServed',
  'returningMembers',
  'orders',
  'salesMinor',
  'storeVisits',
  'averageScore',
  'relationshipDriven',
  'conversations',
  'notes',
  'suggestionsAccepted',
] as const satisfies readonly (keyof ScorecardRow['current'])[]

export const scorecardCsv = (result: Result<typeof scorecard>): CsvTable<ScorecardRow> => ({
  filename: `${result.dimension}-scorecard`,
  rows: result.rows,
  columns: [
    [result.dimension, (r) => r.name],
    ['detail', (r) => r.detail],
    ...figures.flatMap((name): [string, (r: ScorecardRow) => unknown][] => [
      [name, (r) => r.current[name]],
      [`${name}_before`, (r) => r.previous[name]],
    ]),
  ],
})

export const membersCsv = (result: Result<typeof listMembers>, currency: string): CsvTable<Result<typeof listMembers>['items'][number]> => ({
  filename: 'members',
  rows: result.items,
  columns: [
    ['member_id', (m) => m.memberId],
    ['name', (m) => m.name],
    ['home_store', (m) => m.homeStore],
    ['segment', (m) => m.segment],
    ['score', (m) => m.score],
    ['p_alive', (m) => m.pAlive],
    ['clv', (m) => (m.clvMinor === null ? '' : majorUnits(m.clvMinor, currency))],
    ['orders_12m', (m) => m.orders],
    ['spend_12m', (m) => majorUnits(m.spendMinor, currency)],
    ['last_purchase_at', (m) => m.lastPurchaseAt],
    ['currency', () => currency],
  ],
})
