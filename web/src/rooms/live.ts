/** A room's live socket in the browser: catches up from the last number it saw, reconnects by itself, and folds events into what the page shows. */
import { useEffect, useReducer, useRef, useState } from 'react'
import type { Static } from 'typebox'
import type * as rooms from '../../../src/modules/social/rooms/api-schemas.js'

export type Room = Static<typeof rooms.Room>
export type RoomListing = Static<typeof rooms.RoomListing>
export type RoomSuggestion = Static<typeof rooms.Suggestion>
export type AssociateRequest = Static<typeof rooms.AssociateRequest>

export interface RoomEvent {
  seq: number
  at: string
  kind: string
  participant: string | null
  body: Record<string, unknown>
}

export interface CartLine {
  id: string
  sku: string
  name: string
  quantity: number
  unitPriceMinor: number
  currency: string
  inStock: boolean
  addedBy: string
  addedByName: string
}
export interface Cart {
  cartId: string
  payment: 'host_pays' | 'own_lines' | 'split_even'
  spendCapMinor: number | null
  locked: boolean
  checkedOut: boolean
  currency: string
  totalMinor: number
  lines: CartLine[]
  payers: { participantId: string; name: string; amountMinor: number }[]
}
export interface ProductCard {
  sku: string
  name: string
  priceMinor: number | null
  currency: string
  inStock: boolean
}

export interface RoomState {
  last: number
  names: Record<string, string>
  staff: Record<string, boolean>
  online: Record<string, number>
  viewing: Record<string, string | null>
  chat: { seq: number; participant: string | null; text: string; at: string; reactions: Record<string, number> }[]
  cards: { seq: number; participant: string | null; product: ProductCard; note: string | null; staff: boolean }[]
  cart: Cart | null
  follow: { participant: string | null; product: ProductCard; seq: number } | null
  associateRequested: string | null
  ended: boolean
  removed: string[]
}

const empty: RoomState = {
  last: 0,
  names: {},
  staff: {},
  online: {},
  viewing: {},
  chat: [],
  cards: [],
  cart: null,
  follow: null,
  associateRequested: null,
  ended: false,
  removed: [],
}

/** Applies one event; events come in order and once, so this is a plain fold. */
export function applyEvent(state: RoomState, e: RoomEvent): RoomState {
  if (e.seq <= state.last) return state
  const next = { ...state, last: e.seq }
  const who = e.participant ?? ''
  switch (e.kind) {
    case 'member.joined':
    case 'associate.joined':
      return { ...next, names: { ...state.names, [who]: String(e.body.name) }, staff: { ...state.staff, [who]: e.kind === 'associate.joined' } }
    case 'presence.online':
      return { ...next, online: { ...state.online, [who]: (state.online[who] ?? 0) + 1 } }
    case 'presence.offline':
      return { ...next, online: { ...state.online, [who]: Math.max(0, (state.online[who] ?? 0) - 1) } }
    case 'presence.viewing':
      return { ...next, viewing: { ...state.viewing, [who]: (e.body.sku as string | null) ?? null } }
    case 'presence.follow':
      return { ...next, follow: { participant: e.participant, product: e.body.product as ProductCard, seq: e.seq } }
    case 'chat.message':
      return { ...next, chat: [...state.chat, { seq: e.seq, participant: e.participant, text: String(e.body.text), at: e.at, reactions: {} }].slice(-200) }
    case 'chat.reaction':
      return {
        ...next,
        chat: state.chat.map((m) =>
          m.seq === e.body.seq ? { ...m, reactions: { ...m.reactions, [String(e.body.emoji)]: (m.reactions[String(e.body.emoji)] ?? 0) + 1 } } : m,
        ),
      }
    case 'product.card':
      return {
        ...next,
        cards: [
          {
            seq: e.seq,
            participant: e.participant,
            product: e.body.product as ProductCard,
            note: (e.body.note as string | null) ?? null,
            staff: e.body.staff === true,
          },
          ...state.cards,
        ].slice(0, 20),
      }
    case 'cart.changed':
    case 'cart.checked_out':
      return { ...next, cart: e.body.cart as Cart }
    case 'associate.requested':
      return { ...next, associateRequested: String(e.body.storeName) }
    case 'participant.removed':
      return { ...next, removed: [...state.removed, String(e.body.participantId)] }
    case 'room.ended':
      return { ...next, ended: true }
    default:
      return next
  }
}

type Status = 'connecting' | 'live' | 'reconnecting' | 'closed'

/**
 * The room as its events tell it. The socket sends `after=<last>` on every (re)connect, so a
 * dropped connection or a restarted server costs nothing: the gap comes from the database.
 */
export function useRoomSocket(roomId: string, enabled: boolean) {
  const [state, apply] = useReducer((s: RoomState, events: RoomEvent[]) => events.reduce(applyEvent, s), empty)
  const [status, setStatus] = useState<Status>('connecting')
  const [error, setError] = useState<string | null>(null)
  const socket = useRef<WebSocket | null>(null)
  const last = useRef(0)
  last.current = state.last

  useEffect(() => {
    if (!enabled) return
    let stopped = false
    let retry = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const open = () => {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
      const ws = new WebSocket(`${scheme}://${location.host}/v1/rooms/${roomId}/live?after=${last.current}`)
      socket.current = ws
      ws.onmessage = (message) => {
        const frame = JSON.parse(String(message.data))
        if (frame.type === 'event') apply([frame])
        else if (frame.type === 'ready') {
          retry = 0
          setStatus('live')
        } else if (frame.type === 'error') setError(frame.message)
      }
      ws.onclose = (closed) => {
        if (stopped) return
        // 4403: removed; 4410: the room ended. Anything else: try again, a little later each time.
        if (closed.code === 4403 || closed.code === 4410) return setStatus('closed')
        setStatus('reconnecting')
        timer = setTimeout(open, Math.min(5000, 250 * 2 ** retry++))
      }
    }
    open()
    return () => {
      stopped = true
      clearTimeout(timer)
      socket.current?.close()
    }
  }, [roomId, enabled])

  const send = (message: Record<string, unknown>) => {
    setError(null)
    socket.current?.send(JSON.stringify({ ref: crypto.randomUUID(), ...message }))
  }
  return { state, status, error, send }
}
