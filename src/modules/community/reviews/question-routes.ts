import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { callerIfAny, callerOf, myMemberId, staffOf } from '../../../platform/auth/caller.js'
import type { Deps } from '../../../platform/deps.js'
import { Id, Ref, Text } from '../../../platform/http/schemas.js'
import { AnswerInput, BestAnswer, ProductQuestions, Question, QuestionInput } from './api-schemas.js'
import { answerQuestion, askQuestion, chooseBestAnswer, myQuestions, productQuestionsPage, questionsToAnswer } from './questions.js'

const Sku = Type.Object({ sku: Text({ minLength: 1, maxLength: 100 }) })
const QuestionParams = Type.Object({ questionId: Id })

/** Questions: anyone reads them, members ask, members and associates answer, the asker picks the best. */
export const questionRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  for (const schema of [Question, ProductQuestions]) app.addSchema(schema)
  const tags = ['questions']
  const member = { access: { member: true as const } }

  app.get(
    '/products/:sku/questions',
    {
      config: { access: { public: true } },
      schema: { tags, summary: 'A product’s questions and their answers', params: Sku, response: { 200: Ref(ProductQuestions) } },
    },
    async (request) => productQuestionsPage(deps.db, request.params.sku, callerIfAny(request)),
  )
  app.post(
    '/products/:sku/questions',
    { config: member, schema: { tags, summary: 'Ask about a product', params: Sku, body: QuestionInput, response: { 201: Ref(Question) } } },
    async (request, reply) => reply.code(201).send(await askQuestion(deps, myMemberId(request), request.params.sku, request.body.body)),
  )
  app.post(
    '/questions/:questionId/answers',
    {
      config: { access: { member: true, staff: 'associate' } },
      schema: {
        tags,
        summary: 'Answer a question (members who know the product, and associates with their staff badge)',
        params: QuestionParams,
        body: AnswerInput,
        response: { 201: Ref(Question) },
      },
    },
    async (request, reply) => reply.code(201).send(await answerQuestion(deps, callerOf(request), request.params.questionId, request.body.body)),
  )
  app.put(
    '/questions/:questionId/best-answer',
    {
      config: member,
      schema: { tags, summary: 'Choose the best answer to my question', params: QuestionParams, body: BestAnswer, response: { 200: Ref(Question) } },
    },
    async (request) => chooseBestAnswer(deps.db, myMemberId(request), request.params.questionId, request.body.answerId),
  )
  app.get(
    '/me/questions',
    { config: member, schema: { tags, summary: 'My questions and their answers', response: { 200: Type.Object({ items: Type.Array(Ref(Question)) }) } } },
    async (request) => ({ items: await myQuestions(deps.db, myMemberId(request)) }),
  )
  app.get(
    '/associate/questions',
    {
      config: { access: { staff: 'associate' } },
      schema: {
        tags,
        summary: 'Questions nobody has answered yet, about products my stores sold (oldest first)',
        response: { 200: Type.Object({ items: Type.Array(Ref(Question)) }) },
      },
    },
    async (request) => ({ items: await questionsToAnswer(deps.db, staffOf(request)) }),
  )
}
