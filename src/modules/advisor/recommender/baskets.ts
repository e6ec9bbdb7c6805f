import { type HistoryFormat, openHistoryFile } from '../../activity/index.js'

const dayMs = 86_400_000

/** One shopping trip: the distinct products a member bought in one order, on a day. */
export interface Basket {
  member: string
  order: string
  /** Days since 1970-01-01 (UTC). */
  day: number
  items: string[]
}

export interface History {
  baskets: Basket[]
  /** Product names the file gave, for explanations. */
  names: Map<string, string>
  rejected: number
}

/**
 * Reads a purchase-history file (the generic import format or the UCI Online Retail export) into
 * members' baskets, oldest first. Returned lines and guests' orders carry no taste and are left out.
 */
export async function readBaskets(path: string, format: HistoryFormat): Promise<History> {
  const file = await openHistoryFile(path, format, { timeZone: 'UTC', defaultChannel: 'store' })
  const byOrder = new Map<string, Basket>()
  const names = new Map<string, string>()
  let rejected = 0
  for await (const batch of file.lines) {
    for (const row of batch) {
      if (!('sku' in row)) {
        rejected++
        continue
      }
      if (!row.member || row.quantity <= 0) continue
      if (row.productName && !names.has(row.sku)) names.set(row.sku, row.productName)
      const key = `${row.member}\u0000${row.orderId}`
      const basket = byOrder.get(key) ?? { member: row.member, order: row.orderId, day: Math.floor(row.occurredAt.getTime() / dayMs), items: [] }
      byOrder.set(key, basket)
      if (!basket.items.includes(row.sku)) basket.items.push(row.sku)
    }
  }
  const baskets = [...byOrder.values()].sort((a, b) => a.day - b.day)
  return { baskets, names, rejected }
}

export const dayOf = (date: string) => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / dayMs)
