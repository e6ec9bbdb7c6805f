import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { FormatQuery, sendCsv } from '../../../platform/http/csv.js'
import { Query, Ref, Text } from '../../../platform/http/schemas.js'
import { majorUnits } from '../../../platform/money.js'
import { storesToReport } from '../../activity/index.js'
import { DemandFeed, LoopFigures } from './api-schemas.js'
import { demandFeed, type FeedRow, moneyMeasures } from './feed.js'
import { loopFigures } from './loop.js'

const FeedQuery = {
  by: Type.Optional(Type.Union([Type.Literal('category'), Type.Literal('store'), Type.Literal('region')], { default: 'category' })),
  days: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 730, default: 90, description: 'Wishlists, sales and ideas closed within this many days; open ideas always' }),
  ),
  store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Store code: that store’s rows only' })),
}

const pct = (share: number) => `${Math.round(share * 100)}%`
/** The findings of a row as text for one spreadsheet cell each: what a poll chose, what is awaited, what reviews say. */
const findingColumns: [string, (row: FeedRow) => string][] = [
  [
    'poll_results',
    (r) =>
      r.findings
        .flatMap((f) => (f.kind === 'poll' ? [`${f.question} (${f.voices} voices): ${f.options.map((o) => `${o.label} ${pct(o.score)}`).join(', ')}`] : []))
        .join(' | '),
  ],
  ['awaited_products', (r) => r.findings.flatMap((f) => (f.kind === 'back_in_stock' ? [`${f.product} (${f.members})`] : [])).join(', ')],
  ...(['complaints', 'praise'] as const).map((side): [string, (row: FeedRow) => string] => [
    side === 'complaints' ? 'complaint_terms' : 'praise_terms',
    (r) =>
      r.findings
        .flatMap((f) => (f.kind === 'review_themes' && f[side].length ? [`${f.product}: ${f[side].map((t) => `${t.term} (${t.reviews})`).join(', ')}`] : []))
        .join(' | '),
  ]),
]

/** A feed's table for a spreadsheet: snake_case columns, money in currency units with the currency named, findings as text. */
function feedCsv(feed: { measures: string[]; rows: FeedRow[] }) {
  const columns: [string, (row: FeedRow) => unknown][] = [
    ['category', (r) => r.category],
    ['region', (r) => r.region],
    ['store_code', (r) => r.storeCode],
    ['store_name', (r) => r.storeName],
    ...feed.measures.map((m): [string, (row: FeedRow) => unknown] => [
      m,
      (r) => (r.measures[m] === undefined ? '' : moneyMeasures.has(m) ? majorUnits(r.measures[m], r.currency) : r.measures[m]),
    ]),
    ['currency', (r) => r.currency],
    // Only the findings some row has, as the measures are only those some source gave.
    ...findingColumns.filter(([, cell]) => feed.rows.some((r) => cell(r) !== '')),
  ]
  return columns
}

/** The merchandising feed and the loop-closing figures: Insights for managers, the JSON feed for planning systems. */
export const demandRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  for (const schema of [DemandFeed, LoopFigures]) app.addSchema(schema)
  const tags = ['insights']
  app.get(
    '/insights/demand',
    {
      config: { access: { staff: 'manager' as const, scopes: ['insights:read', 'demand:read'] } },
      schema: {
        tags,
        summary:
          'Combined demand per category, store or region: idea support, “I’d buy it” and pledges with price points, wishlist adds, back-in-stock requests, poll results, review themes and sales (?format=csv)',
        querystring: Query({ ...FeedQuery, format: FormatQuery }),
        response: { 200: Ref(DemandFeed) },
      },
    },
    async (request, reply) => {
      const storeIds = await storesToReport(deps.db, callerOf(request), request.query.store)
      const feed = await demandFeed(deps, { grain: request.query.by ?? 'category', days: request.query.days ?? 90, storeIds })
      if (request.query.format !== 'csv') return feed
      return sendCsv(reply, `demand-by-${feed.grain}`, feed.rows, feedCsv(feed))
    },
  )
  app.get(
    '/demand-feed',
    {
      config: { access: { staff: 'manager' as const, scopes: ['demand:read', 'insights:read'] } },
      schema: {
        tags,
        summary:
          'The merchandising feed as JSON for planning systems and makers: the same rows as Insights → Demand (a key held to stores gets their rows only)',
        querystring: Query(FeedQuery),
        response: { 200: Ref(DemandFeed) },
      },
    },
    async (request) => {
      const storeIds = await storesToReport(deps.db, callerOf(request), request.query.store)
      return demandFeed(deps, { grain: request.query.by ?? 'category', days: request.query.days ?? 90, storeIds })
    },
  )
  app.get(
    '/insights/ideas-loop',
    {
      config: { access: { staff: 'manager' as const, scopes: ['insights:read'] } },
      schema: {
        tags,
        summary:
          'Closing the loop: share of ideas answered within N days, median days to a first answer, share that became products, month by month beside sales',
        querystring: Query({ months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 12 })), store: FeedQuery.store }),
        response: { 200: Ref(LoopFigures) },
      },
    },
    async (request) => {
      const storeIds = await storesToReport(deps.db, callerOf(request), request.query.store)
      return loopFigures(deps, { months: request.query.months ?? 12, storeIds })
    },
  )
}
