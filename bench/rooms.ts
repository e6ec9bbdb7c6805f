/**
 * `npm run bench -- rooms`: live co-shopping rooms across 4 `regulars serve` processes on one
 * PostgreSQL and one NATS. Simulated members in rooms of 4–6 (spread over the processes) send a
 * chat message, a reaction or a cart change at an even total rate; a tenth drop once and resume on
 * another process with their last number. The floor, in the same run: the same clients and rates
 * against a bare ws relay over NATS (bench/rooms-relay.ts). Loss is counted against the database
 * (every non-presence event of the room must reach every member exactly once); the relay has no
 * resume, so what its members miss while away counts as its loss.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { scratchDatabase, startProcess, stopProcess } from './support.js'

const members = Number(process.env.BENCH_ROOMS_MEMBERS ?? 10_000)
const seconds = Number(process.env.BENCH_ROOMS_SECONDS ?? 40)
const totalRate = Number(process.env.BENCH_ROOMS_RATE ?? 500)
const servers = 4
const clientProcesses = 3
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'

interface Member {
  roomId: string
  cookie: string
  port: number
  otherPort: number
  reconnect: boolean
}

const rss = (pid: number | undefined) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024
}
const pct = (sorted: number[], p: number) => (sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : null)

async function setUp(databaseUrl: string, ports: number[]) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 })
  const ids = Array.from({ length: members }, () => crypto.randomUUID())
  const tokens = ids.map(() => randomBytes(24).toString('base64url'))
  const now = new Date()
  await pool.query(`insert into members (id, given_name, joined_at) select id, 'Member', $2 from unnest($1::uuid[]) id`, [ids, now])
  await pool.query(
    `insert into users (id, email, display_name, password_hash, role, member_id, created_at, password_changed_at)
     select gen_random_uuid(), 'bench-' || m || '@example.test', 'Member ' || right(m::text, 4), 'x', 'member', m, $2, $2 from unnest($1::uuid[]) m`,
    [ids, now],
  )
  await pool.query(
    `insert into sessions (token_hash, user_id, csrf_secret, created_at, expires_at)
     select t.hash, u.id, 'bench', $3, $3::timestamptz + interval '1 day' from unnest($1::uuid[], $2::text[]) t(member_id, hash) join users u on u.member_id = t.member_id`,
    [ids, tokens.map((t) => createHash('sha256').update(t).digest('hex')), now],
  )
  await pool.query(
    `insert into products (sku, name, price_minor, currency, in_stock) values ('BENCH-1', 'Bench tee', 1500, 'GBP', true) on conflict do nothing`,
  )
  // Rooms of 4, 5 and 6 in turn; a room's members sit on different servers.
  const plan: Member[] = []
  const roomRows: { id: string; host: string }[] = []
  const participantRows: { roomId: string; memberId: string; role: string }[] = []
  for (let i = 0, r = 0; i < members; r++) {
    const size = Math.min(4 + (r % 3), members - i)
    const roomId = crypto.randomUUID()
    roomRows.push({ id: roomId, host: ids[i] as string })
    for (let k = 0; k < size; k++, i++) {
      const port = ports[(r + k) % ports.length] as number
      plan.push({ roomId, cookie: `regulars_session=${tokens[i]}`, port, otherPort: ports[(r + k + 1) % ports.length] as number, reconnect: i % 10 === 0 })
      participantRows.push({ roomId, memberId: ids[i] as string, role: k === 0 ? 'host' : 'guest' })
    }
  }
  await pool.query(
    `insert into rooms (id, host_member_id, title, invite_code, cart_id, created_at, last_activity_at)
     select id, host, 'Bench room', 'code', gen_random_uuid(), $3, $3 from unnest($1::uuid[], $2::uuid[]) r(id, host)`,
    [roomRows.map((r) => r.id), roomRows.map((r) => r.host), now],
  )
  await pool.query(
    `insert into room_participants (room_id, id, member_id, display_name, role, joined_at)
     select room_id, gen_random_uuid(), member_id, 'Member', role, $4 from unnest($1::uuid[], $2::uuid[], $3::text[]) p(room_id, member_id, role)`,
    [participantRows.map((p) => p.roomId), participantRows.map((p) => p.memberId), participantRows.map((p) => p.role), now],
  )
  return { pool, plan }
}

interface ClientResult {
  sent: number
  acked: number
  errors: number
  delivered: number
  duplicated: number
  held: number
  connected: number
  reconnected: number
  latencies: number[]
  received: (string | number)[][]
  sentIds: Record<string, string[]>
}

/** Runs the members against the servers: open every socket, measure memory, then the timed run. */
async function drive(mode: 'app' | 'relay', plan: Member[], serverPids: (number | undefined)[]) {
  const before = serverPids.reduce<number>((n, pid) => n + rss(pid), 0)
  const slices = Array.from({ length: clientProcesses }, (_, c) => plan.filter((_, i) => i % clientProcesses === c))
  const children: ChildProcess[] = []
  const outputs: Promise<string>[] = []
  const opened: Promise<void>[] = []
  slices.forEach((slice, c) => {
    const file = join(tmpdir(), `regulars-bench-rooms-${mode}-${c}.json`)
    writeFileSync(file, JSON.stringify({ members: slice, seconds, perMemberPerSecond: totalRate / members, mode, id: `${mode}${c}` }))
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/rooms-client.ts', file], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    children.push(child)
    let out = ''
    child.stdout?.on('data', (d) => {
      out += d
    })
    outputs.push(new Promise((resolve) => child.on('exit', () => resolve(out))))
    opened.push(new Promise((resolve) => child.once('message', () => resolve())))
  })
  await Promise.all(opened)
  const after = serverPids.reduce<number>((n, pid) => n + rss(pid), 0)
  for (const child of children) child.send('go')
  const results = (await Promise.all(outputs)).map((o) => JSON.parse(o) as ClientResult)
  const sum = (k: keyof ClientResult) => results.reduce<number>((n, r) => n + (r[k] as number), 0)
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b)
  return { results, slices, sum, latencies, memoryPerConnection: Math.round((after - before) / Math.max(1, sum('held'))) }
}

