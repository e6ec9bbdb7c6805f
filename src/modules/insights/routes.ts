import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf, staffOf } from '../../platform/auth/caller.js'
import type { Deps } from '../../platform/deps.js'
import { FormatQuery, sendTable } from '../../platform/http/csv.js'
import { DateOnly, Described, IdParams, Int, maxMoney, Ref, Text } from '../../platform/http/schemas.js'
import { JobStarted, runJobNow, type WithJobs } from '../../platform/jobs/index.js'
import {
  InsightMemberList,
  MemberFigures,
  Overview,
  RetentionSummary,
  SalesSummary,
  Scorecard,
  ScorecardTargets,
  ScoreSummary,
  Segment,
  SegmentMix,
  TargetFigureSchema,
  ValueSummary,
} from './api-schemas.js'
import { membersCsv, overviewCsv, retentionCsv, salesCsv, scorecardCsv, scoresCsv, segmentsCsv, valueCsv } from './csv.js'
import { memberFigures } from './member-lists.js'
import { memberListReport, overviewReport, retentionReport, scorecardReport, scoresReport, segmentsReport, valueReport } from './reports.js'
import { salesReport } from './sales.js'
import type { Dimension } from './scorecards.js'
import { getInsightsSettings, InsightsSettings, invalidSettings, saveInsightsSettings } from './settings.js'
import { listTargets, setTarget } from './targets.js'

const Filters = {
  store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Store code: members whose home store it is' })),
  channel: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'Members who use this channel most (retention: who joined on it)' })),
}
const managers = { access: { staff: 'manager' as const, scopes: ['insights:read'] } }
const staff = { access: { staff: 'associate' as const, scopes: ['insights:read'] } }
const admins = { access: { staff: 'admin' as const } }

export const routes: FastifyPluginAsyncTypebox<Deps & WithJobs> = async (app, { jobs, ...deps }) => {
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
    async (request, reply) => sendTable(reply, request.query.format, await overviewReport(deps, callerOf(request), request.query), overviewCsv),
  )

  app.get(
    '/insights/sales',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: 'Total sales, orders, average order value and member capture rate for a period, against the same days last year',
        querystring: Type.Object({
          from: Type.Optional(Described(DateOnly, 'First day; default the first of this month (month to date)')),
          to: Type.Optional(Described(DateOnly, 'Day after the last; default tomorrow')),
          store: Filters.store,
          format: FormatQuery,
        }),
        response: { 200: SalesSummary },
      },
    },
    async (request, reply) => sendTable(reply, request.query.format, await salesReport(deps, callerOf(request), request.query), salesCsv),
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
    async (request, reply) => sendTable(reply, request.query.format, await segmentsReport(deps, callerOf(request), request.query), segmentsCsv),
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
    async (request, reply) =>
      sendTable(reply, request.query.format, await valueReport(deps, callerOf(request), request.query), (r) => valueCsv(r, deps.config.currency)),
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
    async (request, reply) => sendTable(reply, request.query.format, await retentionReport(deps, callerOf(request), request.query), retentionCsv),
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
    async (request, reply) => sendTable(reply, request.query.format, await scoresReport(deps, callerOf(request), request.query), scoresCsv),
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
      async (request, reply) =>
        sendTable(reply, request.query.format, await scorecardReport(deps, callerOf(request), dimension, request.query), (r) =>
          scorecardCsv(r, deps.config.currency),
        ),
    )
  }

  app.get(
    '/insights/targets',
    {
      config: managers,
      schema: {
        tags: ['insights'],
        summary: "Monthly scorecard targets of the caller's stores and their associates",
        querystring: Type.Object({ store: Filters.store }),
        response: { 200: ScorecardTargets },
      },
    },
    async (request) => listTargets(deps, callerOf(request), request.query.store),
  )

  app.put(
    '/insights/targets',
    {
      config: { access: { staff: 'manager' as const } },
      schema: {
        tags: ['insights'],
        summary: 'Set a monthly target for a store or an associate (audited; monthly null takes it away)',
        body: Type.Object(
          {
            dimension: Type.Union([Type.Literal('store'), Type.Literal('associate')]),
            who: Text({ minLength: 1, maxLength: 320, description: "A store's code, or an associate's login email" }),
            figure: TargetFigureSchema,
            monthly: Type.Union([Type.Integer({ minimum: 1, maximum: maxMoney }), Type.Null()], {
              description: 'Each month, in the figure’s units (sales in minor units)',
            }),
            store: Type.Optional(Text({ minLength: 1, maxLength: 50, description: 'For an associate: the store (default your first)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ScorecardTargets },
      },
    },
    async (request) => setTarget(deps, staffOf(request), request.body),
  )

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
      const everything = request.query.format === 'csv'
      return sendTable(reply, request.query.format, await memberListReport(deps, callerOf(request), request.query, everything), (r) =>
        membersCsv(r, deps.config.currency),
      )
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
        summary: 'Queue a refresh of scores, segments, value and cohorts now (changed: only members with new activity)',
        description: 'Queues the insights-full job (insights-changed with changedOnly), as its schedule does: 202 with the run to follow.',
        body: Type.Optional(Type.Object({ changedOnly: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
        response: { 202: JobStarted },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await runJobNow(deps, jobs, request.body?.changedOnly ? 'insights-changed' : 'insights-full', callerOf(request))),
  )
}
