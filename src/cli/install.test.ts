import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

/** The lowest Node major an `engines.node` range allows ("^18 || >=20" → 18, ">= 22.x" → 22); undefined if it says no lower bound. */
function lowestNode(range: string): number | undefined {
  const bounds = range.split('||').map((alternative) => alternative.match(/(?:>=|\^|~|=)?\s*v?(\d+)/)?.[1])
  const majors = bounds.filter((major): major is string => major !== undefined).map(Number)
  return majors.length ? Math.min(...majors) : undefined
}

describe('what `npm install` leaves behind', () => {
  it('builds the command line once, so `regulars` starts without compiling TypeScript', async () => {
    await run(process.execPath, ['scripts/build-server.mjs'])
    const { stdout } = await run(process.execPath, ['bin/regulars.js', '--version'], { env: { ...process.env, NODE_OPTIONS: '' } })
    expect(stdout.trim()).toBe(JSON.parse(await readFile('package.json', 'utf8')).version)
    // The built file is what bin/regulars.js ran: it holds the program, not a loader for src/.
    expect(await readFile('dist/regulars.js', 'utf8')).toContain('print the version of Regulars')
  }, 60_000)

  it('installs no package that asks for a newer Node than the one Regulars supports', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { maxBuffer: 16 * 1024 * 1024 })
    const supported = Number(JSON.parse(await readFile('package.json', 'utf8')).engines.node.match(/\d+/)[0])
    const tooNew: string[] = []
    for (const folder of new Set(stdout.trim().split('\n').slice(1))) {
      const manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8'))
      const lowest = typeof manifest.engines?.node === 'string' ? lowestNode(manifest.engines.node) : undefined
      if (lowest !== undefined && lowest > supported) tooNew.push(`${manifest.name}@${manifest.version} (node ${manifest.engines.node})`)
    }
    expect(tooNew).toEqual([])
  }, 60_000)
})
