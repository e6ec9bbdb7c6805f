/**
 * Reading purchase-history files: the generic format of docs/import.md and the UCI Online Retail
 * export. Each raw CSV row becomes one line of an order, or a reason it cannot be used.
 */

import Papa from 'papaparse'

export const historyFormats = ['generic', 'online-retail'] as const
export type HistoryFormat = (typeof historyFormats)[number]

export interface HistoryLine {
  /** Line of the file (the header is line 1), for the rejects file. */
  line: number
  /** The member's identifier as the file writes it; null for a guest. */
  member: string | null
  orderId: string
  occurredAt: Date
  sku: string
  /** Negative for a return. */
  quantity: number
  unitPriceMinor: number
  discountMinor: number
  channel: string
  store: string | null
  productName: string | null
  category: string | null
  kind: 'purchase' | 'return'
  /** A return: the order it returns, when the format knows it. */
  returnOf: string | null
  /** As the file writes it; null: the store's, else the retailer's currency. */
  currency: string | null
}

export interface RejectedLine {
  line: number
  reason: string
  raw: Record<string, string>
}

export const requiredColumns: Record<HistoryFormat, string[]> = {
  generic: ['member_id', 'order_id', 'occurred_at', 'sku', 'quantity', 'unit_price'],
  'online-retail': ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'],
}

/** Columns the file lacks, so an import stops at the header instead of rejecting every row. */
export function missingColumns(format: HistoryFormat, header: string[]) {
  return requiredColumns[format].filter((c) => !header.includes(c))
}

/** How a region writes amounts and dates, from its locale (GB: 1,234.50 and 5/3/2024 for 5 March; DE: 1.234,50 and 5.3.2024). */
export interface RegionStyle {
  region: string
  group: string
  decimal: string
  dayFirst: boolean
  /** An amount as the region writes it, for reasons: "1,234.50". */
  example: string
}

const styles = new Map<string, RegionStyle>()

export function regionStyle(region: string): RegionStyle {
  let style = styles.get(region)
  if (!style) {
    // Language and region only: ICU reads "en-Latn-GB" as American dates.
    const locale = `${new Intl.Locale('und', { region }).maximize().language}-${region}`
    const parts = new Intl.NumberFormat(locale).formatToParts(1234.5)
    const dateParts = new Intl.DateTimeFormat(locale).formatToParts(new Date(Date.UTC(2024, 2, 5)))
    const order = dateParts.map((p) => p.type)
    style = {
      region,
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      dayFirst: order.indexOf('day') < order.indexOf('month'),
      example: new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(1234.5),
    }
    styles.set(region, style)
  }
  return style
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * "2.55" → 255; "1,200.00" → 120000 where the region writes amounts that way (GB, US), "1.200,00"
 * where it writes them so (DE). A plain machine number (digits and a point) is read everywhere; an
 * amount that fits neither is refused (undefined) rather than guessed. Accepts up to a tenth of a
 * penny of noise (the UCI file has prices like 0.001).
 */
function minorUnits(text: string | undefined, style: RegionStyle): number | undefined {
  const trimmed = text?.trim()
  if (!trimmed) return undefined
  // Grouped per the region ("1.200" in DE is twelve hundred) before the machine form ("2.55").
  const grouped = new RegExp(`^-?\\d{1,3}(?:${literally(style.group)}\\d{3})+(?:${literally(style.decimal)}\\d+)?$`)
  const ungrouped = new RegExp(`^-?\\d+(?:${literally(style.decimal)}\\d+)?$`)
  let value: number
  if (grouped.test(trimmed) || ungrouped.test(trimmed)) value = Number(trimmed.replaceAll(style.group, '').replace(style.decimal, '.'))
  else if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) value = Number(trimmed)
  else return undefined
  return Number.isFinite(value) ? Math.round(value * 100) : undefined
}

const offsetCache = new Map<string, number>()

