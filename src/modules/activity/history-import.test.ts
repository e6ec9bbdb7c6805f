import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { writeHistoryCsv } from '../demo/index.js'
import { lookupMember } from '../members/index.js'
import { parseTime, type RejectedLine, readGenericRow, regionStyle } from './history-formats.js'
import { importHistory, openHistoryFile, UnreadableHistory } from './history-import.js'

const dir = await mkdtemp(join(tmpdir(), 'regulars-import-'))
const csv = async (name: string, text: string) => {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}
const importFile = async (deps: TestDeps, path: string, format: 'generic' | 'online-retail', extra: { chunkLines?: number; source?: string } = {}) => {
  const rejected: RejectedLine[] = []
  const online = format === 'online-retail'
  const opened = await openHistoryFile(path, format, { timeZone: 'Europe/London', defaultChannel: online ? 'web' : 'store' })
  const summary = await importHistory(deps, opened.lines, {
    source: extra.source ?? `import:${format}`,
    memberKind: online ? 'pos_customer' : 'loyalty_id',
    timeZone: 'Europe/London',
    chunkLines: extra.chunkLines,
    onReject: (r) => rejected.push(r),
  })
  return { summary, rejected }
}
const count = async (deps: TestDeps, table: string) => (await queryRows<{ n: number }>(deps.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n

describe('importing purchase history from a file', () => {
  let deps: TestDeps
  beforeAll(async () => {
    deps = await testDeps()
  })
  afterAll(() => deps.close())

  it('turns generic rows into members, purchases with lines, returns and guest orders, and rejects bad rows with reasons', async () => {
    const path = await csv(
      'small.csv',
      [
        'member_id,order_id,occurred_at,sku,quantity,unit_price,channel,store,discount,product_name,category',
        'L1,A-1,2026-03-01T10:00:00Z,BEANS,2,8.50,store,S01,1.00,House beans,Coffee > Beans',
        'L1,A-1,2026-03-01T10:00:00Z,MUG,1,12.00,store,S01,,Stoneware mug,Home > Kitchen',
        'L1,A-1,2026-03-09T16:00:00Z,MUG,-1,12.00,store,S01,,,',
        'L2,B-1,2026-03-02 12:30,BEANS,1,8.50,web,,,,',
        ',G-1,2026-03-03T09:00:00Z,BEANS,1,8.50,web,,,,',
        'L3,C-1,not a date,BEANS,1,8.50,store,S01,,,',
        'L3,C-2,2026-03-04T09:00:00Z,BEANS,1.5,8.50,store,S01,,,',
        'L3,C-3,2026-03-04T09:00:00Z,BEANS,1,8.50,pigeon,,,,',
      ].join('\n'),
    )
    const { summary, rejected } = await importFile(deps, path, 'generic')
    expect(summary).toMatchObject({ rowsRead: 8, purchases: 2, returns: 1, guestOrders: 1, membersEnrolled: 2, rejected: 3, newStores: ['S01'] })
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [7, 'occurred_at "not a date" is not a date or date-time (dates with slashes are read day first, as GB writes them)'],
      [8, 'quantity "1.5" is not a whole number other than 0'],
      [9, 'unknown channel "pigeon"; an admin can add it'],
    ])
    const member = await lookupMember(deps.db, 'loyalty_id', 'L1', 'GB')
    const orders = await queryRows<{ kind: string; total_minor: number; return_of: string | null; lines: number }>(
      deps.db,
      sql`select a.kind, a.total_minor, a.return_of, (select count(*)::int from activity_lines l where l.activity_id = a.id) as lines
            from activities a where a.member_id = ${member.id} order by a.occurred_at`,
    )
    expect(orders).toEqual([
      { kind: 'purchase', total_minor: 2 * 850 - 100 + 1200, return_of: null, lines: 2 },
      { kind: 'return', total_minor: -1200, return_of: 'A-1', lines: 1 },
    ])
    // A time without a zone is the stores' local time: 12:30 in London in March is 12:30 UTC.
    const [l2] = await queryRows<{ occurred_at: Date }>(deps.db, sql`select occurred_at from activities where order_ref = 'B-1'`)
    expect(new Date(l2.occurred_at).toISOString()).toBe('2026-03-02T12:30:00.000Z')
    const [product] = await queryRows<{ name: string; category: string[] }>(deps.db, sql`select name, category from products where sku = 'BEANS'`)
    expect(product).toEqual({ name: 'House beans', category: ['Coffee', 'Beans'] })
  })

  it('imports nothing twice when the same file is run again, also in smaller chunks', async () => {
    const path = await csv(
      'again.csv',
      'member_id,order_id,occurred_at,sku,quantity,unit_price\nR1,X-1,2026-04-01T10:00:00Z,TEA,1,4.00\nR1,X-2,2026-04-02T10:00:00Z,TEA,1,4.00\nR2,Y-1,2026-04-02T10:00:00Z,TEA,3,4.00\n',
    )
    const first = await importFile(deps, path, 'generic', { source: 'again' })
    const before = await Promise.all(['activities', 'activity_lines', 'members', 'products'].map((t) => count(deps, t)))
    const second = await importFile(deps, path, 'generic', { source: 'again', chunkLines: 1 })
    expect(first.summary.purchases).toBe(3)
    expect(second.summary).toMatchObject({ purchases: 0, ordersAlreadyImported: 3, membersMatched: 2, membersEnrolled: 0 })
    expect(await Promise.all(['activities', 'activity_lines', 'members', 'products'].map((t) => count(deps, t)))).toEqual(before)
  })

  it('stops at the header when a column the format needs is missing', async () => {
    const path = await csv('wrong.csv', 'customer,order,when\n1,2,3\n')
    await expect(importFile(deps, path, 'generic')).rejects.toThrow(UnreadableHistory)
    await expect(importFile(deps, path, 'generic')).rejects.toThrow(/member_id, order_id, occurred_at, sku, quantity, unit_price/)
  })

  it('reads the UCI Online Retail layout: C invoices are returns, empty customers are guests, bad-debt adjustments are refused', async () => {
    const path = await csv(
      'online.csv',
      [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
        '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
        'C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-2,2010-12-01 09:41:00,2.55,17850.0,United Kingdom',
        '536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom',
        'A563185,B,Adjust bad debt,1,2011-08-12 14:50:00,-11062.06,,United Kingdom',
      ].join('\n'),
    )
    const { summary, rejected } = await importFile(deps, path, 'online-retail')
    expect(summary).toMatchObject({ purchases: 1, returns: 1, guestOrders: 1, membersEnrolled: 1, rejected: 1 })
    expect(rejected[0].reason).toMatch(/adjustment, not a sale/)
    const member = await lookupMember(deps.db, 'pos_customer', '17850', 'GB')
    const [summer] = await queryRows<{ total: number }>(deps.db, sql`select sum(total_minor)::int as total from activities where member_id = ${member.id}`)
    expect(summer.total).toBe(6 * 255 + 6 * 339 - 2 * 255)
  })

  it('imports a generated history exactly: every row, purchase and return accounted for', async () => {
    const path = join(dir, 'generated.csv')
    const written = await writeHistoryCsv({ members: 150, months: 6, seed: 11, out: path })
    const { summary } = await importFile(deps, path, 'generic', { source: 'generated', chunkLines: 500 })
    expect(summary.rejected).toBe(0)
    expect(summary.rowsRead).toBe(written.rows)
    expect(summary.linesImported).toBe(written.rows)
    expect(summary.purchases).toBe(written.orders)
    expect(summary.returns).toBe(written.returns)
    expect(summary.membersEnrolled).toBe(150)
  })

  it('reads local times across the change to summer time', () => {
    expect(parseTime('2011-03-27 00:30:00', 'Europe/London')?.toISOString()).toBe('2011-03-27T00:30:00.000Z')
    expect(parseTime('2011-03-27 02:30:00', 'Europe/London')?.toISOString()).toBe('2011-03-27T01:30:00.000Z')
    expect(parseTime('2011-07-01 09:00', 'Europe/London')?.toISOString()).toBe('2011-07-01T08:00:00.000Z')
    expect(parseTime('12/1/2010 8:26', 'Europe/London')?.toISOString()).toBe('2010-12-01T08:26:00.000Z')
    expect(parseTime('12/1/2010 8:26', 'Europe/London', true)?.toISOString()).toBe('2010-01-12T08:26:00.000Z')
    expect(parseTime('2024-03-05', 'Europe/London')?.toISOString()).toBe('2024-03-05T00:00:00.000Z')
    expect(parseTime('2026-03-05T10:00:00+02:00', 'Europe/London')?.toISOString()).toBe('2026-03-05T08:00:00.000Z')
  })
  it('reads dates and amounts the way the region writes them, and refuses what cannot be read that way', () => {
    const row = (region: string, occurred_at: string, unit_price: string) =>
      readGenericRow({ member_id: 'L1', order_id: 'A', sku: 'X', quantity: '1', occurred_at, unit_price }, 2, {
        timeZone: 'UTC',
        defaultChannel: 'store',
        region: regionStyle(region),
      })
    const read = (region: string, occurredAt: string, price: string) => {
      const line = row(region, occurredAt, price)
      return 'reason' in line ? line.reason : [line.occurredAt.toISOString().slice(0, 10), line.unitPriceMinor]
    }
    expect(read('GB', '05/03/2024', '1,200.00')).toEqual(['2024-03-05', 120000])
    expect(read('GB', '5/3/2024', '2.55')).toEqual(['2024-03-05', 255])
    expect(read('US', '05/03/2024', '1,200.00')).toEqual(['2024-05-03', 120000])
    expect(read('DE', '05.03.2024', '1.200,00')).toEqual(['2024-03-05', 120000])
    expect(read('DE', '2024-03-05', '2.55')).toEqual(['2024-03-05', 255]) // a machine's number reads everywhere
    expect(read('DE', '2024-03-05', '1.200')).toEqual(['2024-03-05', 120000]) // twelve hundred, as Germans group it
    expect(read('GB', '03/25/2024', '1')).toBe('occurred_at "03/25/2024" is not a date or date-time (dates with slashes are read day first, as GB writes them)')
    expect(read('GB', '2024-03-05', '1.200,00')).toBe('unit_price "1.200,00" is not a price of 0 or more, written as GB writes amounts (like 1,234.50)')
    expect(read('DE', '2024-03-05', '1,200.00')).toBe('unit_price "1,200.00" is not a price of 0 or more, written as DE writes amounts (like 1.234,50)')
  })
})
