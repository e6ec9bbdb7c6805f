import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { openHistoryFile } from '../../activity/index.js'

const dayMs = 86_400_000

/** One purchase: who, on which day (days since 1970-01-01, UTC), for how much. */
export interface Transaction {
  customer: string
  day: number
  value: number
}

export const dayOf = (date: string) => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / dayMs)
export const dateOf = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10)

/**
 * The raw CDNOW transaction file: whitespace-separated customer id, date YYYYMMDD, CDs, dollars.
 * The 1/10 sample has a master id and then its own sample id (1–2357, the ids the published
 * summaries use): with five columns the second is the customer.
 */
export async function* readCdnow(path: string): AsyncGenerator<Transaction> {
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })) {
    const tokens = text.trim().split(/\s+/)
    const date = tokens.find((t) => /^\d{8}$/.test(t))
    if (!tokens[0] || !date) continue
    yield {
      customer: tokens.length >= 5 ? tokens[1] : tokens[0],
      day: dayOf(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`),
      value: Number(tokens[tokens.length - 1]),
    }
  }
}

/** The generic history format (docs/import.md): one transaction per member and order, net of returned lines. */
export async function* readGeneric(path: string): AsyncGenerator<Transaction> {
  const file = await openHistoryFile(path, 'generic', { timeZone: 'UTC', defaultChannel: 'store' })
  const orders = new Map<string, Transaction>()
  for await (const batch of file.lines) {
    for (const row of batch) {
      if (!('sku' in row) || !row.member) continue
      const key = `${row.member}\u0000${row.orderId}`
      const value = (row.quantity * row.unitPriceMinor - Math.sign(row.quantity) * row.discountMinor) / 100
      const order = orders.get(key)
      if (order) order.value += value
      // A return (negative quantity) lowers its order's value but never starts a purchase of its own.
      else if (row.quantity > 0) orders.set(key, { customer: row.member, day: Math.floor(row.occurredAt.getTime() / dayMs), value })
    }
  }
  yield* orders.values()
}

export interface Calibration {
  customers: string[]
  /** Repeat purchase days in the calibration period, time of the last and age at its end, in weeks. */
  x: Float64Array
  tx: Float64Array
  T: Float64Array
  /** Average value of the repeat purchase days (NaN without any). */
  m: Float64Array
  /** Purchase days in the holdout period (after calibration, up to the observation end). */
  holdout: Float64Array
  calibrationEnd: string
  observationEnd: string
  holdoutWeeks: number
}

/**
 * Per-customer summaries as the BG/NBD papers make them: purchases on one day are one purchase,
 * the first purchase is not a repeat, time is in weeks from each customer's first purchase, and
 * customers first seen after the calibration end are left out. The observation end defaults to
 * the last day in the data.
 */
export async function calibrate(transactions: AsyncIterable<Transaction>, calibrationEnd: string, observationEnd?: string): Promise<Calibration> {
  const days = new Map<string, Map<number, number>>()
  let last = Number.NEGATIVE_INFINITY
  for await (const t of transactions) {
    const byDay = days.get(t.customer) ?? new Map<number, number>()
    days.set(t.customer, byDay)
    byDay.set(t.day, (byDay.get(t.day) ?? 0) + t.value)
    if (t.day > last) last = t.day
  }
  const end = dayOf(calibrationEnd)
  const observed = observationEnd ? dayOf(observationEnd) : last
  const customers: string[] = []
  const rows: [number, number, number, number, number][] = []
  for (const [customer, byDay] of days) {
    const sorted = [...byDay.keys()].sort((a, b) => a - b)
    const first = sorted[0]
    if (first > end) continue
    const inside = sorted.filter((d) => d <= end)
    const repeats = inside.slice(1)
    const spent = repeats.reduce((sum, d) => sum + (byDay.get(d) ?? 0), 0)
    customers.push(customer)
    rows.push([
      repeats.length,
      (inside[inside.length - 1] - first) / 7,
      (end - first) / 7,
      repeats.length ? spent / repeats.length : Number.NaN,
      sorted.filter((d) => d > end && d <= observed).length,
    ])
  }
  const column = (i: number) => Float64Array.from(rows, (r) => r[i])
  return {
    customers,
    x: column(0),
    tx: column(1),
    T: column(2),
    m: column(3),
    holdout: column(4),
    calibrationEnd: dateOf(end),
    observationEnd: dateOf(observed),
    holdoutWeeks: Math.max(0, (observed - end) / 7),
  }
}
