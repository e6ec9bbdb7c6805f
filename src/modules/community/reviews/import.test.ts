import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callersFor, enrol } from '../../../../test/support/shop.js'
import { type Caller, type TestApp, testApp } from '../../../../test/support/testing.js'
import { runRegulars } from '../../../cli/program.js'
import { upsertProducts } from '../../activity/index.js'

const file = [
  'sku,member,rating,text,date,title',
  'SCARF,card:C-ADA,5,"Warm, **soft**, lovely",2025-11-02,Cosy',
  'SCARF,bea@example.test,2,Itchy,2025-12-01T10:00:00Z,',
  'NOPE,card:C-ADA,4,Good,2025-11-02,',
  'MUG,card:C-NOBODY,4,Good,2025-11-02,',
  'MUG,card:C-ADA,7,Good,2025-11-02,',
  'MUG,card:C-ADA,4,,2025-11-02,',
  'MUG,card:C-ADA,4,Good,next tuesday,',
  'MUG,card:C-ADA,4,Holds a lot,2025-10-01,',
  'MUG,card:C-ADA,3,Changed my mind,2025-10-02,',
].join('\n')

describe('importing existing reviews', () => {
  let t: TestApp
  let as: Record<'admin' | 'associate' | 'ada' | 'integration', Caller>
  const upload = (caller: Caller, csv: string) => t.app.inject({ method: 'POST', url: '/v1/reviews/import', headers: caller.headers, payload: { csv } })

  beforeAll(async () => {
    t = await testApp()
    await upsertProducts(t.deps.db, [
      { sku: 'SCARF', name: 'Wool scarf', priceMinor: 3500, currency: 'GBP' },
      { sku: 'MUG', name: 'Blue mug', priceMinor: 1200, currency: 'GBP' },
    ])
    const [ada] = await enrol(t, [
      { givenName: 'Ada', card: 'C-ADA' },
      { givenName: 'Bea', identifiers: [{ kind: 'email', value: 'bea@example.test' }] },
    ])
    as = await callersFor(t, { admin: 'admin', associate: 'associate', ada: { member: ada }, integration: { scopes: ['activity:write'] } })
  })
  afterAll(() => t.close())

  it('imports the good rows and refuses each bad one with its line and reason, never failing its neighbours', async () => {
    const response = await upload(as.admin, file)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      rows: 9,
      imported: 3,
      unchanged: 0,
      rejected: [
        { line: 4, field: 'sku', reason: 'No product with the sku NOPE' },
        { line: 5, field: 'member', reason: 'No member holds the identifier card:C-NOBODY' },
        { line: 6, field: 'rating', reason: 'The rating should be a whole number from 1 to 5, not "7"' },
        { line: 7, field: 'text', reason: 'The text is empty' },
        { line: 8, field: 'date', reason: 'The date "next tuesday" is not a past date (write it as 2026-03-14)' },
        { line: 10, field: 'member', reason: 'The same member reviews MUG on line 9 already' },
      ],
    })
    const page = (await t.app.inject({ method: 'GET', url: '/v1/products/SCARF/reviews?order=highest' })).json()
    expect(page.summary).toMatchObject({ count: 2, average: 3.5 })
    expect(page.reviews[0]).toMatchObject({ title: 'Cosy', rating: 5, postedAt: '2025-11-02T00:00:00.000Z' })
    expect(page.reviews[0].bodyHtml).toContain('<strong>soft</strong>')
    expect(page.reviews[1].title).toBe('Itchy')
  })

  it('changes nothing when the same file comes again', async () => {
    const again = (await upload(as.integration, file)).json()
    expect(again).toMatchObject({ imported: 0, unchanged: 3 })
    expect((await t.app.inject({ method: 'GET', url: '/v1/products/SCARF/reviews' })).json().summary.count).toBe(2)
    // Imported history earns nothing and is not on the timeline.
    expect((await t.app.inject({ method: 'GET', url: '/v1/me/timeline', headers: as.ada.headers })).json().items).toEqual([])
  })

  it('refuses a file without the columns, and callers who may not import', async () => {
    expect((await upload(as.admin, 'sku,rating\nMUG,4')).json().rejected).toEqual([
      { line: 1, field: 'member', reason: 'The file has no member, text, date column (it needs sku, member, rating, text, date)' },
    ])
    expect((await upload(as.associate, file)).statusCode).toBe(403)
    expect((await upload(as.ada, file)).statusCode).toBe(403)
  })

  it('runs as `regulars reviews import FILE`, printing each refused row', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'regulars-reviews-')), 'reviews.csv')
    await writeFile(path, 'sku,member,rating,text,date\nNOPE,card:C-1,5,Great,2025-01-01\n')
    const out: string[] = []
    const err: string[] = []
    const code = await runRegulars(['reviews', 'import', path, '--data', 'memory'], { say: (l) => out.push(l), warn: (l) => err.push(l) })
    expect({ code, out, err }).toEqual({
      code: 0,
      out: ['1 rows: 0 imported, 0 already imported, 1 refused.'],
      err: ['line 2: sku: No product with the sku NOPE'],
    })
  })
})
