import { Type } from 'typebox'
import { Text } from '../../../../platform/http/schemas.js'
import { defineTool, ToolRefused } from '../tools.js'

const Sku = Text({ minLength: 1, maxLength: 100 })
const Question = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  askedBy: Type.String(),
  /** Sizes the asker recorded in their tastes: the first suggestion, before anyone answers. */
  recorded: Type.Array(Type.String()),
  answers: Type.Array(Type.Object({ by: Type.String(), staff: Type.Boolean(), size: Type.String(), note: Type.String() })),
})

/** Size advice: a member asks about a product; their recorded sizes come first, then the associate (badged as staff) or friends answer. */
export const sizeAdvice = defineTool({
  id: 'size-advice',
  version: 1,
  title: 'Size advice',
  options: Type.Object({}, { additionalProperties: false }),
  state: Type.Object({ questions: Type.Array(Question, { maxItems: 50 }) }),
  message: Type.Union([
    Type.Object({ kind: Type.Literal('ask'), sku: Sku }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('answer'),
        question: Type.Integer({ minimum: 0 }),
        size: Text({ minLength: 1, maxLength: 20 }),
        note: Type.Optional(Text({ maxLength: 300 })),
      },
      { additionalProperties: false },
    ),
  ]),
  init: () => ({ questions: [] }),
  reduce: async (state, message, context) => {
    if (message.kind === 'ask') {
      if (state.questions.length >= 50) throw new ToolRefused('size-advice', 'Fifty questions is the most one board keeps.')
      const product = await context.product(message.sku)
      const recorded = context.participant.memberId ? await context.recordedSizes(context.participant.memberId) : []
      return { questions: [...state.questions, { sku: product.sku, name: product.name, askedBy: context.participant.id, recorded, answers: [] }] }
    }
    const question = state.questions[message.question]
    if (!question) throw new ToolRefused('size-advice', 'No such question.')
    const answer = { by: context.participant.id, staff: context.participant.role === 'associate', size: message.size, note: message.note ?? '' }
    return { questions: state.questions.map((q, i) => (i === message.question ? { ...q, answers: [...q.answers, answer] } : q)) }
  },
})
