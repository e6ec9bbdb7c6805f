import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import Papa from 'papaparse'
import type { Db } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { publish } from '../../platform/outbox/index.js'
import { enrolMembers, type IdentifierKind, normaliseIdentifier, resolveIdentifiers } from '../members/index.js'
import { type HistoryFormat, type HistoryLine, missingColumns, type ReadOptions, type RejectedLine, readRow } from './history-formats.js'
import { channels, stores } from './schema.js'
import { upsertStores } from './service.js'
import { addProducts, claimReceipts, parkActivities, receiptKey, writeActivities } from './writer.js'

export interface ImportOptions {
  /** Names the system the history came from; with the order id it makes each order's idempotency key. */
  source: string
  /** What kind of identifier the file's member column holds. */
  memberKind: IdentifierKind
  timeZone: string
  /** Order lines per transaction. */
  chunkLines?: number
  onChunk?: (summary: ImportSummary) => void
  onReject?: (rejected: RejectedLine) => void
}

export interface ImportSummary {
  rowsRead: number
  linesImported: number
  purchases: number
  returns: number
  guestOrders: number
  membersMatched: number
  membersEnrolled: number
  /** Orders whose idempotency key was imported before: re-running a file imports nothing twice. */
  ordersAlreadyImported: number
  newProducts: number
  newStores: string[]
  rejected: number
  rejectedBecause: Record<string, number>
  seconds: number
}

export class UnreadableHistory extends DomainError {
  constructor(detail: string) {
    super('/problems/unreadable-history', 400, 'The history file cannot be imported', {}, detail)
    this.message = `The history file cannot be imported: ${detail}`
  }
}

interface Order {
  key: string
  member: string | null
  orderId: string
  kind: 'purchase' | 'return'
  channel: string
  store: string | null
  occurredAt: Date
  returnOf: string | null
  currency: string | null
  lines: HistoryLine[]
}

/** Reasons grouped without the values in them, so the summary says "quantity … is not a whole number: 12". */
const reasonClass = (reason: string) => reason.replace(/"[^"]*"/g, '…')

/**
 * Imports purchase history, order by order, a transaction per chunk: members found by identifier
 * or enrolled, unknown products and stores added, purchases and returns recorded with their lines,
 * guest orders parked. Each order's (source, key) receipt makes a re-run import nothing twice.
 * History is the past: it raises one `activity.imported` event per chunk, not `activity.recorded`
 * per order, so rewards do not pay out points for last year's purchases.
 */
