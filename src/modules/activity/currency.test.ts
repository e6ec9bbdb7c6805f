import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDeps, testDeps } from '../../../test/support/testing.js'
import { loadConfig } from '../../platform/config.js'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { importHistory, openHistoryFile } from './history-import.js'
import { recordActivities } from './ingest.js'
import { upsertStores } from './service.js'

const dir = await mkdtemp(join(tmpdir(), 'regulars-currency-'))

describe('the currency money is in', () => {
  let deps: TestDeps
  let euro: Deps
  beforeAll(async () => {
    deps = await testDeps()
    euro = { ...deps, config: { ...deps.config, currency: 'EUR' } }
    await upsertStores(deps.db, [
      { id: newId(), code: 'DUB', name: 'Dublin', region: null, timezone: 'Europe/Dublin' },
      { id: newId(), code: 'NYC', name: 'New York', region: null, timezone: 'America/New_York', currency: 'USD' },
    ])
  })
  afterAll(() => deps.close())

  const currencyOf = async (activityId: string) =>
    (await queryRows<{ currency: string | null }>(deps.db, sql`select currency from activities where id = ${activityId}`))[0].currency

  it('is REGULARS_CURRENCY (GBP unless set), and only a currency Intl can show', () => {
    expect(loadConfig({}).currency).toBe('GBP')
    expect(loadConfig({ REGULARS_CURRENCY: 'EUR' }).currency).toBe('EUR')
    expect(() => loadConfig({ REGULARS_CURRENCY: 'euro' })).toThrow(/REGULARS_CURRENCY/)
  })

  it('is what the channel sent, else the store’s, else the retailer’s; an activity without lines has none', async () => {
    const item = (over: Record<string, unknown>) => ({
      kind: 'purchase',
      member: { kind: 'card', value: '7000 0001' },
      channel: 'store',
      occurredAt: '2026-10-20T10:15:00Z',
      source: 'till',
      idempotencyKey: newId(),
      lines: [{ sku: 'TEA', quantity: 1, unitPrice: 400, name: 'Tea', category: 'Drinks' }],
      ...over,
    })
    const results = await recordActivities(euro, [
      item({ store: 'DUB' }),
      item({ store: 'NYC' }),
      item({ store: 'NYC', currency: 'CAD' }),
      (({ lines, ...visit }) => visit)(item({ kind: 'store_visit', store: 'DUB' })),
    ])
    const currencies = await Promise.all(results.map((r) => (r.status === 'recorded' ? currencyOf(r.activityId as string) : JSON.stringify(r))))
    expect(currencies).toEqual(['EUR', 'USD', 'CAD', null])
    const [tea] = await queryRows<{ currency: string }>(deps.db, sql`select currency from products where sku = 'TEA'`)
    expect(tea.currency).toBe('EUR')
  })

  it('is the retailer’s for imported history too, with the file’s where it names one', async () => {
    const path = join(dir, 'euro.csv')
    await writeFile(
      path,
      [
        'member_id,order_id,occurred_at,sku,quantity,unit_price,currency',
        'E1,E-1,2026-03-01T10:00:00Z,CROISSANT,2,1.80,',
        'E2,E-2,2026-03-01T11:00:00Z,CROISSANT,1,1.80,CHF',
      ].join('\n'),
    )
    const opened = await openHistoryFile(path, 'generic', { timeZone: 'Europe/Dublin', defaultChannel: 'store' })
    await importHistory(euro, opened.lines, { source: 'euro', memberKind: 'loyalty_id', timeZone: 'Europe/Dublin' })
    const rows = await queryRows<{ order_ref: string; currency: string }>(
      deps.db,
      sql`select order_ref, currency from activities where source = 'euro' order by order_ref`,
    )
    expect(rows).toEqual([
      { order_ref: 'E-1', currency: 'EUR' },
      { order_ref: 'E-2', currency: 'CHF' },
    ])
    const [croissant] = await queryRows<{ currency: string }>(deps.db, sql`select currency from products where sku = 'CROISSANT'`)
    expect(croissant.currency).toBe('EUR')
  })

  it('leaves what a return returns to the format: a generic return names its order, whatever the order is called', async () => {
    // Online Retail's "C invoices are cancellations" rule once sat in the writer and hit every format.
    const path = join(dir, 'returns.csv')
    await writeFile(
      path,
      ['member_id,order_id,occurred_at,sku,quantity,unit_price', 'R9,C-77,2026-03-01T10:00:00Z,MUG,2,9.00', 'R9,C-77,2026-03-05T10:00:00Z,MUG,-1,9.00'].join(
        '\n',
      ),
    )
    const opened = await openHistoryFile(path, 'generic', { timeZone: 'Europe/London', defaultChannel: 'store' })
    await importHistory(deps, opened.lines, { source: 'returns', memberKind: 'loyalty_id', timeZone: 'Europe/London' })
    const rows = await queryRows<{ kind: string; return_of: string | null }>(
      deps.db,
      sql`select kind, return_of from activities where source = 'returns' order by kind`,
    )
    expect(rows).toEqual([
      { kind: 'purchase', return_of: null },
      { kind: 'return', return_of: 'C-77' },
    ])
  })
})
