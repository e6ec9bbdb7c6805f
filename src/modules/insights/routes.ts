import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { callerOf } from '../../platform/auth/caller.js'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { FormatQuery, sendCsv } from '../../platform/http/csv.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { DateOnly, Described, IdParams, Int, maxMoney, Ref, Text } from '../../platform/http/schemas.js'
import { assertStoreInScope, storesInScope } from '../activity/index.js'
import {
  InsightMemberList,
  MemberFigures,
  Overview,
  RefreshResult,
  RetentionSummary,
  Scorecard,
  ScoreSummary,
  Segment,
  SegmentMix,
  ValueSummary,
} from './api-schemas.js'
import { type MemberFilter, retention, scoreSummary, segmentMix, valueSummary } from './dashboard.js'
import { listMembers, memberFigures } from './member-lists.js'
import { refreshChangedMembers, refreshInsights } from './refresh.js'
import { type Dimension, scorecard } from './scorecards.js'
import { overview } from './service.js'
import { getInsightsSettings, InsightsSettings, invalidSettings, saveInsightsSettings } from './settings.js'

const Filters = {
  store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Store code: members whose home store it is' })),
  channel: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Members who use this channel most (retention: who joined on it)' })),
}
const managers = { access: { staff: 'manager' as const, scopes: ['insights:read'] } }
const staff = { access: { staff: 'associate' as const, scopes: ['insights:read'] } }
const admins = { access: { staff: 'admin' as const } }

/**
 * A manager whose login names stores, or a key with `store:<code>` scopes, sees those stores only;
 * admins, managers of every store and unscoped reporting keys see all. Asking for another store is
 * refused rather than quietly emptied.
 */
async function filterFor(deps: Deps, request: FastifyRequest, query: { store?: string; channel?: string }): Promise<MemberFilter> {
  const scoped = await storesInScope(deps.db, request.principal)
  let stores = scoped?.map((s) => s.id)
  if (query.store) {
    const [store] = await queryRows<{ id: string }>(deps.db, sql`select id from stores where code = ${query.store}`)
    if (!store) throw new NotFound('Store', query.store)
    assertStoreInScope(scoped, query.store)
    stores = [store.id]
  }
  return { stores, channel: query.channel }
}

