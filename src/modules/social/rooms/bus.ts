import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node'

/**
 * How a committed room event reaches every process holding the room. A frame is the event as
 * clients receive it (JSON text with its `seq`); the database stays the record, the bus only carries.
 */
export interface RoomBus {
  /** Starts receiving the room's frames; resolves once the subscription is in place. */
  subscribe(roomId: string, onFrame: (frame: string) => void): Promise<() => void>
  publish(roomId: string, frame: string): void
  close(): Promise<void>
}

/** One process: frames go straight to the room's listeners here. */
export function inProcessBus(): RoomBus {
  const listeners = new Map<string, Set<(frame: string) => void>>()
  return {
    async subscribe(roomId, onFrame) {
      let set = listeners.get(roomId)
      if (!set) {
        set = new Set()
        listeners.set(roomId, set)
      }
      set.add(onFrame)
      return () => {
        set.delete(onFrame)
        if (set.size === 0) listeners.delete(roomId)
      }
    },
    publish(roomId, frame) {
      for (const listener of listeners.get(roomId) ?? []) listener(frame)
    },
    async close() {
      listeners.clear()
    },
  }
}

export const roomSubject = (roomId: string) => `regulars.rooms.${roomId}`

/**
 * Several processes: one NATS subject per room, and a process subscribes only to the rooms its
 * own sockets are in, so it never hears other rooms' traffic. A frame lost here (a process killed
 * between commit and publish) is found in the database by the next frame's gap or the client's resume.
 */
export async function natsBus(url: string, name = 'regulars'): Promise<RoomBus> {
  const nc: NatsConnection = await connect({ servers: url, name, maxReconnectAttempts: -1 })
  const decoder = new TextDecoder()
  return {
    async subscribe(roomId, onFrame) {
      const subscription: Subscription = nc.subscribe(roomSubject(roomId), {
        callback: (error, message) => {
          if (!error) onFrame(decoder.decode(message.data))
        },
      })
      await nc.flush() // the server has the subscription: nothing published after this is missed
      return () => subscription.unsubscribe()
    },
    publish(roomId, frame) {
      nc.publish(roomSubject(roomId), frame)
    },
    async close() {
      await nc.drain()
    },
  }
}
