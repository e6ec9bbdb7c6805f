import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { StaffPrincipal } from '../../../platform/auth/caller.js'
import type { Principal } from '../../../platform/auth/principal.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { boughtProducts, productNames, storesSelling } from '../../activity/index.js'
import { publicNames } from '../../members/index.js'
import { notify } from '../notifications/index.js'
import { type ParticipationDeps, recordParticipation, settlePoints } from './participation.js'
import { renderMarkdown } from './render.js'
import { productOf, productShown, storeNameOf } from './reviews.js'
import { productAnswers, productQuestions } from './schema.js'
import { screen } from './screening.js'

export class OwnQuestion extends DomainError {
  constructor() {
    super('/problems/own-question', 409, 'You cannot answer your own question', {}, 'Other members and our associates answer it; you choose the best answer.')
  }
}

export class NotAnAnswer extends DomainError {
  constructor(answerId: string) {
    super(
      '/problems/not-an-answer',
      422,
      'That answer is not one of this question’s',
      { field: 'answerId', answerId },
      'Choose one of the answers shown under your question.',
    )
  }
}

export class NotABuyer extends DomainError {
  constructor() {
    super(
      '/problems/not-a-buyer',
      403,
      'Only members who bought it can answer',
      {},
      'Answers come from members who bought this product (in a shop, in the app or online) and from our associates. You can ask a question of your own instead.',
    )
  }
}

/** A member asks about a product; everyone sees it once moderation lets it through. */
export async function askQuestion(deps: ParticipationDeps, memberId: string, sku: string, body: string) {
  await productOf(deps.db, sku)
  const id = newId()
  await deps.db.transaction(async (tx) => {
    const { status } = await screen(tx, deps, { kind: 'question', contentId: id, memberId, text: body })
    await tx.insert(productQuestions).values({ sku, id, memberId, body, status, askedAt: deps.clock.now() })
  })
  return questionById(deps.db, memberId, id)
}

/**
 * An answer by a member (their first published answer to a question records question_answered
 * once, so the rules reward it) or by an associate, signed with their name and store.
 */
export async function answerQuestion(deps: ParticipationDeps, caller: Principal, questionId: string, body: string) {
  const question = await publishedQuestion(deps.db, questionId)
  const id = newId()
  await deps.db.transaction(async (tx) => {
    if (caller.kind === 'staff') {
      const storeName = await storeNameOf(tx, caller)
      await tx.insert(productAnswers).values({
        sku: question.sku,
        id,
        questionId,
        authorUserId: caller.userId,
        authorName: caller.displayName,
        storeName,
        body,
        status: 'published',
        staff: true,
        answeredAt: deps.clock.now(),
      })
      await tellAsker(deps, tx, question, id, `${caller.displayName}${storeName ? ` at ${storeName}` : ''}`, body)
      return
    }
    if (caller.kind !== 'member') throw new NotFound('Question', questionId)
    if (question.memberId === caller.memberId) throw new OwnQuestion()
    if ((await boughtProducts(tx, [{ memberId: caller.memberId, sku: question.sku }])).size === 0) throw new NotABuyer()
    const { status } = await screen(tx, deps, { kind: 'answer', contentId: id, memberId: caller.memberId, text: body })
    await tx.insert(productAnswers).values({ sku: question.sku, id, questionId, memberId: caller.memberId, body, status, answeredAt: deps.clock.now() })
    if (status === 'published') await publishAnswer(deps, tx, { sku: question.sku, id, questionId, memberId: caller.memberId })
  })
  return questionById(deps.db, caller.kind === 'member' ? caller.memberId : null, questionId, { staff: caller.kind === 'staff' })
}

async function publishAnswer(deps: ParticipationDeps, db: Db, answer: { sku: string; id: string; questionId: string; memberId: string }) {
  const [fresh] = await queryRows<{ id: string }>(
    db,
    sql`update product_answers set activity_id = ${newId()} where sku = ${answer.sku} and id = ${answer.id} and activity_id is null returning id`,
  )
  if (!fresh) return
  const [question] = await db
    .select()
    .from(productQuestions)
    .where(and(eq(productQuestions.sku, answer.sku), eq(productQuestions.id, answer.questionId)))
  const [body] = await queryRows<{ body: string }>(db, sql`select body from product_answers where sku = ${answer.sku} and id = ${answer.id}`)
  if (question) await tellAsker(deps, db, question, answer.id, 'A member', body?.body ?? '')
  const product = await productOf(db, answer.sku)
  const activityId = await recordParticipation(deps, db, {
    kind: 'question_answered',
    memberId: answer.memberId,
    contentId: answer.id,
    sku: answer.sku,
    details: { questionId: answer.questionId, answerId: answer.id, productName: product.name },
  })
  await db
    .update(productAnswers)
    .set({ activityId })
    .where(and(eq(productAnswers.sku, answer.sku), eq(productAnswers.id, answer.id)))
}

