import autocannon from 'autocannon'
import { sql } from 'drizzle-orm'
import { createUser, startSession } from '../src/modules/accounts/index.js'
import { enrolMembers } from '../src/modules/members/index.js'
import { systemClock } from '../src/platform/clock.js'
import { loadConfig } from '../src/platform/config.js'
import { migrate, openDatabase, queryRows } from '../src/platform/db/index.js'
import { newId } from '../src/platform/ids.js'
import { load, scratchDatabase, startProcess, stopProcess } from './support.js'

const members = 100_000
const ideaCount = 5_000
const voterCount = 2_000

/** p50 and p95 of `count` GETs, `concurrency` at a time, timed in this process. */
async function readLatency(url: string, headers: Record<string, string>, { count = 600, concurrency = 10 } = {}) {
  const times: number[] = []
  let errors = 0
  let next = 0
  const worker = async () => {
    while (next++ < count) {
      const start = performance.now()
      const response = await fetch(url, { headers })
      await response.arrayBuffer()
      if (!response.ok) errors++
      times.push(performance.now() - start)
    }
  }
  for (let i = 0; i < 3; i++) await fetch(url, { headers }).then((r) => r.arrayBuffer()) // warm
  await Promise.all(Array.from({ length: concurrency }, worker))
  times.sort((a, b) => a - b)
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2))
  return { requests: times.length, p50Ms: at(0.5), p95Ms: at(0.95), errors }
}

/**
 * `community`: on real PostgreSQL with 100,000 members and 5,000 ideas, members casting votes at 50
 * connections for 10 s (each request a new vote of one of 2,000 signed-in members: weight read, budget
 * checked under the member's lock, vote row, the idea's support, `vote_cast` on the timeline) against
 * the write floor in the same run (bare Fastify + pg committing one update of an idea's support), and
 * the ideas board's p95 (a member's `GET /v1/ideas`, by weighted support) against the bare indexed read.
 */
export async function run() {
  const databaseUrl = await scratchDatabase('regulars_bench_community')
  const database = await openDatabase({ databaseUrl })
  await migrate(database)
  const config = loadConfig({ DATABASE_URL: databaseUrl, REGULARS_PASSWORD_MEMORY_KIB: '8', REGULARS_PASSWORD_PASSES: '1' }, {})
  const deps = { db: database.db, clock: systemClock, config }
  const ids = Array.from({ length: members }, () => newId())
  const at = new Date()
  for (let i = 0; i < members; i += 10_000) {
    await enrolMembers(
      database.db,
      ids.slice(i, i + 10_000).map((id, j) => ({
        member: { id, givenName: `Shopper ${i + j}`, joinedAt: at },
        identifiers: [{ kind: 'card' as const, value: `8${String(i + j).padStart(10, '0')}` }],
      })),
      { defaultRegion: 'GB', at },
    )
  }
  // 5,000 ideas with support already spread over them, as a board some months old has.
  await database.db.execute(sql`
    insert into ideas (id, author_id, kind, title, body, scope, category, status, support, voters, created_at, status_changed_at)
    select gen_random_uuid(), ${ids[0]}::uuid, 'product', 'Idea number ' || g, 'Please stock number ' || g, 'retailer',
           (array['Coffee', 'Tea', 'Bakery', 'Dairy alternatives'])[1 + g % 4], (array['new', 'under_review', 'planned'])[1 + g % 3],
           (g * 7919) % 50000, (g * 7919) % 500, now() - make_interval(days => g % 365), now()
      from generate_series(1, ${ideaCount}) g`)
  await database.db.execute(sql`insert into idea_settings (id, settings, updated_at)
    values (1, '{"weights":{"base":1,"relationship":1,"purchases":1,"purchaseCap":5},"budget":{"votes":1000,"period":"month"},"ladder":{"retailer":{"wouldBuy":50,"pledge":150},"region":{"wouldBuy":25,"pledge":75},"store":{"wouldBuy":10,"pledge":30},"category":{"wouldBuy":25,"pledge":75}},"answeredWithinDays":14}', now())`)
  const ideaIds = (await queryRows<{ id: string }>(database.db, sql`select id from ideas order by id`)).map((r) => r.id)
  const voters: { cookie: string; csrf: string }[] = []
  for (let i = 0; i < voterCount; i++) {
    const user = await createUser(deps, {
      email: `voter${i}@bench.test`,
      displayName: `Voter ${i}`,
      password: 'bench password 1',
      skipStrengthCheck: true,
      role: 'member',
      memberId: ids[i * 50],
    })
    const session = await startSession(deps, user.id)
    voters.push({ cookie: `regulars_session=${session.token}`, csrf: session.csrfToken })
  }
  await database.db.execute(sql`vacuum analyze`)
  await database.close()

  const server = await startProcess(
    ['src/main.ts', 'serve', '--port', '8096', '--host', '127.0.0.1'],
    { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', REGULARS_DEMO: 'false' },
    8096,
  )
  // Request n is voter n mod 2,000 voting for an idea that voter has not voted for yet.
  let n = 0
  const votes = (duration: number) =>
    autocannon({
      url: 'http://127.0.0.1:8096',
      connections: 50,
      duration,
      requests: [
        {
          method: 'PUT',
          setupRequest: (request) => {
            const i = n++
            const voter = voters[i % voterCount]
            const idea = ideaIds[(Math.floor(i / voterCount) * 31 + (i % voterCount)) % ideaCount]
            return { ...request, path: `/v1/ideas/${idea}/vote`, headers: { cookie: voter.cookie, 'x-csrf-token': voter.csrf } }
          },
        },
      ],
    })
  await votes(3) // warm-up, as for the floor
  const result = await votes(10)
  const board = await readLatency('http://127.0.0.1:8096/v1/ideas?sort=support', { cookie: voters[1].cookie, accept: 'application/json' })
  await stopProcess(server)

  const bare = await startProcess(['bench/bare-server.ts'], { DATABASE_URL: databaseUrl, PORT: '8097' }, 8097)
  const floor = await load(
    'http://127.0.0.1:8097',
    ideaIds.map((id) => `/ideas/${id}/support`),
    {},
    { method: 'POST' },
  )
  const bareBoard = await readLatency('http://127.0.0.1:8097/ideas/board', {})
  await stopProcess(bare)
  const rps = Math.round(result.requests.average)
  return {
    bench: 'community',
    members,
    ideas: ideaCount,
    voters: voterCount,
    connections: 50,
    seconds: 10,
    votesPerSecond: rps,
    voteP50Ms: result.latency.p50,
    voteP99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    writeFloor: floor,
    voteRatio: Number((rps / floor.rps).toFixed(3)),
    board,
    bareBoard,
    boardP95Ratio: Number((board.p95Ms / bareBoard.p95Ms).toFixed(2)),
    target: { voteRatio: 0.5, boardP95Ratio: 2 },
  }
}
