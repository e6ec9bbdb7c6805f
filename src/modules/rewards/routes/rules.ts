import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Described, Id, Nullable, Ref, Timestamp } from '../../../platform/http/schemas.js'
import { Rule, RuleChoices, RuleDocument, Simulation } from '../api-schemas.js'
import { ruleChoices } from '../rule-choices.js'
import { invalidRule, listRules, saveRule } from '../rule-store.js'
import { dryRunRule, longestDryRunDays } from '../simulate.js'
import { admins, managers } from './access.js'

const ruleOut = (r: Awaited<ReturnType<typeof listRules>>[number]) => ({
  ...r,
  document: r.document as RuleDocument,
  startsAt: r.startsAt?.toISOString() ?? null,
  endsAt: r.endsAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
})

/** Earning rules as data: versions, and a dry run over recent activity. */
export const ruleRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/rules',
    {
      config: managers,
      schema: { tags: ['rewards'], summary: 'Earning rules (newest version of each)', response: { 200: Type.Object({ items: Type.Array(Ref(Rule)) }) } },
    },
    async () => ({ items: (await listRules(deps.db)).map(ruleOut) }),
  )
  app.post(
    '/rules',
    {
      config: { ...admins, invalidRequest: invalidRule },
      schema: {
        tags: ['rewards'],
        summary: 'Save an earning rule as a new version (a new rule without id; audited)',
        body: Type.Object(
          {
            id: Type.Optional(Id),
            document: Described(Ref(RuleDocument), 'Invalid documents are refused with every problem listed'),
            startsAt: Type.Optional(Nullable(Timestamp)),
            endsAt: Type.Optional(Nullable(Timestamp)),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ref(Rule) },
      },
    },
    async (request, reply) => reply.code(201).send(ruleOut(await saveRule(deps, request.body, callerOf(request)))),
  )
  app.get(
    '/rules/choices',
    {
      config: managers,
      schema: {
        tags: ['rewards'],
        summary: 'What a rule’s conditions can name: activity kinds, channels, stores, categories, brands, tiers',
        response: { 200: Ref(RuleChoices) },
      },
    },
    async () => ruleChoices(deps),
  )
  app.post(
    '/rules/simulate',
    {
      config: { ...managers, invalidRequest: invalidRule },
      schema: {
        tags: ['rewards'],
        summary: 'Dry run: what a draft rule would have given over a period, beside the rule’s current version (writes nothing)',
        description:
          'The period is from–to, or the `days` before now (30 when neither is given), at most 366 days. With `ruleId`, the rule’s current version is replayed over the same activity for comparison.',
        body: Type.Object(
          {
            document: Ref(RuleDocument),
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: longestDryRunDays })),
            from: Type.Optional(Timestamp),
            to: Type.Optional(Timestamp),
            startsAt: Type.Optional(Nullable(Timestamp)),
            endsAt: Type.Optional(Nullable(Timestamp)),
            ruleId: Type.Optional(Described(Id, 'The rule the draft would replace: compared with its current version')),
          },
          { additionalProperties: false },
        ),
        response: { 200: Ref(Simulation) },
      },
    },
    async (request) => dryRunRule(deps, request.body),
  )
}
