import type { FastifyInstance } from 'fastify'
import type WebSocket from 'ws'
import type { Caller } from './testing.js'

export interface Frame {
  type: string
  seq?: number
  kind?: string
  ref?: string
  code?: string
  participant?: string | null
  /** Events have one; acks and errors do not (check `type` or `kind` first). */
  body: Record<string, unknown>
  [key: string]: unknown
}

/** A participant's socket in a test: every frame it got, and a way to wait for the next one that matches. */
export interface LiveClient {
  ws: WebSocket
  frames: Frame[]
  events(): Frame[]
  send(message: Record<string, unknown>): void
  /** The first frame (already received or still to come) matching, after `from` frames. */
  waitFor(match: (frame: Frame) => boolean, what?: string, timeoutMs?: number): Promise<Frame>
  close(): void
}

export function liveClient(ws: WebSocket, frames: Frame[]): LiveClient {
  return {
    ws,
    frames,
    events: () => frames.filter((f) => f.type === 'event'),
    send: (message) => ws.send(JSON.stringify(message)),
    waitFor(match, what = 'a frame', timeoutMs = 15_000) {
      const found = frames.find(match)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          ws.off('message', onMessage)
          reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-5))}`))
        }, timeoutMs)
        const onMessage = () => {
          const hit = frames.find(match)
          if (!hit) return
          clearTimeout(timer)
          ws.off('message', onMessage)
          resolve(hit)
        }
        ws.on('message', onMessage)
      })
    },
    close: () => ws.terminate(),
  }
}

/** Opens a room socket through app.injectWS (real routing, hooks and the access check), recording frames from the first. */
export async function connectRoom(app: FastifyInstance, roomId: string, caller: Caller, after = 0, headers: Record<string, string> = {}): Promise<LiveClient> {
  const frames: Frame[] = []
  const ws = await app.injectWS(
    `/v1/rooms/${roomId}/live?after=${after}`,
    { headers: { cookie: caller.headers.cookie, ...headers } },
    { onInit: (socket: WebSocket) => socket.on('message', (data) => frames.push(JSON.parse(data.toString()))) },
  )
  const client = liveClient(ws, frames)
  await client.waitFor((f) => f.type === 'ready', 'ready frame')
  return client
}
