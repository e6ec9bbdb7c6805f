import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runRegulars } from './program.js'

/** `regulars polls estimate`, run in this process as bin/regulars runs it, with what it prints. */
async function estimate(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runRegulars(['polls', 'estimate', ...args], { say: (line) => out.push(line), warn: (line) => err.push(line) })
  return { code, out, err }
}

let folder: string
const file = async (name: string, content: string | Buffer) => {
  const path = join(folder, name)
  await writeFile(path, content)
  return path
}

describe('regulars polls estimate', () => {
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'regulars-polls-'))
  })

  it('reads a messy file as a person saved it: BOM, CRLF, quotes, padding, blank lines, self-comparisons', async () => {
    const path = await file(
      'messy.csv',
      '\uFEFF"voter_id" , winner ,loser\r\n' +
        '"v1","Oat, large",Soy\r\n' +
        '\r\n' +
        '  v2 ,  Soy ,  Almond  \r\n' +
        'v3,Soy,Soy\r\n' +
        'v1,Almond,"Oat, large"\r\n' +
        '   \r\n' +
        'v4,"Oat, large",Almond\r\n' +
        'v5,"Say ""hello"" cake",Soy\r\n',
    )
    const { code, out, err } = await estimate(path, '--json')
    expect(code).toBe(0)
    const lines = out.map((line) => JSON.parse(line))
    expect(lines.map((l) => l.option).sort()).toEqual(['Almond', 'Oat, large', 'Say "hello" cake', 'Soy'])
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['option', 'score', 'low', 'high'])
      expect(line.low).toBeLessThanOrEqual(line.score)
      expect(line.score).toBeLessThanOrEqual(line.high)
      expect(line.low).toBeGreaterThanOrEqual(0)
      expect(line.high).toBeLessThanOrEqual(1)
    }
    expect(err.join('\n')).toMatch(/Skipped 1 self-comparison/)
    expect(err.join('\n')).toMatch(/5 choices by 5 voters on 4 options/)
  })

  it('prints a table, best first, and reads options seen only as winners or only as losers', async () => {
    const path = await file('table.csv', 'voter_id,winner,loser\na,Cold brew,Chai\nb,Cold brew,Matcha\nc,Matcha,Chai\n')
    const { code, out } = await estimate(path)
    expect(code).toBe(0)
    expect(out[0]).toMatch(/option\s+score\s+95% interval\s+wins\s+losses/)
    expect(out[1]).toMatch(/1\s+Cold brew\s+0\.\d{3}\s+0\.\d{3} – 0\.\d{3}\s+2\s+0/)
    expect(out[3]).toMatch(/3\s+Chai\s+0\.\d{3}\s+0\.\d{3} – 0\.\d{3}\s+0\s+2/)
  })

  it('recovers the ranking of simulated voters with known strengths, from 120,000 rows', async () => {
    const strengths = [2, 1.2, 0.5, 0, -0.5, -1.2, -2]
    let seed = 11
    const r = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    const rows = ['voter_id,winner,loser']
    for (let k = 0; k < 120_000; k++) {
      const i = Math.floor(r() * strengths.length)
      const j = (i + 1 + Math.floor(r() * (strengths.length - 1))) % strengths.length
      const iWins = r() < 1 / (1 + Math.exp(strengths[j] - strengths[i]))
      rows.push(`voter${k % 4000},item ${iWins ? i : j},item ${iWins ? j : i}`)
    }
    const { code, out } = await estimate(await file('simulated.csv', `${rows.join('\n')}\n`), '--json')
    expect(code).toBe(0)
    const lines = out.map((line) => JSON.parse(line))
    expect(lines.map((l) => l.option)).toEqual(strengths.map((_, i) => `item ${i}`))
    // item 0's true chance against a random other: the mean of its six pairwise chances.
    const truth = strengths.slice(1).reduce((sum, s) => sum + 1 / (1 + Math.exp(s - 2)), 0) / 6
    expect(lines[0].low).toBeLessThan(truth)
    expect(lines[0].high).toBeGreaterThan(truth)
  })

  it('says in one line on stderr why a file cannot be read, and exits non-zero', async () => {
    const cases = {
      missing: join(folder, 'nowhere.csv'),
      empty: await file('empty.csv', ''),
      blank: await file('blank.csv', '\n\r\n   \n'),
      binary: await file('binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x10, 0x00])),
      header: await file('header.csv', 'voter_id,winner,loser\n'),
      selfOnly: await file('self.csv', 'voter_id,winner,loser\nv1,Soy,Soy\n'),
      folder,
    }
    const reasons = {
      missing: /no such file/,
      empty: /is empty/,
      blank: /is empty/,
      binary: /not a CSV text file/,
      header: /no comparisons/,
      selfOnly: /no comparisons to fit once those rows are skipped/,
      folder: /is a folder/,
    }
    for (const [name, path] of Object.entries(cases)) {
      const { code, out, err } = await estimate(path, '--json')
      expect(code, name).not.toBe(0)
      expect(out, name).toEqual([])
      const errors = err.filter((line) => line.startsWith('error:'))
      expect(errors, name).toHaveLength(1)
      expect(errors[0], name).toMatch(reasons[name as keyof typeof reasons])
      expect(errors[0]).not.toContain('    at ')
    }
  })
})
