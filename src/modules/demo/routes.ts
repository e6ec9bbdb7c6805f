import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../platform/deps.js'
import { DemoLogins } from './api-schemas.js'
import { demoLoginsPresent } from './seed.js'

/** What the login page may say about the demo: its logins, only where the demo retailer was seeded. */
export const routes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  app.get(
    '/demo/logins',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'The demo retailer’s logins, if it is seeded here (emails and roles; never passwords)',
        response: { 200: DemoLogins },
      },
    },
    async () => ({ logins: await demoLoginsPresent(deps.db) }),
  )
}
