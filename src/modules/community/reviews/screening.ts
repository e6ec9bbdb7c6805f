import type { Db } from '../../../platform/db/index.js'
import type { ParticipationDeps } from './participation.js'

export type ContentKind = 'review' | 'question' | 'answer' | 'reply'

/**
 * What moderation says of a new post: published, or held for a moderator. Until the moderation
 * part is wired in (its `screenContent`), every post is published.
 */
export async function screen(
  _db: Db,
  _deps: ParticipationDeps,
  _post: { kind: ContentKind; contentId: string; memberId: string; text: string; storeId?: string | null },
): Promise<{ status: 'published' | 'held' }> {
  return { status: 'published' }
}
