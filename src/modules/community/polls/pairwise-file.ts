import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import Papa from 'papaparse'
import { PairwiseTally } from './estimate.js'

/** A pairwise file that cannot be read at all: the message says why, in a line. */
export class UnreadablePairwiseFile extends Error {}

export interface PairwiseFile {
  tally: PairwiseTally
  /** What was skipped and how the file was read, a line each, for stderr. */
  warnings: string[]
}

const voterNames = ['voter_id', 'voter', 'voterid', 'user_id', 'user', 'member_id', 'respondent_id', 'respondent', 'session_id', 'session']
const winnerNames = ['winner', 'winner_id', 'chosen', 'preferred', 'won']
const loserNames = ['loser', 'loser_id', 'rejected', 'not_chosen', 'lost']
const cellName = (cell: string) =>
  cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

/**
 * Reads a CSV of choices, `voter_id,winner,loser`, streaming (100k+ rows in well under a second of
 * parsing): quoted fields, a byte-order mark, CRLF, blank lines and padding are all taken in stride;
 * a self-comparison or a row without both options is skipped and counted in the warnings. A file
 * that is missing, empty, binary or holds no comparison at all is an UnreadablePairwiseFile.
 */
export async function readPairwiseFile(path: string): Promise<PairwiseFile> {
  const size = await stat(path).then(
    (s) => {
      if (s.isDirectory()) throw new UnreadablePairwiseFile(`${path} is a folder, not a CSV file.`)
      return s.size
    },
    (error: NodeJS.ErrnoException) => {
      throw new UnreadablePairwiseFile(error.code === 'ENOENT' ? `${path}: no such file.` : `${path} cannot be read (${error.code ?? error.message}).`)
    },
  )
  if (size === 0) throw new UnreadablePairwiseFile(`${path} is empty: expected a CSV with the header voter_id,winner,loser.`)
  const encoding = await sniffEncoding(path)

  const tally = new PairwiseTally()
  const warnings: string[] = []
  let columns: { voter: number; winner: number; loser: number } | undefined
  let row = 0
  const skipped = { self: 0, incomplete: 0, firstSelf: 0, firstIncomplete: 0 }
  const take = (cells: string[]) => {
    const cell = (i: number) => (i >= 0 && i < cells.length ? cells[i].trim() : '')
    if (!columns) {
      const names = cells.map(cellName)
      const find = (choices: string[]) => names.findIndex((name) => choices.includes(name))
      const [voter, winner, loser] = [find(voterNames), find(winnerNames), find(loserNames)]
      if (winner >= 0 && loser >= 0) {
        columns = { voter, winner, loser }
        if (voter < 0) warnings.push('No voter_id column: each row is counted as its own voter.')
        return
      }
      // No header we know: the columns are read as the format lays them out, and this row is a choice.
      columns = cells.length >= 3 ? { voter: 0, winner: 1, loser: 2 } : { voter: -1, winner: 0, loser: 1 }
      warnings.push(`No header naming winner and loser: reading the columns as ${cells.length >= 3 ? 'voter_id,winner,loser' : 'winner,loser'}.`)
      cells = cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c))
    }
    row++
    const winner = cell(columns.winner)
    const loser = cell(columns.loser)
    if (!winner || !loser) {
      if (skipped.incomplete++ === 0) skipped.firstIncomplete = row
      return
    }
    if (winner === loser) {
      if (skipped.self++ === 0) skipped.firstSelf = row
      return
    }
    tally.add(cell(columns.voter) || `row ${row}`, winner, loser)
  }

  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path, { encoding })
    stream.on('error', (error) => reject(new UnreadablePairwiseFile(`${path} cannot be read (${error.message}).`)))
    Papa.parse<string[]>(stream as unknown as File, {
      header: false,
      skipEmptyLines: 'greedy',
      step: (results) => take(results.data),
      complete: () => resolve(),
      error: (error: Error) => reject(new UnreadablePairwiseFile(`${path} is not a readable CSV file (${error.message}).`)),
    })
  })

  if (!columns) throw new UnreadablePairwiseFile(`${path} is empty: expected a CSV with the header voter_id,winner,loser.`)
  if (skipped.self)
    warnings.push(`Skipped ${plural(skipped.self, 'self-comparison')} (winner and loser the same option), the first at data row ${skipped.firstSelf}.`)
  if (skipped.incomplete)
    warnings.push(`Skipped ${plural(skipped.incomplete, 'row')} without both a winner and a loser, the first at data row ${skipped.firstIncomplete}.`)
  if (tally.length === 0)
    throw new UnreadablePairwiseFile(`${path} has no comparisons to fit${skipped.self + skipped.incomplete ? ' once those rows are skipped' : ''}.`)
  return { tally, warnings }
}

const plural = (count: number, noun: string) => `${count.toLocaleString('en-GB')} ${noun}${count === 1 ? '' : 's'}`

/** UTF-8 unless a UTF-16 (little-endian) byte-order mark says otherwise; NUL bytes elsewhere mean it is no text file. */
async function sniffEncoding(path: string): Promise<BufferEncoding> {
  const file = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(8192), 0, 8192, 0)
    const head = buffer.subarray(0, bytesRead)
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le'
    if (head.includes(0)) throw new UnreadablePairwiseFile(`${path} is not a CSV text file (it holds binary data).`)
    return 'utf8'
  } finally {
    await file.close()
  }
}
