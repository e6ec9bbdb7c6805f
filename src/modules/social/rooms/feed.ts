import type { FeedSource } from '../index.js'

/** "Ada is shopping live — join": an open room in the host's friends' feeds, taken out when it ends. */
export const roomFeedSources: FeedSource[] = [
  {
    topic: 'room.opened',
    toFeed: (e) => ({
      actorId: e.memberId as string,
      kind: 'shopping_live',
      key: `room:${e.payload.roomId}`,
      subject: { roomId: e.payload.roomId, title: e.payload.title },
    }),
  },
  { topic: 'room.ended', toFeed: (e) => ({ withdraw: `room:${e.payload.roomId}`, actorId: e.memberId as string }) },
]
