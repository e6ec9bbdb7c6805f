import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Described, Id, Nullable, Ref, Timestamp } from '../../../platform/http/schemas.js'
import { Rule, RuleDocument, Simulation } from '../api-schemas.js'
import { invalidRule, listRules, saveRule } from '../rule-store.js'
import { simulateRule } from '../simulate.js'
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
  app.post(
    '/rules/simulate',
    {
      config: { ...managers, invalidRequest: invalidRule },
      schema: {
        tags: ['rewards'],
        summary: 'Dry run: what a draft rule would have given over the last N days (writes nothing)',
        body: Type.Object(
          { document: Ref(RuleDocument), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) },
          { additionalProperties: false },
        ),
        response: { 200: Simulation },
      },
    },
    async (request) => simulateRule(deps, request.body.document, request.body.days ?? 30),
  )
}
