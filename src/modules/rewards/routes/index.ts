import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../platform/deps.js'
import type { WithJobs } from '../../../platform/jobs/index.js'
import { MemberTier, MyRedemption, Points, PointsHistory, Redemption, Reward, Rule, RuleChoices, RuleDocument, Simulation, TierSetup } from '../api-schemas.js'
import { catalogueRoutes } from './catalogue.js'
import { pointsRoutes } from './points.js'
import { redemptionRoutes } from './redemptions.js'
import { referralRoutes } from './referrals.js'
import { ruleRoutes } from './rules.js'
import { tierRoutes } from './tiers.js'

/** The rewards API, one file a resource; the shared shapes are registered once, here, for all of them. */
export const routes: FastifyPluginAsyncTypebox<Deps & WithJobs> = async (app, { prefix: _prefix, ...deps }: Deps & WithJobs & { prefix?: string }) => {
  for (const schema of [Points, PointsHistory, Reward, Redemption, MyRedemption, RuleDocument, Rule, Simulation, RuleChoices, TierSetup, MemberTier])
    app.addSchema(schema)
  for (const resource of [pointsRoutes, catalogueRoutes, redemptionRoutes, ruleRoutes, tierRoutes, referralRoutes]) await app.register(resource, deps) // under this plugin's prefix
}
