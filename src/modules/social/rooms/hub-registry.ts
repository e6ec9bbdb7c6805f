import type { RoomHub } from './hub.js'

/** This process's live-room hub by database handle: the routes plugin puts it here, so a job on the same process reaches the sockets. */
export const hubs = new WeakMap<object, RoomHub>()
