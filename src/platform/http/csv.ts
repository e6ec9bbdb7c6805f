import type { FastifyReply } from 'fastify'
import Papa from 'papaparse'
import { Type } from 'typebox'

/** `?format=csv` on a table endpoint: the same rows as a download for a spreadsheet. */
export const FormatQuery = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json', description: 'csv: the table as a CSV download instead of JSON' }),
)

/**
 * Sends rows as CSV: the header is the columns' titles, cells are what `value` reads from a row.
 * The route's JSON response schema does not apply, so the serializer is bypassed for this reply.
 */
export function sendCsv<T>(reply: FastifyReply, filename: string, rows: T[], columns: [title: string, value: (row: T) => unknown][]) {
  // escapeFormulae: a member named "=HYPERLINK(…)" must not become a formula in the manager's spreadsheet.
  const csv = Papa.unparse(
    { fields: columns.map(([title]) => title), data: rows.map((row) => columns.map(([, value]) => value(row) ?? '')) },
    { escapeFormulae: true, newline: '\n' },
  )
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}.csv"`)
    .serializer((payload: unknown) => payload as string)
    .send(`${csv}\n`)
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
