import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Deps } from '../../platform/deps.js'
import { overview } from './service.js'

const Overview = Type.Object(
  {
    members: Type.Integer(),
    activeMembers90d: Type.Integer(),
    repeatRate: Type.Number({ minimum: 0, maximum: 1 }),
    salesByMonth: Type.Array(Type.Object({ month: Type.String(), salesMinor: Type.Integer(), orders: Type.Integer(), members: Type.Integer() })),
    channelMix: Type.Array(Type.Object({ channel: Type.String(), members: Type.Integer(), salesMinor: Type.Integer() })),
    storeSales: Type.Array(Type.Object({ storeCode: Type.String(), storeName: Type.String(), salesMinor: Type.Integer(), orders: Type.Integer() })),
    currency: Type.String(),
  },
  { $id: 'InsightsOverview' },
)

export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.addSchema(Overview)
  app.get(
    '/insights/overview',
    {
      config: { access: { staff: 'manager' } },
      schema: {
        tags: ['insights'],
        summary: 'Members, activity, repeat rate and sales by month, channel and store',
        querystring: Type.Object({ months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 12 })) }),
        response: { 200: Type.Ref('InsightsOverview') },
      },
    },
    async (request) => overview(deps.db, { months: request.query.months ?? 12, asOf: deps.clock.now() }),
  )
}
