import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import Papa from 'papaparse'
import type { Db } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { newId } from '../../../platform/ids.js'
import { productNames } from '../../activity/index.js'
import { type IdentifierKind, identifierHolders, normaliseIdentifier } from '../../members/index.js'
import { productReviews } from './schema.js'

export interface RejectedRow {
  /** The row's line in the file (the header is line 1). */
  line: number
  field: string
  reason: string
}
export interface ReviewImportSummary {
  rows: number
  imported: number
  unchanged: number
  rejected: RejectedRow[]
}

const columns = ['sku', 'member', 'rating', 'text', 'date'] as const

/** "card:C-1", "email:ada@x", or a bare value: an email when it has an @, else a card number. */
function identifierOf(raw: string, region: string): { kind: IdentifierKind; value: string } | undefined {
  const match = /^(card|email|phone|app_id|web_id):(.+)$/i.exec(raw.trim())
  const kind = (match ? match[1].toLowerCase() : raw.includes('@') ? 'email' : 'card') as IdentifierKind
  const value = normaliseIdentifier(kind, match ? match[2] : raw, region)
  return value ? { kind, value } : undefined
}

/**
 * Imports existing reviews from a CSV (sku, member, rating, text, date; title optional): each row
 * is checked on its own and refused with its reason, so one bad row never fails its neighbours.
 * A row imported before is recognised by its content (the review's `source` is the row's hash)
 * and changes nothing; a member who already reviewed the product otherwise is refused. Imported
 * reviews are history: published as they were, they record no participation and earn nothing.
 */
export async function importReviews(deps: Pick<Deps, 'db' | 'clock' | 'config'>, csv: string): Promise<ReviewImportSummary> {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  })
  const missing = columns.filter((c) => !parsed.meta.fields?.includes(c))
  if (missing.length)
    return {
      rows: 0,
      imported: 0,
      unchanged: 0,
      rejected: [{ line: 1, field: missing[0], reason: `The file has no ${missing.join(', ')} column (it needs ${columns.join(', ')})` }],
    }
  const rows = parsed.data.map((row, i) => ({ row, line: i + 2 }))
  const rejected: RejectedRow[] = []
  const refuse = (line: number, field: string, reason: string) => {
    rejected.push({ line, field, reason })
    return undefined
  }
  const region = deps.config.defaultRegion
  const identifiers = rows.map(({ row }) => identifierOf(row.member ?? '', region))
  const [products, holders] = await Promise.all([
    productNames(
      deps.db,
      rows.map(({ row }) => (row.sku ?? '').trim()),
    ),
    identifierHolders(
      deps.db,
      identifiers.flatMap((i) => (i ? [i] : [])),
    ),
  ])
  const now = deps.clock.now()
  const accepted = rows.flatMap(({ row, line }, i) => {
    const sku = (row.sku ?? '').trim()
    const rating = Number((row.rating ?? '').trim())
    const text = (row.text ?? '').trim()
    const date = new Date((row.date ?? '').trim())
    const identifier = identifiers[i]
    if (!products.has(sku)) return refuse(line, 'sku', sku ? `No product with the sku ${sku}` : 'The sku is empty') ?? []
    const member = identifier && holders.get(`${identifier.kind}:${identifier.value}`)
    if (!member) return refuse(line, 'member', `No member holds ${row.member?.trim() ? `the identifier ${row.member.trim()}` : 'an empty identifier'}`) ?? []
    if (!Number.isInteger(rating) || rating < 1 || rating > 5)
      return refuse(line, 'rating', `The rating should be a whole number from 1 to 5, not "${row.rating ?? ''}"`) ?? []
    if (!text || text.length > 5000) return refuse(line, 'text', text ? 'The text is longer than 5,000 characters' : 'The text is empty') ?? []
    if (Number.isNaN(date.getTime()) || date > now)
      return refuse(line, 'date', `The date "${row.date ?? ''}" is not a past date (write it as 2026-03-14)`) ?? []
    const title = (row.title ?? '').trim() || text.split('\n')[0].slice(0, 80)
    const source = `import:${createHash('sha256')
      .update(JSON.stringify([sku, identifier.kind, identifier.value, rating, text, date.toISOString()]))
      .digest('hex')
      .slice(0, 32)}`
    return [{ line, sku, memberId: member.memberId, rating, title: title.slice(0, 120), text, date, source }]
  })
  const result = await deps.db.transaction((tx) => writeImported(tx, accepted))
  rejected.push(...result.rejected)
  return { rows: rows.length, imported: result.imported, unchanged: result.unchanged, rejected: rejected.sort((a, b) => a.line - b.line) }
}

async function writeImported(
  db: Db,
  accepted: { line: number; sku: string; memberId: string; rating: number; title: string; text: string; date: Date; source: string }[],
) {
  // Two rows of one file for one member and product: the first counts, the next is refused.
  const seen = new Map<string, number>()
  const rejected: RejectedRow[] = []
  const unique = accepted.filter((r) => {
    const key = `${r.sku}|${r.memberId}`
    const first = seen.get(key)
    if (first !== undefined) rejected.push({ line: r.line, field: 'member', reason: `The same member reviews ${r.sku} on line ${first} already` })
    else seen.set(key, r.line)
    return first === undefined
  })
  const inserted = unique.length
    ? await db
        .insert(productReviews)
        .values(
          unique.map((r) => ({
            sku: r.sku,
            id: newId(),
            memberId: r.memberId,
            rating: r.rating,
            title: r.title,
            body: r.text,
            status: 'published' as const,
            source: r.source,
            postedAt: r.date,
          })),
        )
        .onConflictDoNothing()
        .returning({ sku: productReviews.sku, memberId: productReviews.memberId })
    : []
  const written = new Set(inserted.map((r) => `${r.sku}|${r.memberId}`))
  const left = unique.filter((r) => !written.has(`${r.sku}|${r.memberId}`))
  const existing = left.length
    ? await db
        .select({ sku: productReviews.sku, memberId: productReviews.memberId, source: productReviews.source })
        .from(productReviews)
        .where(
          sql`(${productReviews.sku}, ${productReviews.memberId}) in (select * from unnest(${sql.param(left.map((r) => r.sku))}::text[], ${sql.param(left.map((r) => r.memberId))}::uuid[]))`,
        )
    : []
  const sourceOf = new Map(existing.map((e) => [`${e.sku}|${e.memberId}`, e.source]))
  let unchanged = 0
  for (const r of left) {
    if (sourceOf.get(`${r.sku}|${r.memberId}`) === r.source) unchanged++
    else rejected.push({ line: r.line, field: 'member', reason: `This member has already reviewed ${r.sku}` })
  }
  return { imported: inserted.length, unchanged, rejected }
}