export async function importHistory(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>,
  lines: AsyncIterable<(HistoryLine | RejectedLine)[]>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const began = performance.now()
  const { db, clock, config } = deps
  const summary: ImportSummary = {
    rowsRead: 0,
    linesImported: 0,
    purchases: 0,
    returns: 0,
    guestOrders: 0,
    membersMatched: 0,
    membersEnrolled: 0,
    ordersAlreadyImported: 0,
    newProducts: 0,
    newStores: [],
    rejected: 0,
    rejectedBecause: {},
    seconds: 0,
  }
  const knownChannels = new Set((await db.select({ code: channels.code }).from(channels)).map((c) => c.code))
  const storeIds = new Map((await db.select({ id: stores.id, code: stores.code }).from(stores)).map((s) => [s.code, s.id]))
  const memberIds = new Map<string, string>()
  const normalised = new Map<string, string | null>()
  const seenSkus = new Set<string>()
  const flushedOrders = new Set<string>()
  const newStoreCodes = new Set<string>()
  const storesRequested = new Set<string>()
  let pending = new Map<string, Order>()
  let pendingLines = 0
  let lastKey = ''
  const chunkLines = options.chunkLines ?? 20_000

  // Each member counted once, also when two chunks in flight both look them up.
  const counted = new Set<string>()
  const countMember = (value: string, how: 'matched' | 'enrolled') => {
    if (counted.has(value)) return
    counted.add(value)
    if (how === 'matched') summary.membersMatched++
    else summary.membersEnrolled++
  }

  const rejectLine = (rejected: RejectedLine) => {
    summary.rejected++
    const reason = reasonClass(rejected.reason)
    summary.rejectedBecause[reason] = (summary.rejectedBecause[reason] ?? 0) + 1
    options.onReject?.(rejected)
  }

  // Two chunks in the database (two connections on PostgreSQL) while the next one is read, so
  // parsing and both cores of the database overlap. Identifiers, products and receipts are
  // inserted in sorted order, so two chunks never deadlock; a member both chunks enrol waits on
  // the first one's row and then ends up as that member (enrolMembers).
  const inFlight: Promise<void>[] = []
  const flush = async () => {
    if (pending.size === 0) return
    const orders = [...pending.values()]
    const storesToAdd = [...newStoreCodes]
    pending = new Map()
    newStoreCodes.clear()
    pendingLines = 0
    for (const o of orders) flushedOrders.add(o.key)
    if (inFlight.length >= 2) await inFlight.shift()
    if (storesToAdd.length) {
      // New stores on their own, once nothing else is writing (PGlite has a single session).
      for (const written of inFlight.splice(0)) await written
      await addStores(storesToAdd)
    }
    const written = db.transaction((tx) => writeChunk(tx, orders)).then(() => options.onChunk?.(summary))
    written.catch(() => {}) // awaited later; this only keeps Node from calling it unhandled meanwhile
    inFlight.push(written)
  }

  const addStores = async (codes: string[]) => {
    // Stores the retailer has not set up yet: added under their code, to be named by an admin.
    const created = await upsertStores(
      db,
      codes.map((code) => ({ id: newId(), code, name: code, region: null, timezone: options.timeZone })),
    )
    for (const store of created) storeIds.set(store.code, store.id)
    summary.newStores.push(...codes)
  }

  const writeChunk = async (tx: Db, orders: Order[]) => {
    const now = clock.now()
    // Members: known ones from earlier chunks or the database, the rest enrolled as they first appeared.
    const unresolved = [...new Set(orders.flatMap((o) => (o.member && !memberIds.has(o.member) ? [o.member] : [])))]
    if (unresolved.length) {
      const held = await resolveIdentifiers(
        tx,
        unresolved.map((value) => ({ kind: options.memberKind, value })),
      )
      const firstOrder = new Map<string, Order>()
      for (const o of orders) if (o.member && !firstOrder.has(o.member)) firstOrder.set(o.member, o)
      const enrolments = []
      for (const value of unresolved) {
        const holder = held.get(`${options.memberKind}:${value}`)
        if (holder) {
          memberIds.set(value, holder)
          countMember(value, 'matched')
          continue
        }
        const first = firstOrder.get(value) as Order
        const id = newId()
        memberIds.set(value, id)
        enrolments.push({ member: { id, joinedAt: first.occurredAt, joinedChannel: first.channel }, identifiers: [{ kind: options.memberKind, value }] })
      }
      const lostTo = await enrolMembers(tx, enrolments, { defaultRegion: config.defaultRegion, at: now })
      for (const { member, identifiers } of enrolments) {
        const [{ value }] = identifiers
        const winner = lostTo.get(member.id)
        if (winner) memberIds.set(value, winner)
        // Lost to a chunk of this same import running alongside: that chunk counted it as enrolled.
        countMember(value, winner ? 'matched' : 'enrolled')
      }
    }

    summary.newProducts += await addProducts(
      tx,
      orders.flatMap((o) =>
        o.lines.flatMap((l) => {
          if (seenSkus.has(l.sku)) return []
          seenSkus.add(l.sku)
          return [{ sku: l.sku, name: l.productName ?? l.sku, category: l.category?.split(' > ') ?? [], priceMinor: l.unitPriceMinor }]
        }),
      ),
      config.currency,
    )

    // The receipt decides: an order imported before (or by a racing import) inserts nothing here.
    const planned = orders.map((o) => ({ order: o, activityId: newId(), memberId: o.member ? (memberIds.get(o.member) as string) : null }))
    const fresh = await claimReceipts(
      tx,
      'server',
      planned.map((p) => ({
        source: options.source,
        idempotencyKey: p.order.key,
        requestHash: null,
        result: p.memberId ? { status: 'recorded', activityId: p.activityId, memberId: p.memberId } : { status: 'parked', parkedId: p.activityId },
      })),
      now,
    )
    summary.ordersAlreadyImported += planned.length - fresh.size
    const toWrite = planned.filter((p) => fresh.has(receiptKey(options.source, p.order.key)))
    const forMembers = toWrite.filter((p) => p.memberId)
    await writeActivities(
      { db: tx, wiring: deps.wiring },
      forMembers.map((p) => ({
        id: p.activityId,
        memberId: p.memberId as string,
        kind: p.order.kind,
        channel: p.order.channel,
        storeId: p.order.store ? (storeIds.get(p.order.store) ?? null) : null,
        occurredAt: p.order.occurredAt,
        source: options.source,
        idempotencyKey: p.order.key,
        orderRef: p.order.orderId,
        returnOf: p.order.returnOf,
        currency: p.order.currency,
        details: {},
        lines: p.order.lines,
      })),
      now,
      { announce: false, currency: config.currency },
    )
    for (const p of forMembers) {
      summary.linesImported += p.order.lines.length
      summary[p.order.kind === 'return' ? 'returns' : 'purchases']++
    }
    // Guests: kept whole as parked activity under their order reference; no member to attach them to yet.
    const guests = toWrite.filter((p) => !p.memberId)
    await parkActivities(
      tx,
      guests.map((p) => ({
        id: p.activityId,
        identifier: { kind: 'guest_order', value: `${options.source}:${p.order.orderId}` },
        activity: {
          kind: p.order.kind,
          channel: p.order.channel,
          store: p.order.store ?? undefined,
          occurredAt: p.order.occurredAt.toISOString(),
          source: options.source,
          idempotencyKey: p.order.key,
          orderRef: p.order.orderId,
          ...(p.order.returnOf ? { returnOf: p.order.returnOf } : {}),
          ...(p.order.currency ? { currency: p.order.currency } : {}),
          lines: p.order.lines.map((l) => ({ sku: l.sku, quantity: Math.abs(l.quantity), unitPrice: l.unitPriceMinor, discount: l.discountMinor })),
          activityId: p.activityId,
          storeId: p.order.store ? (storeIds.get(p.order.store) ?? null) : null,
        },
      })),
      now,
    )
    summary.guestOrders += guests.length
    summary.linesImported += guests.reduce((n, p) => n + p.order.lines.length, 0)
    if (toWrite.length) {
      const times = toWrite.map((p) => p.order.occurredAt.getTime())
      await publish(tx, now, [
        {
          topic: 'activity.imported',
          payload: {
            source: options.source,
            activities: forMembers.length,
            guestOrders: guests.length,
            from: new Date(Math.min(...times)).toISOString(),
            to: new Date(Math.max(...times)).toISOString(),
          },
        },
      ])
    }
  }

  for await (const batch of lines)
    for (const item of batch) {
      summary.rowsRead++
      if ('reason' in item) {
        rejectLine(item)
        continue
      }
      if (!knownChannels.has(item.channel)) {
        rejectLine({ line: item.line, raw: {}, reason: `unknown channel "${item.channel}"; an admin can add it` })
        continue
      }
      let member: string | null = null
      if (item.member !== null) {
        if (!normalised.has(item.member)) normalised.set(item.member, normaliseIdentifier(options.memberKind, item.member, config.defaultRegion) ?? null)
        member = normalised.get(item.member) ?? null
        if (member === null) {
          rejectLine({ line: item.line, raw: {}, reason: `member "${item.member}" is not a valid ${options.memberKind}` })
          continue
        }
      }
      if (item.store && !storeIds.has(item.store) && !storesRequested.has(item.store)) {
        storesRequested.add(item.store)
        newStoreCodes.add(item.store)
      }
      // Member and order make the key (order ids may repeat across members); a guest has an empty member part.
      const key = `${member ?? ''}/${item.orderId}:${item.kind}`
      if (key !== lastKey && pendingLines >= chunkLines) await flush()
      lastKey = key
      if (flushedOrders.has(key)) {
        rejectLine({
          line: item.line,
          raw: {},
          reason: `order "${item.orderId}" was already imported from earlier lines of this file; keep an order's lines together`,
        })
        continue
      }
      let order = pending.get(key)
      if (!order) {
        order = {
          key,
          member,
          orderId: item.orderId,
          kind: item.kind,
          channel: item.channel,
          store: item.store,
          occurredAt: item.occurredAt,
          returnOf: item.returnOf,
          currency: item.currency,
          lines: [],
        }
        pending.set(key, order)
      }
      order.lines.push(item)
      pendingLines++
    }
  await flush()
  for (const written of inFlight) await written
  summary.seconds = (performance.now() - began) / 1000
  return summary
}

