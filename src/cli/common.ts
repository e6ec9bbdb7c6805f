import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { InvalidArgumentError, Option } from 'commander'
import { type ConfigFlags, loadConfig } from '../platform/config.js'
import type { Deps } from '../platform/deps.js'
import { openDeps } from '../server.js'

/** Where a command prints: its results (`say`), and progress or problems (`warn`). */
export interface CliOutput {
  say(line: string): void
  warn(line: string): void
}

export const stdio: CliOutput = {
  say: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
}

export const dataOption = () => new Option('--data <dir>', 'embedded database folder, or "memory" for a throwaway one (env REGULARS_DATA)')

/** Opens the configured database (migrated) for one command, and closes it after. */
export async function withDeps<T>(flags: ConfigFlags, work: (deps: Deps) => Promise<T>): Promise<T> {
  const deps = await openDeps(loadConfig(process.env, flags))
  try {
    return await work(deps)
  } finally {
    await deps.database.close()
  }
}

export const positiveInt = (name: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1`)
  return n
}

/**
 * Commander argument checks. A data file must be there, be a file, hold something, and be text: a
 * person who gives the wrong path (or a spreadsheet's .xlsx) is told so in words before any work starts.
 */
export const mustExist = (file: string) => {
  if (!existsSync(file)) throw new InvalidArgumentError(`There is no file ${file}.`)
  const info = statSync(file)
  if (!info.isFile()) throw new InvalidArgumentError(`${file} is a folder, not a file.`)
  if (info.size === 0) throw new InvalidArgumentError(`${file} is empty.`)
  const start = Buffer.alloc(Math.min(info.size, 8192))
  const fd = openSync(file, 'r')
  try {
    readSync(fd, start, 0, start.length, 0)
  } finally {
    closeSync(fd)
  }
  // Text files never hold a zero byte; spreadsheets, archives and images do (UTF-16 text too, which we do not read).
  if (start.includes(0)) throw new InvalidArgumentError(`${file} is not a text file (save it as CSV, UTF-8).`)
  return file
}

export const isoDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('Give a date as YYYY-MM-DD.')
  return value
}