/** Tells the asker their question has an answer (once per answer), in the answer's transaction. */
async function tellAsker(
  deps: Pick<ParticipationDeps, 'clock'>,
  db: Db,
  question: { sku: string; memberId: string; body: string },
  answerId: string,
  by: string,
  body: string,
) {
  const product = await productOf(db, question.sku)
  await notify(
    { db, clock: deps.clock },
    {
      recipients: [{ memberId: question.memberId }],
      kind: 'answer',
      title: `${by} answered your question about ${product.name}`,
      body: body.length > 280 ? `${body.slice(0, 279)}…` : body,
      key: `question-answer:${answerId}`,
    },
  )
}

/** The asker marks the answer that helped; choosing another replaces it. */
export async function chooseBestAnswer(db: Db, memberId: string, questionId: string, answerId: string) {
  const [question] = await db
    .select()
    .from(productQuestions)
    .where(and(eq(productQuestions.id, questionId), eq(productQuestions.memberId, memberId)))
  if (!question) throw new NotFound('Question', questionId)
  const [answer] = await db
    .select({ id: productAnswers.id })
    .from(productAnswers)
    .where(
      and(
        eq(productAnswers.sku, question.sku),
        eq(productAnswers.questionId, questionId),
        eq(productAnswers.id, answerId),
        eq(productAnswers.status, 'published'),
      ),
    )
  if (!answer) throw new NotAnAnswer(answerId)
  await db
    .update(productQuestions)
    .set({ bestAnswerId: answerId })
    .where(and(eq(productQuestions.sku, question.sku), eq(productQuestions.id, questionId)))
  return questionById(db, memberId, questionId)
}

async function publishedQuestion(db: Db, questionId: string) {
  const [question] = await db
    .select()
    .from(productQuestions)
    .where(and(eq(productQuestions.id, questionId), eq(productQuestions.status, 'published')))
  if (!question) throw new NotFound('Question', questionId)
  return question
}

type QuestionRow = typeof productQuestions.$inferSelect

/** Questions as readers see them: the asker's public name, published answers (best first), badges. */
export async function presentQuestions(db: Db, rows: QuestionRow[], viewerId: string | null, { staff = false } = {}) {
  if (rows.length === 0) return []
  const answers = await db
    .select()
    .from(productAnswers)
    .where(
      and(
        inArray(
          productAnswers.questionId,
          rows.map((q) => q.id),
        ),
        staff ? undefined : sql`(${productAnswers.status} = 'published' or ${productAnswers.memberId} = ${viewerId ?? null}::uuid)`,
      ),
    )
    .orderBy(productAnswers.answeredAt)
  const members = [...rows.map((q) => q.memberId), ...answers.flatMap((a) => (a.memberId ? [a.memberId] : []))]
  const [names, bought, products] = await Promise.all([
    publicNames(db, members),
    boughtProducts(
      db,
      answers.flatMap((a) => (a.memberId ? [{ memberId: a.memberId, sku: a.sku }] : [])),
    ),
    productNames(
      db,
      rows.map((q) => q.sku),
    ),
  ])
  return rows.map((q) => {
    const mine = answers.filter((a) => a.questionId === q.id)
    const best = (a: (typeof mine)[number]) => (a.id === q.bestAnswerId ? 0 : 1)
    return {
      questionId: q.id,
      sku: q.sku,
      productName: products.get(q.sku)?.name ?? q.sku,
      body: q.body,
      bodyHtml: renderMarkdown(q.body),
      askedBy: { name: names.get(q.memberId) ?? 'A member', ...(staff ? { memberId: q.memberId } : {}) },
      mine: viewerId === q.memberId,
      status: q.status,
      askedAt: q.askedAt.toISOString(),
      bestAnswerId: q.bestAnswerId,
      answers: [...mine]
        .sort((a, b) => best(a) - best(b))
        .map((a) => ({
          answerId: a.id,
          body: a.body,
          bodyHtml: renderMarkdown(a.body),
          best: a.id === q.bestAnswerId,
          status: a.status,
          mine: viewerId !== null && a.memberId === viewerId,
          author: a.staff
            ? { kind: 'staff' as const, name: a.authorName ?? 'Our team', storeName: a.storeName, staffBadge: true, boughtIt: false }
            : {
                kind: 'member' as const,
                name: names.get(a.memberId as string) ?? 'A member',
                storeName: null,
                staffBadge: false,
                boughtIt: bought.has(`${a.memberId}|${a.sku}`),
                ...(staff ? { memberId: a.memberId as string } : {}),
              },
          answeredAt: a.answeredAt.toISOString(),
        })),
    }
  })
}