const started: ChildProcess[] = []

export async function run() {
  const databaseUrl = await scratchDatabase('regulars_bench_rooms')
  const ports = Array.from({ length: servers }, (_, i) => 8191 + i)
  const env = { DATABASE_URL: databaseUrl, NATS_URL: natsUrl, LOG_LEVEL: 'warn', REGULARS_DEMO: 'false' }
  const serve = (port: number) => startProcess(['src/main.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'], env, port)
  const first = await serve(ports[0] as number) // migrates the scratch database
  const app = [first, ...(await Promise.all(ports.slice(1).map(serve)))]
  // A failed run must not leave servers holding the ports for the next one.
  process.once('exit', () => {
    for (const child of [...app, ...started]) child.kill('SIGKILL')
  })
  const { pool, plan } = await setUp(databaseUrl, ports)
  process.stderr.write(`rooms bench: ${plan.length} members, ${seconds} s at ${totalRate} sends/s\n`)

  const ran = await drive(
    'app',
    plan,
    app.map((c) => c.pid),
  )
  // Every non-presence event of a member's room, exactly once: the database is the record.
  const { rows } = await pool.query<{ room_id: string; seqs: string[] }>(
    `select room_id, array_agg(seq order by seq) as seqs from room_events where kind not like 'presence.%' group by room_id`,
  )
  const expected = new Map(rows.map((r) => [r.room_id, new Set(r.seqs.map(Number))]))
  let lost = 0
  ran.slices.forEach((slice, c) => {
    slice.forEach((m, i) => {
      const got = new Set(ran.results[c]?.received[i] as number[])
      for (const seq of expected.get(m.roomId) ?? []) if (!got.has(seq)) lost++
    })
  })
  const appLine = {
    connections: ran.sum('held'),
    connectedAtEnd: ran.sum('connected'),
    reconnected: ran.sum('reconnected'),
    sent: ran.sum('sent'),
    acked: ran.sum('acked'),
    errorFrames: ran.sum('errors'),
    delivered: ran.sum('delivered'),
    lost,
    duplicated: ran.sum('duplicated'),
    p50Ms: pct(ran.latencies, 50),
    p99Ms: pct(ran.latencies, 99),
    memoryPerConnectionBytes: ran.memoryPerConnection,
  }
  await Promise.all(app.map(stopProcess))
  await pool.end()

  const relays = await Promise.all(ports.map((port) => startProcess(['bench/rooms-relay.ts'], { PORT: String(port), NATS_URL: natsUrl }, port)))
  started.push(...relays)
  const floor = await drive(
    'relay',
    plan,
    relays.map((c) => c.pid),
  )
  const sentByRoom = new Map<string, string[]>()
  for (const r of floor.results) for (const [room, ids] of Object.entries(r.sentIds)) sentByRoom.set(room, [...(sentByRoom.get(room) ?? []), ...ids])
  let floorLost = 0
  floor.slices.forEach((slice, c) => {
    slice.forEach((m, i) => {
      const got = new Set(floor.results[c]?.received[i] as string[])
      for (const id of sentByRoom.get(m.roomId) ?? []) if (!got.has(id)) floorLost++
    })
  })
  await Promise.all(relays.map(stopProcess))
  const floorLine = {
    connections: floor.sum('held'),
    sent: floor.sum('sent'),
    delivered: floor.sum('delivered'),
    lost: floorLost,
    duplicated: floor.sum('duplicated'),
    p50Ms: pct(floor.latencies, 50),
    p99Ms: pct(floor.latencies, 99),
    memoryPerConnectionBytes: floor.memoryPerConnection,
  }
  return {
    benchmark: 'rooms',
    servers,
    members,
    seconds,
    sendsPerSecond: totalRate,
    rooms: appLine,
    floor: floorLine,
    p99Ratio: appLine.p99Ms && floorLine.p99Ms ? Math.round((appLine.p99Ms / floorLine.p99Ms) * 100) / 100 : null,
  }
}
