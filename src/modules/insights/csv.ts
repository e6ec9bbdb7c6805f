import { type CsvTable, csvDay, csvMoney } from '../../platform/http/csv.js'
import type { retention, scoreSummary, segmentMix, valueSummary } from './dashboard.js'
import type { listMembers } from './member-lists.js'
import type { salesReport } from './sales.js'
import type { scorecard } from './scorecards.js'
import type { overview } from './service.js'

// Each report's `?format=csv` download: the table a spreadsheet user wants from it, in the one CSV
// convention (platform/http/csv.ts): snake_case headers, money in currency units beside a `currency`
// column, ISO dates.

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
const pct = (n: number | null) => (n === null ? '' : (n * 100).toFixed(1))

export const overviewCsv = (result: Result<typeof overview>): CsvTable<Result<typeof overview>['salesByMonth'][number]> => ({
  filename: 'sales-by-month',
  rows: result.salesByMonth,
  columns: [
    ['month', (m) => m.month],
    ['sales', (m) => csvMoney(m.salesMinor, result.currency)],
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
    ['clv_from', (b) => csvMoney(b.fromMinor, currency)],
    ['clv_to', (b) => csvMoney(b.toMinor, currency)],
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
type Figures = ScorecardRow['current']
// Each figure's column, and how it reads: counts as they are, money in currency units.
const figures: [title: string, cell: (f: Figures, currency: string) => unknown][] = [
  ['members_served', (f) => f.membersServed],
  ['returning_members', (f) => f.returningMembers],
  ['orders', (f) => f.orders],
  ['sales', (f, currency) => csvMoney(f.salesMinor, currency)],
  ['store_visits', (f) => f.storeVisits],
  ['average_score', (f) => f.averageScore],
  ['relationship_driven', (f) => f.relationshipDriven],
  ['conversations', (f) => f.conversations],
  ['notes', (f) => f.notes],
  ['suggestions_accepted', (f) => f.suggestionsAccepted],
]

export const scorecardCsv = (result: Result<typeof scorecard>, currency: string): CsvTable<ScorecardRow> => ({
  filename: `${result.dimension}-scorecard`,
  rows: result.rows,
  columns: [
    [result.dimension, (r) => r.name],
    ['detail', (r) => r.detail],
    ['period_from', () => csvDay(result.period.from)],
    ['period_to', () => csvDay(new Date(new Date(result.period.to).getTime() - 1))],
    ...figures.flatMap(([title, cell]): [string, (r: ScorecardRow) => unknown][] => [
      [title, (r) => cell(r.current, currency)],
      [`${title}_before`, (r) => cell(r.previous, currency)],
    ]),
    ['currency', () => currency],
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
    ['one_time_buyer', (m) => m.oneTimeBuyer],
    ['p_alive', (m) => m.pAlive],
    ['clv', (m) => csvMoney(m.clvMinor, currency)],
    ['orders_12m', (m) => m.orders],
    ['spend_12m', (m) => csvMoney(m.spendMinor, currency)],
    ['last_purchase_on', (m) => csvDay(m.lastPurchaseAt)],
    // Contact only by the channels the member allowed marketing on (blank otherwise).
    ['email', (m) => m.email],
    ['phone', (m) => m.phone],
    ['currency', () => currency],
  ],
})

type SalesRow = { period: string; range: { from: string; to: string }; figures: Result<typeof salesReport>['current'] }
export const salesCsv = (result: Result<typeof salesReport>): CsvTable<SalesRow> => ({
  filename: 'sales',
  rows: [
    { period: result.monthToDate ? 'month_to_date' : 'period', range: result.period, figures: result.current },
    { period: 'same_days_last_year', range: result.lastYear, figures: result.previous },
  ],
  columns: [
    ['period', (r) => r.period],
    ['from', (r) => csvDay(r.range.from)],
    ['to', (r) => csvDay(new Date(new Date(r.range.to).getTime() - 1))],
    ['sales', (r) => csvMoney(r.figures.salesMinor, result.currency)],
    ['orders', (r) => r.figures.orders],
    ['average_order', (r) => csvMoney(r.figures.averageOrderMinor, result.currency)],
    ['member_orders', (r) => r.figures.memberOrders],
    ['member_sales', (r) => csvMoney(r.figures.memberSalesMinor, result.currency)],
    ['member_capture_pct', (r) => pct(r.figures.captureRate)],
    ['currency', () => result.currency],
  ],
})
