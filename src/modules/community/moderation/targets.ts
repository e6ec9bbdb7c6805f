import type { Db } from '../../../platform/db/index.js'
import type { ContentKind } from './schema.js'

/** What a content owner tells the moderation queue about one of its items. */
export interface DescribedContent {
  contentId: string
  /** The text as the author wrote it now (the queue shows it as text, never as HTML). */
  text: string
  /** A short line naming what it is about ("Review of Blue mug", "Idea: oat milk in Camden"). */
  about?: string
  /** A path in the web app where it is shown. */
  link?: string
}

/**
 * A kind of community content the queue can hide and restore. The owner does the consequences in
 * the same transaction (reviews take back points when hidden; ideas drop out of the board), so
 * moderation never writes another part's tables. Registered in src/composition.ts.
 */
export interface ModerationTarget {
  kind: ContentKind
  /** Shows or hides the item; `byUserId` is the moderator (null: the system). */
  setVisible(db: Db, contentId: string, visible: boolean, byUserId: string | null): Promise<void>
  /** The items' current text, for the queue; a missing id is left out. */
  describe(db: Db, contentIds: string[]): Promise<DescribedContent[]>
}

declare module '../../../platform/deps.js' {
  interface Wiring {
    /** The content kinds the moderation queue can hide and restore (reviews, questions, ideas, …). */
    moderationTargets: ModerationTarget[]
  }
}
