/**
 * Simulated members for `bench rooms`, in a process of its own: each opens its room's socket on
 * one server, sends a chat message, a reaction or a cart change at the set rate, and a tenth drop
 * once and reconnect to another server with the last number they had. Prints one JSON line.
 */
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'

interface Member {
  roomId: string
  cookie: string
  port: number
  otherPort: number
  reconnect: boolean
}
const input = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  members: Member[]
  seconds: number
  perMemberPerSecond: number
  mode: 'app' | 'relay'
  id: string
}
const { members, seconds, perMemberPerSecond, mode } = input

const latencies: number[] = []
let sent = 0
let acked = 0
let errors = 0
let delivered = 0
let duplicated = 0
let held = 0
let reconnected = 0
// Per member: what it received (app: sequence numbers; relay: message ids), for loss and duplicates.
const received = members.map(() => new Set<string | number>())
const sentIds: Record<string, string[]> = {}

function open(i: number, port: number, after: number): Promise<WebSocket> {
  const m = members[i] as Member
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/rooms/${m.roomId}/live?after=${after}`, { headers: { cookie: m.cookie } })
    let ready = false
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.type === 'ready') {
        ready = true
        return resolve(ws)
      }
      if (frame.type === 'ack') acked++
      else if (frame.type === 'error') errors++
      const text: string | undefined = mode === 'app' ? (frame.kind === 'chat.message' ? frame.body.text : undefined) : frame.text
      const key = mode === 'app' ? frame.seq : text
      if (key === undefined || (mode === 'app' && frame.type !== 'event')) return
      const seen = received[i] as Set<string | number>
      if (seen.has(key)) duplicated++
      else seen.add(key)
      delivered++
      if (mode === 'app') last[i] = Math.max(last[i] ?? 0, frame.seq)
      // Live deliveries only: a catch-up after a reconnect is not a latency.
      if (ready && text?.startsWith('t:')) latencies.push(Date.now() - Number(text.split(':')[1]))
    })
    ws.on('error', reject)
  })
}

const last: number[] = members.map(() => 0)
const sockets: (WebSocket | undefined)[] = []
for (let i = 0; i < members.length; i += 250) {
  await Promise.all(
    members.slice(i, i + 250).map(async (m, j) => {
      try {
        sockets[i + j] = await open(i + j, m.port, 0)
        held++
      } catch {
        errors++
      }
    }),
  )
}
process.stderr.write(`${input.id}: ${held} sockets open\n`)
process.send?.({ opened: held })
await new Promise<void>((resolve) => process.once('message', () => resolve())) // everyone is connected: go

const started = Date.now()
const interval = 1000 / perMemberPerSecond
const timers: ReturnType<typeof setTimeout>[] = []
members.forEach((m, i) => {
  let n = 0
  const tick = () => {
    if (Date.now() - started > seconds * 1000) return
    const ws = sockets[i]
    if (ws?.readyState === WebSocket.OPEN) {
      const roll = (i * 7 + n) % 20
      const text = `t:${Date.now()}:${input.id}:${i}:${n}`
      const message =
        mode === 'app' && roll === 0
          ? { type: 'cart.add', ref: `${input.id}-${i}-${n}`, sku: 'BENCH-1', quantity: 1 }
          : mode === 'app' && roll < 4 && last[i]
            ? { type: 'chat.react', ref: `${input.id}-${i}-${n}`, seq: last[i], emoji: '👍' }
            : { type: 'chat.send', ref: `${input.id}-${i}-${n}`, text }
      ws.send(JSON.stringify(message))
      if (message.type === 'chat.send') {
        sentIds[m.roomId] = sentIds[m.roomId] ?? []
        sentIds[m.roomId]?.push(text)
      }
      sent++
    }
    n++
    // A tenth of the members drop once, a third of the way in, and come back on another server.
    if (m.reconnect && n === Math.ceil((seconds * perMemberPerSecond) / 3)) {
      ws?.terminate()
      open(i, m.otherPort, mode === 'app' ? (last[i] ?? 0) : 0)
        .then((back) => {
          sockets[i] = back
          reconnected++
        })
        .catch(() => errors++)
    }
    timers.push(setTimeout(tick, interval * (0.5 + Math.random())))
  }
  timers.push(setTimeout(tick, Math.random() * interval))
})
await new Promise((r) => setTimeout(r, seconds * 1000 + 4000)) // the run, then time for the last frames
for (const t of timers) clearTimeout(t)
const connected = sockets.filter((s) => s?.readyState === WebSocket.OPEN).length
for (const s of sockets) s?.terminate()
latencies.sort((a, b) => a - b)
process.stdout.write(
  `${JSON.stringify({
    sent,
    acked,
    errors,
    delivered,
    duplicated,
    held,
    connected,
    reconnected,
    latencies,
    received: received.map((s) => [...s]),
    sentIds,
  })}\n`,
  // A large line: exit only once the pipe has taken all of it.
  () => process.exit(0),
)
