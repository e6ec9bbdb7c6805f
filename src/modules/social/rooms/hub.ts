import type { RoomBus } from './bus.js'

/** A socket of this process in a room. `last` is the last sequence number it was sent. */
export interface RoomListener {
  last: number
  send(frame: string): void
}

interface LocalRoom {
  /** Highest sequence number handed to this process's sockets, in order, with none skipped. */
  delivered: number
  listeners: Set<RoomListener & { catchingUp?: string[] }>
  /** Frames that came ahead of one still missing, by sequence number. */
  waiting: Map<number, string>
  filling: boolean
  ready: Promise<void>
  unsubscribe?: () => void
}

export interface RoomHub {
  /**
   * Puts a socket in a room from `listener.last` on: first the events it missed, from the
   * database, then live ones, each exactly once and in order. Returns the way out.
   */
  attach(roomId: string, listener: RoomListener): Promise<() => void>
  /** Hands a committed event to every process holding the room. */
  publish(roomId: string, seq: number, frame: string): void
  /** How many rooms and sockets this process holds (metrics, the benchmark). */
  size(): { rooms: number; sockets: number }
  close(): Promise<void>
}

export interface EventSource {
  /** Frames of the room's events with seq > after (and ≤ upTo), in order. */
  framesAfter(roomId: string, after: number, upTo?: number): Promise<{ seq: number; frame: string }[]>
  lastSeq(roomId: string): Promise<number>
}

const seqOf = (frame: string): number => (JSON.parse(frame) as { seq: number }).seq

/**
 * Fan-out within a process. Frames may come over the bus out of order (two processes commit seq 6
 * and 7 and publish at once) or not at all (a process died after its commit): a frame beyond the
 * next expected one makes the room read the gap from the database, where every lower number
 * already is, because each number is taken under the room row's lock after the one before committed.
 */
export function roomHub(bus: RoomBus, events: EventSource, onError: (error: unknown) => void = () => {}): RoomHub {
  const rooms = new Map<string, LocalRoom>()

  const handOut = (room: LocalRoom, seq: number, frame: string) => {
    room.delivered = seq
    for (const listener of room.listeners) {
      if (listener.catchingUp) listener.catchingUp.push(frame)
      else if (seq > listener.last) {
        listener.last = seq
        listener.send(frame)
      }
    }
  }

  const drain = (roomId: string, room: LocalRoom) => {
    for (let next = room.waiting.get(room.delivered + 1); next !== undefined; next = room.waiting.get(room.delivered + 1)) {
      room.waiting.delete(room.delivered + 1)
      handOut(room, room.delivered + 1, next)
    }
    if (room.waiting.size === 0 || room.filling) return
    room.filling = true
    const upTo = Math.min(...room.waiting.keys()) - 1
    events
      .framesAfter(roomId, room.delivered, upTo)
      .then((missing) => {
        for (const { seq, frame } of missing) if (seq > room.delivered && !room.waiting.has(seq)) room.waiting.set(seq, frame)
      })
      .catch(onError)
      .finally(() => {
        room.filling = false
        if (rooms.get(roomId) === room) drain(roomId, room)
      })
  }

  const receive = (roomId: string, room: LocalRoom, frame: string) => {
    const seq = seqOf(frame)
    if (seq <= room.delivered || room.waiting.has(seq)) return // a frame twice (the gap was read meanwhile)
    room.waiting.set(seq, frame)
    drain(roomId, room)
  }

  const open = (roomId: string): LocalRoom => {
    const existing = rooms.get(roomId)
    if (existing) return existing
    const room: LocalRoom = { delivered: Number.POSITIVE_INFINITY, listeners: new Set(), waiting: new Map(), filling: false, ready: Promise.resolve() }
    const early: string[] = []
    room.ready = (async () => {
      // Subscribe first, then read where the room stands: what commits after the read arrives on the bus.
      room.unsubscribe = await bus.subscribe(roomId, (frame) =>
        room.delivered === Number.POSITIVE_INFINITY ? early.push(frame) : receive(roomId, room, frame),
      )
      room.delivered = await events.lastSeq(roomId)
      for (const frame of early) receive(roomId, room, frame)
    })()
    rooms.set(roomId, room)
    return room
  }

  const leave = (roomId: string, room: LocalRoom, listener: RoomListener) => {
    room.listeners.delete(listener)
    if (room.listeners.size === 0 && rooms.get(roomId) === room) {
      rooms.delete(roomId)
      room.unsubscribe?.()
    }
  }

  return {
    async attach(roomId, listener) {
      const room = open(roomId)
      const member = listener as RoomListener & { catchingUp?: string[] }
      member.catchingUp = []
      room.listeners.add(member)
      try {
        await room.ready
        // Everything up to what the room has handed out is committed, so the database has it;
        // what comes after is queued in catchingUp meanwhile.
        for (const { seq, frame } of await events.framesAfter(roomId, listener.last)) {
          if (seq <= listener.last) continue
          listener.last = seq
          listener.send(frame)
        }
        const queued = member.catchingUp
        member.catchingUp = undefined
        for (const frame of queued) {
          const seq = seqOf(frame)
          if (seq > listener.last) {
            listener.last = seq
            listener.send(frame)
          }
        }
      } catch (error) {
        leave(roomId, room, listener)
        throw error
      }
      return () => leave(roomId, room, listener)
    },
    publish(roomId, _seq, frame) {
      bus.publish(roomId, frame)
    },
    size() {
      let sockets = 0
      for (const room of rooms.values()) sockets += room.listeners.size
      return { rooms: rooms.size, sockets }
    },
    async close() {
      for (const room of rooms.values()) room.unsubscribe?.()
      rooms.clear()
      await bus.close()
    },
  }
}