/** Milliseconds a zone is ahead of UTC at a moment (cached per zone and hour, it changes twice a year). */
function zoneOffset(timeZone: string, utc: number) {
  const key = `${timeZone}|${Math.floor(utc / 3_600_000)}`
  let offset = offsetCache.get(key)
  if (offset === undefined) {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(utc))
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
    offset = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(utc / 1000) * 1000
    offsetCache.set(key, offset)
  }
  return offset
}

const localDateTime = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/
const slashDateTime = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

/**
 * A time as files write it: ISO 8601 with a zone is taken as is; a local date or date-time
 * ("2010-12-01 08:26", "2024-03-05", "5/3/2024 8:26") is read in the stores' time zone. A date with
 * slashes or dots is read day first unless `dayFirst` is false (month first, as the US and the UCI
 * export write them); one that cannot be a date read that way is refused, never swapped.
 */
export function parseTime(text: string, timeZone: string, dayFirst = false): Date | undefined {
  const trimmed = text.trim()
  let fields: RegExpMatchArray | null = trimmed.match(localDateTime)
  let year: number
  let month: number
  let dayOfMonth: number
  if (fields) [year, month, dayOfMonth] = [Number(fields[1]), Number(fields[2]), Number(fields[3])]
  else {
    fields = trimmed.match(slashDateTime)
    if (!fields) {
      if (!/\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) return undefined
      const date = new Date(trimmed)
      return Number.isNaN(date.getTime()) ? undefined : date
    }
    ;[month, dayOfMonth, year] = [Number(fields[1]), Number(fields[2]), Number(fields[3])]
    if (dayFirst) [month, dayOfMonth] = [dayOfMonth, month]
  }
  const [hour, minute, second] = [Number(fields[4] ?? 0), Number(fields[5] ?? 0), Number(fields[6] ?? 0)]
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31 || hour > 23 || minute > 59 || second > 59) return undefined
  const wall = Date.UTC(year, month - 1, dayOfMonth, hour, minute, second)
  // Two passes: the offset at the wall-clock guess, then at the corrected instant (right across DST changes).
  const first = wall - zoneOffset(timeZone, wall)
  return new Date(wall - zoneOffset(timeZone, first))
}

export interface ReadOptions {
  timeZone: string
  /** How amounts and slashed dates are written in the file (REGULARS_DEFAULT_REGION; GB when not said). */
  region?: RegionStyle
  /** Channel of rows that do not name one (generic files without the column; always for online-retail). */
  defaultChannel: string
}

const reject = (line: number, raw: Record<string, string>, reason: string): RejectedLine => ({ line, raw, reason })

/** One raw row of the generic format → an order line, or the reason it is rejected. */
export function readGenericRow(raw: Record<string, string>, line: number, options: ReadOptions): HistoryLine | RejectedLine {
  const orderId = raw.order_id?.trim()
  if (!orderId) return reject(line, raw, 'order_id is empty')
  const region = options.region ?? regionStyle('GB')
  const occurredAt = parseTime(raw.occurred_at ?? '', options.timeZone, region.dayFirst)
  if (!occurredAt)
    return reject(
      line,
      raw,
      `occurred_at "${raw.occurred_at}" is not a date or date-time (dates with slashes are read ${region.dayFirst ? 'day' : 'month'} first, as ${region.region} writes them)`,
    )
  const sku = raw.sku?.trim()
  if (!sku) return reject(line, raw, 'sku is empty')
  const quantity = Number(raw.quantity)
  if (!Number.isInteger(quantity) || quantity === 0) return reject(line, raw, `quantity "${raw.quantity}" is not a whole number other than 0`)
  const unitPriceMinor = minorUnits(raw.unit_price, region)
  if (unitPriceMinor === undefined || unitPriceMinor < 0)
    return reject(line, raw, `unit_price "${raw.unit_price}" is not a price of 0 or more, written as ${region.region} writes amounts (like ${region.example})`)
  const discountMinor = raw.discount?.trim() ? minorUnits(raw.discount, region) : 0
  if (discountMinor === undefined || discountMinor < 0)
    return reject(line, raw, `discount "${raw.discount}" is not an amount of 0 or more, written as ${region.region} writes amounts (like ${region.example})`)
  const currency = raw.currency?.trim().toUpperCase() || null
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) return reject(line, raw, `currency "${raw.currency}" is not an ISO 4217 code such as GBP`)
  return {
    line,
    member: raw.member_id?.trim() || null,
    orderId,
    occurredAt,
    sku,
    quantity,
    unitPriceMinor,
    discountMinor,
    channel: raw.channel?.trim() || options.defaultChannel,
    store: raw.store?.trim() || null,
    productName: raw.product_name?.trim() || null,
    category: raw.category?.trim() || null,
    kind: quantity < 0 ? 'return' : 'purchase',
    // A return is written as negative lines of the order it returns, under that order's id.
    returnOf: quantity < 0 ? orderId : null,
    currency,
  }
}

