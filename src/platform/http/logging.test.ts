import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyCaller, type TestDeps, testDeps, testPassword } from '../../../test/support/testing.js'
import { buildApp } from '../../app.js'
import { createUser } from '../../modules/accounts/index.js'
import { users } from '../../modules/accounts/schema.js'
import { enrolMembers } from '../../modules/members/index.js'
import { newId } from '../ids.js'
import { loggableError, loggableUrl } from './logging.js'

describe('logs keep secrets and personal data out', () => {
  let deps: TestDeps
  let app: Awaited<ReturnType<typeof buildApp>>
  const lines: string[] = []
  const argon2Hash = '$argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g'

  beforeAll(async () => {
    deps = await testDeps()
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).trim().split('\n'))
        done()
      },
    })
    app = await buildApp(deps, {
      logger: { level: 'info', stream },
      // A write that fails in the database as a real one can: a second login with the same email.
      extraRoutes: (app) =>
        app.post('/test-failing-write', { schema: { hide: true } }, async () => {
          const row = { email: 'ada@example.test', displayName: 'Ada Lovelace', passwordHash: argon2Hash, role: 'associate' as const }
          const at = deps.clock.now()
          await deps.db.insert(users).values({ ...row, id: newId(), createdAt: at, passwordChangedAt: at })
          await deps.db.insert(users).values({ ...row, id: newId(), createdAt: at, passwordChangedAt: at })
          return {}
        }),
    })
    await app.ready()
    await enrolMembers(
      deps.db,
      [{ member: { id: newId(), givenName: 'Grace', joinedAt: deps.clock.now() }, identifiers: [{ kind: 'phone', value: '07700900123' }] }],
      {
        defaultRegion: 'GB',
        at: deps.clock.now(),
      },
    )
  })
  afterAll(async () => {
    await app.close()
    await deps.close()
  })

  it('logs a failed write’s error and SQL without its parameters or the database’s detail', async () => {
    const response = await app.inject({ method: 'POST', url: '/test-failing-write', payload: {} })
    expect(response.statusCode).toBe(500)
    const log = lines.join('\n')
    expect(log).toContain('unhandled error')
    expect(log).toContain('insert into \\"users\\"') // the SQL is there to debug with
    expect(log).toContain(response.headers['x-request-id'])
    for (const secret of [argon2Hash, 'c2FsdHNhbHRzYWx0', 'ada@example.test', 'Ada Lovelace']) expect(log).not.toContain(secret)
    expect(response.body).not.toContain('users')
  })

  it('logs a lookup’s URL without the card, phone or email looked up, and never the key', async () => {
    const till = await apiKeyCaller(deps, ['members:read'])
    await createUser(deps, { email: 'sam@example.test', displayName: 'Sam', password: testPassword, role: 'associate' })
    lines.length = 0
    const found = await app.inject({ method: 'GET', url: '/v1/members/lookup?kind=phone&value=07700%20900123', headers: till.headers })
    expect(found.statusCode).toBe(200)
    await app.inject({ method: 'GET', url: '/v1/members?q=grace%40example.test&limit=5', headers: till.headers })
    await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'sam@example.test', password: testPassword } })
    const log = lines.join('\n')
    expect(log).toContain('/v1/members/lookup?kind=phone&value=[redacted]')
    expect(log).toContain('/v1/members?q=[redacted]&limit=5')
    for (const secret of ['07700', '900123', 'grace', till.headers.authorization.slice(7), testPassword, 'sam@example.test']) expect(log).not.toContain(secret)
  })

  it('writes one line per request, saying what was asked, the answer and how long it took', async () => {
    lines.length = 0
    await app.inject({ method: 'GET', url: '/healthz' })
    await app.inject({ method: 'GET', url: '/v1/members?q=grace&limit=5' })
    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.req)
    expect(requests.map((entry) => entry.msg.replace(/\d+ ms$/, 'N ms'))).toEqual(['GET /healthz 200 N ms', 'GET /v1/members?q=[redacted]&limit=5 401 N ms'])
    expect(requests[0]).toMatchObject({ level: 30, res: { statusCode: 200 }, req: { method: 'GET', url: '/healthz' } })
  })

  it('drops the value a database error quotes', () => {
    const error = new Error('Failed query: select $1::uuid\nparams: ada@example.test', {
      cause: Object.assign(new Error('invalid input syntax for type uuid: "ada@example.test"'), { code: '22P02' }),
    })
    expect(JSON.stringify(loggableError(error))).not.toContain('ada@')
    expect(loggableError(error)?.cause?.message).toBe('invalid input syntax for type uuid: [redacted]')
  })

  it('keeps ids, paging and report filters readable', () => {
    expect(loggableUrl('/v1/insights/members?store=S01&segment=lapsed&cursor=abc')).toBe('/v1/insights/members?store=S01&segment=lapsed&cursor=abc')
    expect(loggableUrl('/v1/members/01a2/timeline')).toBe('/v1/members/01a2/timeline')
    expect(loggableUrl('/v1/members/lookup?value=6337&kind=card&value=x')).toBe('/v1/members/lookup?value=[redacted]&kind=card&value=[redacted]')
  })
})