/** Papaparse's chunk callback as an async iterator: a chunk at a time, the file paused meanwhile. */
async function* parsedChunks(stream: Readable): AsyncGenerator<{ rows: Record<string, string>[]; fields: string[] }> {
  type Delivery = { rows: Record<string, string>[]; fields: string[]; parser: Papa.Parser } | { done: true } | { error: Error }
  const deliveries: Delivery[] = []
  let wake: (() => void) | undefined
  const deliver = (delivery: Delivery) => {
    deliveries.push(delivery)
    wake?.()
  }
  Papa.parse<Record<string, string>>(stream as unknown as File, {
    header: true,
    skipEmptyLines: 'greedy',
    chunk: (results, parser) => {
      parser.pause()
      deliver({ rows: results.data, fields: results.meta.fields ?? [], parser })
    },
    complete: () => deliver({ done: true }),
    error: (error: Error) => deliver({ error }),
  })
  for (;;) {
    if (deliveries.length === 0) await new Promise<void>((resolve) => (wake = resolve))
    const delivery = deliveries.shift() as Delivery
    if ('done' in delivery) return
    if ('error' in delivery) throw delivery.error
    yield { rows: delivery.rows, fields: delivery.fields }
    delivery.parser.resume()
  }
}

/**
 * Streams a history CSV as batches of order lines or rejections. Stops at the header when a column
 * the format needs is missing. `bytesRead` tells a progress bar how far it got.
 */
export async function openHistoryFile(path: string, format: HistoryFormat, options: ReadOptions) {
  const size = (await stat(path)).size
  const file = createReadStream(path)
  const read = readRow[format]
  async function* lines(): AsyncGenerator<(HistoryLine | RejectedLine)[]> {
    let line = 1
    let checked = false
    for await (const { rows, fields } of parsedChunks(file)) {
      if (!checked) {
        const missing = missingColumns(format, fields)
        if (missing.length) {
          file.destroy()
          throw new UnreadableHistory(
            `the ${format} format needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the file has ${fields.join(', ')}`,
          )
        }
        checked = true
      }
      yield rows.map((raw) => read(raw, ++line, options))
    }
  }
  return { size, bytesRead: () => file.bytesRead, lines: lines() }
}