export async function questionById(db: Db, viewerId: string | null, questionId: string, { staff = false } = {}) {
  const rows = await db.select().from(productQuestions).where(eq(productQuestions.id, questionId))
  const row = rows.find((q) => staff || q.status === 'published' || q.memberId === viewerId)
  if (!row) throw new NotFound('Question', questionId)
  const [question] = await presentQuestions(db, [row], viewerId, { staff })
  return question
}

/** A product's questions, newest first (the viewer's own whatever their status), and whether the caller may answer them. */
export async function productQuestionsPage(db: Db, sku: string, caller: Principal | undefined, { limit = 20 } = {}) {
  const product = await productOf(db, sku)
  const viewerId = caller?.kind === 'member' ? caller.memberId : null
  const rows = await db
    .select()
    .from(productQuestions)
    .where(
      and(
        eq(productQuestions.sku, sku),
        viewerId ? sql`(${productQuestions.status} = 'published' or ${productQuestions.memberId} = ${viewerId})` : eq(productQuestions.status, 'published'),
      ),
    )
    .orderBy(desc(productQuestions.askedAt))
    .limit(limit)
  const mayAnswer = caller?.kind === 'staff' || (viewerId !== null && (await boughtProducts(db, [{ memberId: viewerId, sku }])).size > 0)
  return { product: productShown(product), mayAnswer, questions: await presentQuestions(db, rows, viewerId) }
}

export async function myQuestions(db: Db, memberId: string) {
  const rows = await db.select().from(productQuestions).where(eq(productQuestions.memberId, memberId)).orderBy(desc(productQuestions.askedAt))
  return presentQuestions(db, rows, memberId)
}

/**
 * The associate console's "questions to answer": published questions nobody has answered yet,
 * oldest first, for the products the associate's stores sold (a store-held login); staff held to
 * no store see all.
 */
export async function questionsToAnswer(db: Db, staff: StaffPrincipal, { limit = 50 } = {}) {
  const open = await db
    .select()
    .from(productQuestions)
    .where(
      and(
        eq(productQuestions.status, 'published'),
        sql`not exists (select 1 from product_answers a where a.sku = ${productQuestions.sku} and a.question_id = ${productQuestions.id} and a.status = 'published')`,
      ),
    )
    .orderBy(productQuestions.askedAt)
    .limit(500)
  const held = staff.role !== 'admin' && staff.storeIds.length > 0
  const selling = held
    ? await storesSelling(
        db,
        open.map((q) => q.sku),
      )
    : new Map<string, string[]>()
  const mine = held ? open.filter((q) => (selling.get(q.sku) ?? []).some((s) => staff.storeIds.includes(s))) : open
  return presentQuestions(db, mine.slice(0, limit), null, { staff: true })
}

/** Moderation: a hidden question leaves the product page; a hidden member answer gives back its points. */
export async function setQuestionVisible(db: Db, questionId: string, visible: boolean) {
  const changed = await db
    .update(productQuestions)
    .set({ status: visible ? 'published' : 'hidden' })
    .where(eq(productQuestions.id, questionId))
    .returning({ id: productQuestions.id })
  if (changed.length === 0) throw new NotFound('Question', questionId)
}

export async function setAnswerVisible(deps: ParticipationDeps, db: Db, answerId: string, visible: boolean) {
  const [answer] = await db.select().from(productAnswers).where(eq(productAnswers.id, answerId)).for('update')
  if (!answer) throw new NotFound('Answer', answerId)
  const status = visible ? 'published' : 'hidden'
  if (answer.status === status) return
  await db
    .update(productAnswers)
    .set({ status })
    .where(and(eq(productAnswers.sku, answer.sku), eq(productAnswers.id, answerId)))
  if (!answer.memberId) return
  if (answer.activityId)
    await settlePoints(deps, db, answer.memberId, answer.activityId, visible, visible ? 'your answer is shown again' : 'your answer was hidden by a moderator')
  else if (visible) await publishAnswer(deps, db, { sku: answer.sku, id: answer.id, questionId: answer.questionId, memberId: answer.memberId })
}
