/** Live co-shopping rooms: members (and an associate) shop together over a socket, with a shared cart and tools. */
import { lookBoard } from './tools/look-board.js'
import { poll } from './tools/poll.js'
import { sizeAdvice } from './tools/size-advice.js'

export { attributeRoomPurchases } from './attribution.js'
export { inProcessBus, natsBus, type RoomBus, roomSubject } from './bus.js'
export { cartOf, payerSplit } from './cart.js'
export { roomFeedSources } from './feed.js'
export { endInactiveRooms, endRoom, jobs } from './lifecycle.js'
export { roomsMergeParticipant } from './merge.js'
export { roomsPrivacy } from './privacy.js'
export { routes } from './routes.js'
export * from './schema.js'
export { eventsAfter, inviteToRoom, joinRoom, openRoom, roomsOf, roomView } from './service.js'
export { defaultSocketLimits, type SocketLimits } from './socket.js'
export { defineTool, type RoomTool, type ToolContext, ToolRefused } from './tools.js'

/** The tools every room offers: a poll, a shared look board and size advice (docs/tools.md). */
export const builtinTools = [poll, lookBoard, sizeAdvice]
