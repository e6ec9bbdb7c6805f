/**
 * The floor for `bench rooms`: a bare WebSocket relay over NATS, no authentication, persistence,
 * numbering or logic. A socket joins the room its path names; whatever it sends goes to the
 * room's NATS subject, and every process holding the room hands it to its sockets.
 */
import { createServer } from 'node:http'
import { connect } from '@nats-io/transport-node'
import { type WebSocket, WebSocketServer } from 'ws'

const port = Number(process.env.PORT)
const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' })
const rooms = new Map<string, { sockets: Set<WebSocket>; unsubscribe: () => void }>()
const server = createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404).end()
})
const wss = new WebSocketServer({ server })
wss.on('connection', (socket, request) => {
  const roomId = (request.url ?? '').split('/')[3] ?? 'none'
  let room = rooms.get(roomId)
  if (!room) {
    const sockets = new Set<WebSocket>()
    const subscription = nc.subscribe(`bench.relay.${roomId}`, {
      callback: (_error, message) => {
        const text = new TextDecoder().decode(message.data)
        for (const s of sockets) s.send(text)
      },
    })
    room = { sockets, unsubscribe: () => subscription.unsubscribe() }
    rooms.set(roomId, room)
  }
  const here = room
  here.sockets.add(socket)
  socket.on('message', (data) => nc.publish(`bench.relay.${roomId}`, data.toString()))
  socket.on('close', () => {
    here.sockets.delete(socket)
    if (here.sockets.size === 0) {
      here.unsubscribe()
      rooms.delete(roomId)
    }
  })
  socket.send(JSON.stringify({ type: 'ready', lastSeq: 0 }))
})
server.listen({ port, host: '127.0.0.1', backlog: 4096 })
