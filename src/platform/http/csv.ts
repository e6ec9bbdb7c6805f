import type { FastifyReply } from 'fastify'
import Papa from 'papaparse'
import { Type } from 'typebox'
import { majorUnits } from '../money.js'

/*
 * Every CSV the API sends follows one convention, so a spreadsheet user learns it once:
 * - headers are snake_case (`sales_before`, never `salesMinor`), checked as each file is made;
 * - money is in currency units as the currency has them (12.5, not 1250), with the currency named
 *   in a `currency` column of the same file (csvMoney);
 * - dates are ISO 8601: a day as 2026-11-01, a moment as 2026-11-01T12:00:00.000Z (csvDay, csvTime);
 * - a cell a spreadsheet would run as a formula is escaped (a member named "=HYPERLINK(…)").
 */

/** An amount in minor units as the CSV shows it: whole currency units (the file names the currency in a column). */
export const csvMoney = (minor: number | null | undefined, currency: string) => (minor === null || minor === undefined ? '' : majorUnits(minor, currency))
/** A day, as 2026-11-01. */
export const csvDay = (at: Date | string | null | undefined) => (at ? new Date(at).toISOString().slice(0, 10) : '')
/** A moment, as 2026-11-01T12:00:00.000Z. */
export const csvTime = (at: Date | string | null | undefined) => (at ? new Date(at).toISOString() : '')

const snakeCase = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/
// What a spreadsheet would run as a formula: a cell starting with = + - @ or a tab, except a phone
// number or a plain number (+44 7700 900122, -12.50), which holds nothing a spreadsheet can run.
const formula = /^(?![+-]?[\d\s().]+$)[=+\-@\t\r]/

/** The CSV text of rows: one header line of the columns' titles, then a line per row. */
export function csvText<T>(rows: T[], columns: [title: string, value: (row: T) => unknown][]) {
  const wrong = columns.map(([title]) => title).filter((title) => !snakeCase.test(title))
  if (wrong.length) throw new Error(`CSV headers must be snake_case: ${wrong.join(', ')}`)
  const csv = Papa.unparse(
    { fields: columns.map(([title]) => title), data: rows.map((row) => columns.map(([, value]) => value(row) ?? '')) },
    { escapeFormulae: formula, newline: '\n' },
  )
  return `${csv}\n`
}

/** `?format=csv` on a table endpoint: the same rows as a download for a spreadsheet. */
export const FormatQuery = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json', description: 'csv: the table as a CSV download instead of JSON' }),
)

/**
 * Sends rows as CSV: the header is the columns' titles, cells are what `value` reads from a row.
 * The route's JSON response schema does not apply, so the serializer is bypassed for this reply.
 */
export function sendCsv<T>(reply: FastifyReply, filename: string, rows: T[], columns: [title: string, value: (row: T) => unknown][]) {
  const csv = csvText(rows, columns)
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}.csv"`)
    .serializer((payload: unknown) => payload as string)
    .send(csv)
}

/** A report's CSV download: its file name, its rows and how each column reads a row. */
export interface CsvTable<Row> {
  filename: string
  rows: Row[]
  columns: [title: string, value: (row: Row) => unknown][]
}

/** A table endpoint's answer: the result as JSON, or with `?format=csv` the table `layout` draws from it. */
export function sendTable<Result, Row>(reply: FastifyReply, format: 'json' | 'csv' | undefined, result: Result, layout: (result: Result) => CsvTable<Row>) {
  if (format !== 'csv') return result
  const { filename, rows, columns } = layout(result)
  return sendCsv(reply, filename, rows, columns)
}