const pct = (n: number | null) => (n === null ? '' : (n * 100).toFixed(1))

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(Overview)
  app.addSchema(Scorecard)
  app.addSchema(InsightsSettings)

  app.get(
    '/insights/overview',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: 'Members, activity, repeat rate and sales by month, channel and store',
        querystring: Type.Object({
          months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 12 })),
          store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Store code: its sales, and the members whose home store it is' })),
          format: FormatQuery,
        }),
        response: { 200: Ref(Overview) },
      },
    },
    async (request, reply) => {
      const { stores } = await filterFor(deps, request, { store: request.query.store })
      const result = await overview(deps.db, { months: request.query.months ?? 12, asOf: deps.clock.now(), stores })
      if (request.query.format !== 'csv') return result
      return sendCsv(reply, 'sales-by-month', result.salesByMonth, [
        ['month', (m) => m.month],
        ['sales', (m) => m.salesMinor / 100],
        ['orders', (m) => m.orders],
        ['buying_members', (m) => m.members],
      ])
    },
  )

  app.get(
    '/insights/segments',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: 'Segment mix of a quarter, its movement over two years, and transitions from the quarter before',
        querystring: Type.Object({
          quarter: Type.Optional(Type.String({ pattern: '^\\d{4}-Q[1-4]$', description: 'e.g. 2026-Q3; default the latest' })),
          ...Filters,
          format: FormatQuery,
        }),
        response: { 200: SegmentMix },
      },
    },
    async (request, reply) => {
      const result = await segmentMix(deps.db, await filterFor(deps, request, request.query), request.query.quarter)
      if (request.query.format !== 'csv') return result
      return sendCsv(reply, `segments-${result.quarter ?? 'none'}`, result.transitions, [
        ['quarter', () => result.quarter],
        ['from_segment', (t) => t.from],
        ['to_segment', (t) => t.to],
        ['members', (t) => t.members],
      ])
    },
  )

  app.get(
    '/insights/value',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: 'Lifetime value and probability alive (BG/NBD, Gamma-Gamma): totals, distributions, members at risk',
        querystring: Type.Object({ ...Filters, format: FormatQuery }),
        response: { 200: ValueSummary },
      },
    },
    async (request, reply) => {
      const result = await valueSummary(deps.db, await filterFor(deps, request, request.query))
      if (request.query.format !== 'csv') return result
      return sendCsv(reply, 'lifetime-value', result.clvBuckets, [
        ['clv_from', (b) => b.fromMinor / 100],
        ['clv_to', (b) => (b.toMinor === null ? '' : b.toMinor / 100)],
        ['members', (b) => b.members],
      ])
    },
  )

  app.get(
    '/insights/retention',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: 'Retention curves by join month and acquisition channel; repeat rate; omni- vs single-channel members',
        querystring: Type.Object({ months: Type.Optional(Type.Integer({ minimum: 2, maximum: 36, default: 12 })), ...Filters, format: FormatQuery }),
        response: { 200: RetentionSummary },
      },
    },
    async (request, reply) => {
      const result = await retention(deps.db, await filterFor(deps, request, request.query), request.query.months ?? 12)
      if (request.query.format !== 'csv') return result
      const months = Array.from({ length: result.months }, (_, k) => k)
      return sendCsv(reply, 'retention', result.byJoinMonth, [
        ['cohort', (c) => c.cohort],
        ['members', (c) => c.members],
        ...months.map((k): [string, (c: (typeof result.byJoinMonth)[number]) => unknown] => [`month_${k}_pct`, (c) => pct(c.retained[k])]),
      ])
    },
  )

  app.get(
    '/insights/scores',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: 'Relationship scores: spread, average parts and the monthly trend',
        querystring: Type.Object({ ...Filters, format: FormatQuery }),
        response: { 200: ScoreSummary },
      },
    },
    async (request, reply) => {
      const result = await scoreSummary(deps.db, await filterFor(deps, request, request.query))
      if (request.query.format !== 'csv') return result
      return sendCsv(reply, 'relationship-scores', result.trend, [
        ['month', (t) => t.month],
        ['average_score', (t) => t.averageScore],
        ['members', (t) => t.members],
      ])
    },
  )

  for (const dimension of ['store', 'associate', 'channel'] as Dimension[]) {
    app.get(
      `/insights/scorecards/${dimension}s`,
      {
        config: managers,
        schema: {
          tags: ['insights'],
          summary: `A scorecard per ${dimension}: members served and returning, orders, sales, visits, relationship score; against the period before`,
          querystring: Type.Object({
            from: Type.Optional(Described(DateOnly, 'First day; default 90 days before `to`')),
            to: Type.Optional(Described(DateOnly, 'Day after the last; default tomorrow')),
            store: Filters.store,
            format: FormatQuery,
          }),
          response: { 200: Ref(Scorecard) },
        },
      },
      async (request, reply) => {
        const { stores } = await filterFor(deps, request, request.query)
        const now = deps.clock.now()
        const to = request.query.to ? new Date(request.query.to) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
        const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 90 * 86_400_000)
        if (from >= to)
          throw new DomainError(
            '/problems/invalid-period',
            400,
            'The period is not valid',
            { errors: [{ field: '/from', message: 'must be before to' }] },
            '`from` must be before `to`.',
          )
        const result = await scorecard(deps.db, dimension, { from, to }, stores)
        if (request.query.format !== 'csv') return result
        const figure = (name: keyof (typeof result.rows)[number]['current']): [string, (r: (typeof result.rows)[number]) => unknown][] => [
          [name, (r) => r.current[name]],
          [`${name}_before`, (r) => r.previous[name]],
        ]
        return sendCsv(reply, `${dimension}-scorecard`, result.rows, [
          [dimension, (r) => r.name],
          ['detail', (r) => r.detail],
          ...figure('membersServed'),
          ...figure('returningMembers'),
          ...figure('orders'),
          ...figure('salesMinor'),
          ...figure('storeVisits'),
          ...figure('averageScore'),
          ...figure('relationshipDriven'),
          ...figure('conversations'),
          ...figure('notes'),
          ...figure('suggestionsAccepted'),
        ])
      },
    )
  }

  app.get(
    '/insights/members',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: 'The members behind a figure, most valuable first (e.g. high value, probability alive < 0.5: an outreach list)',
        querystring: Type.Object({
          ...Filters,
          segment: Type.Optional(Segment),
          minScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          maxScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          minClv: Type.Optional(Type.Number({ minimum: 0, maximum: maxMoney / 100, description: 'Lifetime value at least this, in currency units' })),
          maxPAlive: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Probability alive below this' })),
          omni: Type.Optional(Type.Boolean({ description: 'true: members using 2+ channels; false: one channel' })),
          atRisk: Type.Optional(Type.Boolean({ description: 'true: "valuable, drifting" as /insights/value counts them (top-quarter value, P(alive) < 0.5)' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          offset: Type.Optional(Int({ minimum: 0, default: 0 })),
          format: FormatQuery,
        }),
        response: { 200: InsightMemberList },
      },
    },
    async (request, reply) => {
      const q = request.query
      const filter = {
        ...(await filterFor(deps, request, q)),
        segment: q.segment,
        minScore: q.minScore,
        maxScore: q.maxScore,
        minClvMinor: q.minClv === undefined ? undefined : Math.round(q.minClv * 100),
        maxPAlive: q.maxPAlive,
        omni: q.omni,
        atRisk: q.atRisk,
      }
      const csv = q.format === 'csv'
      const result = await listMembers(deps.db, filter, csv ? { limit: 100_000, offset: 0 } : { limit: q.limit ?? 50, offset: q.offset ?? 0 })
      if (!csv) return result
      return sendCsv(reply, 'members', result.items, [
        ['member_id', (m) => m.memberId],
        ['name', (m) => m.name],
        ['home_store', (m) => m.homeStore],
        ['segment', (m) => m.segment],
        ['score', (m) => m.score],
        ['p_alive', (m) => m.pAlive],
        ['clv', (m) => (m.clvMinor === null ? '' : m.clvMinor / 100)],
        ['orders_12m', (m) => m.orders],
        ['spend_12m', (m) => m.spendMinor / 100],
        ['last_purchase_at', (m) => m.lastPurchaseAt],
      ])
    },
  )

  app.get(
    '/members/:id/insights',
    {
      config: staff,
      schema: {
        tags: ['insights'],
        summary: "A member's relationship score and its parts, segment by quarter, probability alive and lifetime value (staff only)",
        params: IdParams,
        response: { 200: MemberFigures },
      },
    },
    async (request) => memberFigures(deps.db, request.params.id),
  )

  app.get(
    '/insights/settings',
    { config: managers, schema: { tags: ['insights'], summary: 'How scores and segments are made', response: { 200: Ref(InsightsSettings) } } },
    async () => getInsightsSettings(deps.db),
  )

  app.put(
    '/insights/settings',
    {
      config: { ...admins, invalidRequest: invalidSettings },
      schema: {
        tags: ['insights'],
        summary: 'Change score weights and segment thresholds (audited; used from the next refresh)',
        body: Ref(InsightsSettings),
        response: { 200: Ref(InsightsSettings) },
      },
    },
    async (request) => saveInsightsSettings(deps, request.body, callerOf(request)),
  )

  app.post(
    '/insights/refresh',
    {
      config: admins,
      schema: {
        tags: ['insights'],
        summary: 'Recompute scores, segments, value and cohorts now (changed: only members with new activity)',
        body: Type.Optional(Type.Object({ changedOnly: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
        response: { 200: RefreshResult },
      },
    },
    async (request) => (request.body?.changedOnly ? refreshChangedMembers(deps) : refreshInsights(deps)),
  )
}