/**
 * One row of the UCI Online Retail export (prices in pounds sterling). Invoices starting with C are
 * cancellations: returns under an invoice of their own, which does not say what it cancels.
 * CustomerID is written like "17850.0"; an empty one is a guest. Adjustments with a negative price
 * ("Adjust bad debt") are not sales and are rejected with that reason.
 */
export function readOnlineRetailRow(raw: Record<string, string>, line: number, options: ReadOptions): HistoryLine | RejectedLine {
  const invoice = raw.InvoiceNo?.trim()
  if (!invoice) return reject(line, raw, 'InvoiceNo is empty')
  const occurredAt = parseTime(raw.InvoiceDate ?? '', options.timeZone)
  if (!occurredAt) return reject(line, raw, `InvoiceDate "${raw.InvoiceDate}" is not a date-time`)
  const sku = raw.StockCode?.trim()
  if (!sku) return reject(line, raw, 'StockCode is empty')
  const quantity = Number(raw.Quantity)
  if (!Number.isInteger(quantity) || quantity === 0) return reject(line, raw, `Quantity "${raw.Quantity}" is not a whole number other than 0`)
  const unitPriceMinor = minorUnits(raw.UnitPrice, regionStyle('GB'))
  if (unitPriceMinor === undefined || unitPriceMinor < 0)
    return reject(line, raw, `UnitPrice "${raw.UnitPrice}" is negative: an accounting adjustment, not a sale`)
  const cancellation = invoice.startsWith('C')
  if (cancellation && quantity > 0) return reject(line, raw, 'a cancellation (C invoice) with a positive quantity')
  const customer = raw.CustomerID?.trim().replace(/\.0+$/, '')
  return {
    line,
    member: customer || null,
    orderId: invoice,
    occurredAt,
    sku,
    quantity,
    unitPriceMinor,
    discountMinor: 0,
    channel: options.defaultChannel,
    store: null,
    productName: raw.Description?.trim() || null,
    category: null,
    kind: quantity < 0 ? 'return' : 'purchase',
    // A cancellation does not say which invoice it cancels; a negative line of a sale returns from that sale.
    returnOf: quantity < 0 && !cancellation ? invoice : null,
    currency: 'GBP',
  }
}

export const readRow: Record<HistoryFormat, typeof readGenericRow> = { generic: readGenericRow, 'online-retail': readOnlineRetailRow }

/** Columns a rejects file adds after the file's own; importing the fixed file again ignores them. */
export const rejectsColumns = ['rejected_line', 'rejected_because']

/**
 * A rejected row as a line of the rejects file: the file's own columns, quoted as CSV again (a
 * description with a comma stays one field), then the line number and the reason. The first
 * line written carries the header, so the file can be fixed in a spreadsheet and imported as is.
 */
export function rejectsCsv(rejected: RejectedLine, columns: string[], withHeader: boolean): string {
  const row = [...columns.map((column) => rejected.raw[column] ?? ''), String(rejected.line), rejected.reason]
  return `${Papa.unparse(withHeader ? [[...columns, ...rejectsColumns], row] : [row], { newline: '\n' })}\n`
}

/** The file's own columns, as the CSV reader saw them in a rejected row. */
export const fileColumns = (rejected: RejectedLine) => Object.keys(rejected.raw).filter((column) => column !== '__parsed_extra')
