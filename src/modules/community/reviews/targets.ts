import { inArray } from 'drizzle-orm'
import type { Db } from '../../../platform/db/index.js'
import { productNames } from '../../activity/index.js'
import type { ModerationTarget } from '../moderation/index.js'
import type { ParticipationDeps } from './participation.js'
import { setAnswerVisible, setQuestionVisible } from './questions.js'
import { setReviewVisible } from './reviews.js'
import { productAnswers, productQuestions, productReviews } from './schema.js'

/** "Review of Wool scarf" and its page, for the queue. */
async function described(db: Db, rows: { id: string; sku: string; text: string }[], what: string) {
  const names = await productNames(
    db,
    rows.map((r) => r.sku),
  )
  return rows.map((r) => ({
    contentId: r.id,
    text: r.text,
    about: `${what} ${names.get(r.sku)?.name ?? r.sku}`,
    link: `/products/${encodeURIComponent(r.sku)}`,
  }))
}

/**
 * Reviews, questions and answers as the moderation queue hides and restores them. The queue hands
 * only its transaction; the rest of the deps (clock, config, the wiring that rewards activity) are
 * the app's, bound here once by composeDeps.
 */
export function reviewModerationTargets(deps: ParticipationDeps): ModerationTarget[] {
  return [
    {
      kind: 'review',
      setVisible: (db, id, visible) => setReviewVisible({ ...deps, db }, db, id, visible),
      describe: async (db, ids) =>
        described(
          db,
          (await db.select().from(productReviews).where(inArray(productReviews.id, ids))).map((r) => ({ id: r.id, sku: r.sku, text: `${r.title}\n${r.body}` })),
          'Review of',
        ),
    },
    {
      kind: 'question',
      setVisible: (db, id, visible) => setQuestionVisible(db, id, visible),
      describe: async (db, ids) =>
        described(
          db,
          (await db.select().from(productQuestions).where(inArray(productQuestions.id, ids))).map((q) => ({ id: q.id, sku: q.sku, text: q.body })),
          'Question about',
        ),
    },
    {
      kind: 'answer',
      setVisible: (db, id, visible) => setAnswerVisible({ ...deps, db }, db, id, visible),
      describe: async (db, ids) =>
        described(
          db,
          (await db.select().from(productAnswers).where(inArray(productAnswers.id, ids))).map((a) => ({ id: a.id, sku: a.sku, text: a.body })),
          'Answer about',
        ),
    },
  ]
}
