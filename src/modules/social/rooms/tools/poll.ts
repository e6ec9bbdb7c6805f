import { Type } from 'typebox'
import { Text } from '../../../../platform/http/schemas.js'
import { defineTool, ToolRefused } from '../tools.js'

const Option = Type.Object(
  { label: Text({ minLength: 1, maxLength: 80 }), sku: Type.Optional(Text({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
)

/**
 * "Which one?": a question with 2–6 options, one vote each (changeable), closed by whoever opened it.
 * Version 2 names its messages by `kind`; version 1 clients sent `{ vote: n }`, still read as a vote.
 */
export const poll = defineTool({
  id: 'poll',
  version: 2,
  title: 'Which one?',
  options: Type.Object(
    { question: Text({ minLength: 1, maxLength: 200 }), options: Type.Array(Option, { minItems: 2, maxItems: 6 }) },
    { additionalProperties: false },
  ),
  state: Type.Object({
    question: Type.String(),
    options: Type.Array(Option),
    votes: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    closed: Type.Boolean(),
  }),
  message: Type.Union([
    Type.Object({ kind: Type.Literal('vote'), option: Type.Integer({ minimum: 0, maximum: 5 }) }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('close') }, { additionalProperties: false }),
  ]),
  accepts: { 1: (sent) => ({ kind: 'vote' as const, option: (sent as { vote: number }).vote }) },
  init: (options) => ({ question: options.question, options: options.options, votes: {}, closed: false }),
  reduce: (state, message, context) => {
    if (state.closed) throw new ToolRefused('poll', 'The poll is closed.')
    if (message.kind === 'close') {
      if (context.participant.id !== context.openedBy && context.participant.role !== 'host')
        throw new ToolRefused('poll', 'Only who asked, or the host, closes the poll.')
      return { ...state, closed: true }
    }
    if (message.option >= state.options.length) throw new ToolRefused('poll', `There are ${state.options.length} options.`)
    return { ...state, votes: { ...state.votes, [context.participant.id]: message.option } }
  },
})
