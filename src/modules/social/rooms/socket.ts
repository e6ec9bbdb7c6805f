import type { FastifyBaseLogger } from 'fastify'
import { Type } from 'typebox'
import type { WebSocket } from 'ws'
import type { Deps } from '../../../platform/deps.js'
import { DomainError } from '../../../platform/http/problems.js'
import { compileChecker } from '../../../platform/http/validation.js'
import { checkHost, type RoomCommand } from './commands.js'
import type { RoomHub } from './hub.js'
import { AlreadySent, appendEvent, eventFrame, type Participant, type RoomEvent } from './service.js'

/** Limits on what one socket may send (docs/social.md#limits). */
export interface SocketLimits {
  /** Largest message, in bytes; larger ones get a `too-large` error frame. */
  maxMessageBytes: number
  /** Messages a socket may send in a burst, and how many it regains a second. */
  burst: number
  perSecond: number
}

export const defaultSocketLimits: SocketLimits = { maxMessageBytes: 4096, burst: 20, perSecond: 5 }

export interface RoomRuntime {
  deps: Deps
  hub: RoomHub
  commands: Record<string, RoomCommand>
  limits: SocketLimits
  log: FastifyBaseLogger
}

const Envelope = Type.Object({ type: Type.String({ minLength: 1, maxLength: 60 }), ref: Type.Optional(Type.String({ maxLength: 64 })) })
const checkEnvelope = compileChecker(Envelope)
const checkers = new WeakMap<RoomCommand, ReturnType<typeof compileChecker>>()
const checkerFor = (c: RoomCommand) => {
  let check = checkers.get(c)
  if (!check) {
    check = compileChecker(c.schema)
    checkers.set(c, check)
  }
  return check
}

const errorFrame = (code: string, message: string, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'error', code, message, ...extra })

/** Publishes committed events to every process holding the room. */
export const publishEvents = (hub: RoomHub, roomId: string, events: RoomEvent[]) => {
  for (const event of events) hub.publish(roomId, event.seq, eventFrame(event))
}

/**
 * One participant's socket. Its messages are handled one at a time, in the order sent, so its
 * acks come in order; a bad message is answered with an error frame and changes nothing. Only the
 * participant's own frames and the room's events go out.
 */
export function serveSocket(runtime: RoomRuntime, socket: WebSocket, participant: Participant, after: number) {
  const { deps, hub, commands, limits, log } = runtime
  const roomId = participant.roomId
  let tokens = limits.burst
  let refilledAt = Date.now()
  let queue = Promise.resolve()
  let detach: (() => void) | undefined
  let closed = false

  const send = (frame: string) => {
    if (socket.readyState === socket.OPEN) socket.send(frame)
  }
  const listener = {
    last: after,
    send(frame: string) {
      send(frame)
      // The host removed this participant, or the room ended: the socket's part is over.
      // After the message being handled (its ack goes out first: the host's own room.end).
      const closeAfterQueue = (code: number, reason: string) => {
        queue = queue.then(() => socket.close(code, reason))
      }
      if (frame.includes('"kind":"room.ended"')) closeAfterQueue(4410, 'the room has ended')
      else if (
        frame.includes('"kind":"participant.removed"') &&
        (JSON.parse(frame) as { body: { participantId: string } }).body.participantId === participant.participantId
      )
        closeAfterQueue(4403, 'removed from the room')
    },
  }

  const allowed = () => {
    const now = Date.now()
    tokens = Math.min(limits.burst, tokens + ((now - refilledAt) / 1000) * limits.perSecond)
    refilledAt = now
    if (tokens < 1) return false
    tokens -= 1
    return true
  }

  const handle = async (raw: string) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      return send(errorFrame('invalid', 'Send one JSON object per message.'))
    }
    const envelopeErrors = checkEnvelope(parsed)
    if (envelopeErrors.length || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return send(errorFrame('invalid', 'A message is an object with a "type".', { errors: envelopeErrors }))
    const { type, ref } = parsed as { type: string; ref?: string }
    const c = Object.hasOwn(commands, type) ? commands[type] : undefined
    if (!c) return send(errorFrame('unknown-type', `No message type ${type.slice(0, 60)}.`, { ref }))
    const errors = checkerFor(c)(parsed)
    if (errors.length) return send(errorFrame('invalid', 'The message is not valid.', { ref, errors }))
    try {
      checkHost(c, participant, type)
      const events = await c.run({ deps, participant, clientRef: ref, now: deps.clock.now() }, parsed as never)
      publishEvents(hub, roomId, events)
      send(JSON.stringify({ type: 'ack', ref, seq: events.at(-1)?.seq ?? null }))
    } catch (error) {
      if (error instanceof AlreadySent) return send(JSON.stringify({ type: 'ack', ref, seq: error.seq, replay: true }))
      if (error instanceof DomainError) return send(errorFrame(error.type.replace('/problems/', ''), error.detail ?? error.title, { ref, ...error.details }))
      log.error({ err: error, roomId }, 'room message failed')
      send(errorFrame('internal', 'The message could not be handled; try again.', { ref }))
    }
  }

  // Attached at once: messages sent before the catch-up finishes wait in the queue, none is lost.
  socket.on('message', (data, isBinary) => {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength
    if (isBinary) return send(errorFrame('invalid', 'Send text frames of JSON.'))
    if (size > limits.maxMessageBytes) return send(errorFrame('too-large', `A message may be at most ${limits.maxMessageBytes} bytes.`))
    if (!allowed()) return send(errorFrame('rate-limited', `At most ${limits.perSecond} messages a second (bursts of ${limits.burst}); this one was dropped.`))
    const raw = data.toString()
    queue = queue.then(() => handle(raw))
  })

  const presence = (kind: 'presence.online' | 'presence.offline') =>
    appendEvent(deps.db, deps.clock.now(), roomId, { kind, participantId: participant.participantId, actorMemberId: participant.memberId, body: {} })
      .then((event) => publishEvents(hub, roomId, [event]))
      .catch(() => {}) // an ended room has no presence to keep

  socket.on('close', () => {
    closed = true
    detach?.()
    void presence('presence.offline')
  })

  queue = hub
    .attach(roomId, listener)
    .then(async (leave) => {
      if (closed) return leave()
      detach = leave
      send(JSON.stringify({ type: 'ready', room: roomId, you: participant.participantId, lastSeq: listener.last }))
      await presence('presence.online')
    })
    .catch((error) => {
      log.error({ err: error, roomId }, 'joining a room socket failed')
      socket.close(1011, 'try again')
    })
}
