import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The folder holding Regulars' package.json: the same answer from src/ (run through tsx) and from
 * dist/ (the CLI built at install), so migrations and SQL sources are found from either.
 */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(folder, 'package.json'))) {
    const up = dirname(folder)
    if (up === folder) throw new Error('Cannot find the Regulars package folder (no package.json above the code).')
    folder = up
  }
  return folder
}

/** The version in package.json, which `regulars --version` prints. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
}
