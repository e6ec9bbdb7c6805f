import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * The public retail datasets beside the project (../shared/data), wherever the checkout is: tests
 * and benchmarks may read them, the product never needs them. REGULARS_SHARED_DATA overrides.
 */
const candidates = [process.env.REGULARS_SHARED_DATA, resolve(import.meta.dirname, '../../../shared/data'), '/work/shared/data'].filter(Boolean) as string[]
export const sharedDataDir = candidates.find((dir) => existsSync(dir))

/** The path of a shared dataset file, or undefined when this machine does not have it. */
export const sharedData = (file: string) => (sharedDataDir && existsSync(join(sharedDataDir, file)) ? join(sharedDataDir, file) : undefined)

/**
 * A shared dataset file a test reads, or undefined (the test then skips) where this machine lacks
 * it, said loudly. In CI (`CI` set) the data is always there, so a missing file fails the run
 * instead of quietly skipping the tests that check real data.
 */
export function sharedDataForTest(file: string): string | undefined {
  const path = sharedData(file)
  if (path) return path
  const where = `${file} is not in ${sharedDataDir ?? candidates.join(' or ')}`
  if (process.env.CI && process.env.CI !== 'false') throw new Error(`${where}: CI always has the shared data, so its tests must not skip.`)
  process.stderr.write(`\n*** SKIPPING the tests that need ${where} (set REGULARS_SHARED_DATA to run them) ***\n\n`)
  return undefined
}
