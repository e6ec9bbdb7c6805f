import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Frame, liveClient } from '../../../../test/support/rooms.js'
import { type Caller, loginAs, type TestApp, testApp } from '../../../../test/support/testing.js'
import { upsertProducts } from '../../activity/index.js'

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'

/** A real `regulars serve` process on the test database, sharing rooms over NATS; its URL once it listens. */
function serveNode(databaseUrl: string) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/job-node.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, REGULARS_DEMO: 'false' },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const url = new Promise<string>((resolve) =>
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice('ready '.length))
    }),
  )
  return { child, url }
}

/** A member's socket to a room on a node, over the network, as a browser on the node's page opens it. */
async function connect(url: string, roomId: string, caller: Caller, after: number) {
  const frames: Frame[] = []
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/rooms/${roomId}/live?after=${after}`, { headers: { cookie: caller.headers.cookie, origin: url } })
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())))
  const client = liveClient(ws, frames)
  await client.waitFor((f) => f.type === 'ready', 'ready frame', 30_000)
  return client
}

// Real PostgreSQL only: two processes cannot share one embedded database.
describe.runIf(process.env.REGULARS_TEST_DB === 'postgres')('a room server killed with kill -9', () => {
  let t: TestApp
  const nodes: ChildProcess[] = []
  afterAll(async () => {
    for (const node of nodes) node.kill('SIGKILL')
    await t?.close()
  })

  it('loses no acknowledged message, cart change or join: the next process serves them all, once each, in order', async () => {
    // On the real clock: the serving processes check the sessions this test makes against theirs.
    t = await testApp(new Date().toISOString())
    const databaseUrl = t.deps.config.databaseUrl as string
    await upsertProducts(t.deps.db, [{ sku: 'MUG-1', name: 'Stoneware mug', category: [], priceMinor: 1200, currency: 'GBP', inStock: true }])
    const [host, friend] = [await loginAs(t, 'member'), await loginAs(t, 'member')]
    const opened = (await t.app.inject({ method: 'POST', url: '/v1/rooms', headers: host.headers, payload: { title: 'Crash' } })).json()

    const first = serveNode(databaseUrl)
    nodes.push(first.child)
    const firstUrl = await first.url
    const joined = await fetch(`${firstUrl}/v1/rooms/${opened.id}/join`, {
      method: 'POST',
      headers: { ...friend.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ code: opened.inviteCode }),
    })
    expect(joined.status).toBe(200)
    const onFirst = await connect(firstUrl, opened.id, friend, 0)
    const acked: number[] = []
    const send = async (message: Record<string, unknown>, ref: string) => {
      onFirst.send({ ...message, ref })
      const ack = await onFirst.waitFor((f) => f.ref === ref && (f.type === 'ack' || f.type === 'error'), ref)
      expect(ack.type, `${ref}: ${JSON.stringify(ack)}`).toBe('ack')
      acked.push(ack.seq as number)
    }
    for (let i = 0; i < 10; i++) await send({ type: 'chat.send', text: `message ${i}` }, `chat-${i}`)
    await send({ type: 'cart.add', sku: 'MUG-1', quantity: 2 }, 'cart')
    // The moment the last acknowledgement arrives, the process dies without a chance to flush anything.
    first.child.kill('SIGKILL')
    await new Promise((done) => first.child.once('exit', done))

    const second = serveNode(databaseUrl)
    nodes.push(second.child)
    const secondUrl = await second.url
    const onSecond = await connect(secondUrl, opened.id, friend, 0)
    const last = acked.at(-1) as number
    await onSecond.waitFor((f) => f.type === 'event' && f.seq === last, 'the last acknowledged event', 30_000)
    const seqs = onSecond.events().map((f) => f.seq as number)
    for (const seq of acked)
      expect(
        seqs.filter((s) => s === seq),
        `event ${seq}`,
      ).toHaveLength(1)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    const texts = onSecond.events().flatMap((f) => (f.kind === 'chat.message' ? [f.body.text] : []))
    expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`))

    // The join and the cart line are in the room as the new process tells it.
    const room = await (await fetch(`${secondUrl}/v1/rooms/${opened.id}`, { headers: friend.headers })).json()
    expect(room.participants.filter((p: { removed: boolean }) => !p.removed).map((p: { role: string }) => p.role)).toEqual(['host', 'guest'])
    const cart = await (await fetch(`${secondUrl}/v1/rooms/${opened.id}/cart`, { headers: friend.headers })).json()
    expect(cart.lines).toEqual([expect.objectContaining({ sku: 'MUG-1', quantity: 2 })])
    onFirst.close()
    onSecond.close()
  }, 180_000)
})
