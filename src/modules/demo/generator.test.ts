import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateRetailer, historyHeader, writeHistoryCsv } from './generator.js'

describe('the demo history generator', () => {
  const retailer = generateRetailer({ members: 3000, months: 12, seed: 7 })
  const rows = [...retailer.rows()]
  const purchases = rows.filter((r) => r.quantity > 0)
  const ordersByMember = new Map<string, Set<string>>()
  for (const r of purchases) ordersByMember.set(r.memberId, (ordersByMember.get(r.memberId) ?? new Set()).add(r.orderId))

  it('writes the same file for the same seed, and a different one for another seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-generate-'))
    const write = (seed: number, name: string) => writeHistoryCsv({ members: 200, months: 6, seed, out: join(dir, name) })
    const first = await write(3, 'a.csv')
    await write(3, 'b.csv')
    await write(4, 'c.csv')
    const [a, b, c] = await Promise.all(['a.csv', 'b.csv', 'c.csv'].map((f) => readFile(join(dir, f), 'utf8')))
    expect(a).toBe(b)
    expect(a).not.toBe(c)
    expect(a.split('\n')[0]).toBe(historyHeader)
    expect(a.trim().split('\n')).toHaveLength(first.rows + 1)
    expect(first.orders).toBeGreaterThan(200)
  })

  it('has most members buying once or twice and a loyal minority buying often', () => {
    const counts = [...ordersByMember.values()].map((orders) => orders.size)
    const share = (test: (n: number) => boolean) => counts.filter(test).length / counts.length
    expect(share((n) => n <= 2)).toBeGreaterThan(0.5)
    expect(share((n) => n >= 10)).toBeGreaterThan(0.08)
    expect(share((n) => n >= 10)).toBeLessThan(0.35)
  })

  it('has members re-buying their favourite items', () => {
    const bought = new Map<string, number>()
    for (const r of purchases) bought.set(`${r.memberId} ${r.sku}`, (bought.get(`${r.memberId} ${r.sku}`) ?? 0) + 1)
    const rebought = [...bought.values()].filter((n) => n >= 3).length
    expect(rebought / bought.size).toBeGreaterThan(0.1)
  })

  it('peaks before Christmas, discounts some lines, and takes some back after they were bought', () => {
    const month = (m: string) => purchases.filter((r) => r.occurredAt.slice(5, 7) === m).length
    expect(month('12')).toBeGreaterThan(month('02') * 1.3)
    const discounted = purchases.filter((r) => r.discountMinor > 0).length / purchases.length
    expect(discounted).toBeGreaterThan(0.1)
    expect(discounted).toBeLessThan(0.35)
    const returns = rows.filter((r) => r.quantity < 0)
    expect(returns.length).toBeGreaterThan(0)
    const purchased = new Map(purchases.map((r) => [`${r.orderId} ${r.sku}`, r]))
    for (const r of returns) {
      const original = purchased.get(`${r.orderId} ${r.sku}`)
      expect(original, `${r.orderId} returns ${r.sku}`).toBeDefined()
      expect(-r.quantity).toBeLessThanOrEqual(original?.quantity ?? 0)
      expect(r.occurredAt > (original?.occurredAt ?? '')).toBe(true)
    }
  })

  it('sells through every channel and store, and keeps history inside the window', () => {
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['store', 'web', 'app', 'call_center']))
    expect(new Set(rows.filter((r) => r.store).map((r) => r.store)).size).toBe(retailer.stores.length)
    for (const r of rows) {
      expect(r.occurredAt >= retailer.start.toISOString() && r.occurredAt < retailer.end.toISOString()).toBe(true)
      expect(r.channel === 'store' ? r.store : 'none').toBeTruthy()
    }
  })

  it('gives every member distinct identifiers, and signs a few up twice under a typo', () => {
    for (const key of ['id', 'email', 'phone', 'cardNumber'] as const) expect(new Set(retailer.members.map((m) => m[key])).size).toBe(retailer.members.length)
    const twins = retailer.members.filter((m) => m.duplicateOf)
    expect(twins.length).toBeGreaterThan(10)
    for (const twin of twins) {
      const original = retailer.members.find((m) => m.id === twin.duplicateOf)
      expect(twin.birthDate).toBe(original?.birthDate)
      expect(twin.postcode).toBe(original?.postcode)
    }
  })
})
