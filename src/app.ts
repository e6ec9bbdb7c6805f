import { existsSync } from 'node:fs'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import fastifyWebsocket from '@fastify/websocket'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import { jobs } from './jobs.js'
import * as accounts from './modules/accounts/index.js'
import * as activity from './modules/activity/index.js'
import * as advisor from './modules/advisor/index.js'
import * as community from './modules/community/index.js'
import * as demo from './modules/demo/index.js'
import * as home from './modules/home/index.js'
import * as identity from './modules/identity/index.js'
import * as insights from './modules/insights/index.js'
import * as members from './modules/members/index.js'
import * as privacy from './modules/privacy/index.js'
import * as rewards from './modules/rewards/index.js'
import * as social from './modules/social/index.js'
import * as rooms from './modules/social/rooms/index.js'
import { registerAccessControl } from './platform/auth/hooks.js'
import { isReachable } from './platform/db/index.js'
import type { Deps } from './platform/deps.js'
import { loggerOptions, logRequest } from './platform/http/logging.js'
import { registerMetrics } from './platform/http/metrics.js'
import { answerClientError, NotFound, sendProblem } from './platform/http/problems.js'
import { Problem } from './platform/http/schemas.js'
import { refuseUnknownQueryParameters, schemaController } from './platform/http/validation.js'
import { newId } from './platform/ids.js'
import { createJobs, type Jobs, routes as jobRoutes } from './platform/jobs/index.js'

export interface AppOptions {
  /** pino options, or false for silence (tests). */
  logger?: boolean | object
  bodyLimit?: number
  /** Extra routes to register before the app is ready (tests). */
  extraRoutes?: (app: FastifyInstance) => void
  /** The node's background jobs (started by the server); without them, Admin → Jobs can still queue runs. */
  jobs?: Jobs
}

/** The whole service: platform plugins, then each module's routes under /v1. */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.logger, deps.config.logLevel),
    // One line per request (logRequest below) instead of Fastify's "incoming" and "completed" pair.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // Only the configured proxies' X-Forwarded-For is believed: anyone can send the header.
    trustProxy: deps.config.trustedProxies,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId(),
    schemaController,
    return503OnClosing: true,
    frameworkErrors: sendProblem,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setErrorHandler(sendProblem)
  app.addHook('onResponse', logRequest)
  app.addHook('onRoute', refuseUnknownQueryParameters)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
    hsts: deps.config.behindTls,
  })
  await app.register(fastifyCookie)
  await app.register(fastifyRateLimit, { global: false })
  // Live rooms' sockets; a frame past 64 KiB closes the socket (1009), smaller ones past the room's limit get an error frame.
  await app.register(fastifyWebsocket, { options: { maxPayload: 65_536 } })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Regulars API', version: '1', description: 'Omni-channel customer relationships for retailers. Errors are RFC 9457 problem+json.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'regulars_session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'A channel API key: Authorization: Bearer rk_…' },
        },
      },
    },
    // Keep each shared schema's $id as its component name.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
  app.addSchema(Problem)

  registerAccessControl(app, accounts.principalResolvers(deps))
  members.followMergeRedirects(app, deps.db)
  registerMetrics(app)
  community.registerWidget(app, deps.config)

  const anyone = { access: { public: true as const } }
  app.get('/healthz', { config: anyone, schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { config: anyone, schema: { hide: true } }, async (_request, reply) =>
    (await isReachable(deps.db)) ? { status: 'ready' } : reply.code(503).send({ status: 'database unreachable' }),
  )
  app.get('/openapi.json', { config: anyone, schema: { hide: true } }, async () => app.swagger())

  for (const routes of [
    accounts.routes,
    members.routes,
    activity.routes,
    activity.catalogRoutes,
    home.routes,
    identity.routes,
    privacy.routes,
    social.routes,
    rooms.routes,
    community.routes,
    demo.routes,
  ]) {
    await app.register(routes, { ...deps, prefix: '/v1' })
  }
  // The "now" buttons (insights refresh, advisor training, tier review) queue the scheduled job, like Admin → Jobs.
  const nodeJobs = options.jobs ?? createJobs(deps, jobs)
  for (const routes of [insights.routes, rewards.routes, advisor.routes, jobRoutes]) {
    await app.register(routes, { ...deps, jobs: nodeJobs, prefix: '/v1' })
  }

  options.extraRoutes?.(app)
  serveWebApp(app, deps.config.webDir)
  return app
}

/** The single-page app: files from web/dist, and index.html for any other page a browser asks for. */
function serveWebApp(app: FastifyInstance, webDir: string) {
  const hasWebApp = existsSync(webDir)
  if (hasWebApp) app.register(fastifyStatic, { root: webDir, wildcard: false, index: 'index.html' })
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      hasWebApp && request.method === 'GET' && !/^\/(v1|docs|metrics|openapi)/.test(request.url) && (request.headers.accept ?? '').includes('text/html')
    return isPage ? reply.sendFile('index.html') : sendProblem(new NotFound('Route'), request, reply)
  })
}
