import type { Db } from '../../../platform/db/index.js'
import { type ContentKind, screenContent } from '../moderation/index.js'
import type { ParticipationDeps } from './participation.js'

/**
 * What moderation says of a post, in the posting transaction and before it is written: published,
 * or held for a moderator (hidden when a moderator already hid it and this is an edit). A banned
 * member, a flood or a refused word is a problem thrown from here.
 */
export async function screen(
  db: Db,
  deps: Pick<ParticipationDeps, 'clock'>,
  post: { kind: ContentKind; contentId: string; memberId: string; text: string; storeId?: string | null },
) {
  return screenContent({ db, clock: deps.clock }, post)
}
