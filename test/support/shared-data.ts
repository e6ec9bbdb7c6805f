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
