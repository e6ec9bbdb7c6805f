import { Type } from 'typebox'
import { Text } from '../../../../platform/http/schemas.js'
import { defineTool, ToolRefused } from '../tools.js'

const Sku = Text({ minLength: 1, maxLength: 100 })
const Pin = Type.Object({ sku: Type.String(), name: Type.String(), pinnedBy: Type.String(), votes: Type.Array(Type.String()) })

/** A shared look board: everyone pins products from the catalogue (up to 24) and votes for the ones they like. */
export const lookBoard = defineTool({
  id: 'look-board',
  version: 1,
  title: 'Look board',
  options: Type.Object({ title: Type.Optional(Text({ maxLength: 120 })) }, { additionalProperties: false }),
  state: Type.Object({ title: Type.String(), pins: Type.Array(Pin, { maxItems: 24 }) }),
  message: Type.Union([
    Type.Object({ kind: Type.Literal('pin'), sku: Sku }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('unpin'), sku: Sku }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('vote'), sku: Sku }, { additionalProperties: false }),
  ]),
  init: (options) => ({ title: options.title ?? 'Our look', pins: [] }),
  reduce: async (state, message, context) => {
    const me = context.participant.id
    const pinned = state.pins.find((p) => p.sku === message.sku)
    if (message.kind === 'pin') {
      if (pinned) return state
      if (state.pins.length >= 24) throw new ToolRefused('look-board', 'The board holds 24 products; unpin one first.')
      const product = await context.product(message.sku)
      return { ...state, pins: [...state.pins, { sku: product.sku, name: product.name, pinnedBy: me, votes: [] }] }
    }
    if (!pinned) throw new ToolRefused('look-board', `${message.sku} is not on the board.`)
    if (message.kind === 'unpin') {
      if (pinned.pinnedBy !== me && context.participant.role !== 'host') throw new ToolRefused('look-board', 'Only who pinned it, or the host, unpins it.')
      return { ...state, pins: state.pins.filter((p) => p.sku !== message.sku) }
    }
    const votes = pinned.votes.includes(me) ? pinned.votes.filter((v) => v !== me) : [...pinned.votes, me]
    return { ...state, pins: state.pins.map((p) => (p.sku === message.sku ? { ...p, votes } : p)) }
  },
})
