import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import type { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sharedDataForTest } from '../../test/support/shared-data.js'
import { createProgram, runRegulars } from './program.js'

/**
 * Commands run in this process through runRegulars, exactly as bin/regulars runs them, with what
 * they print captured; two tests start the real process (`--help` and `serve`), for what only a
 * process shows: its exit code, its streams and its signals.
 */
async function regulars(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runRegulars(args, { say: (line) => out.push(line), warn: (line) => err.push(line) })
  const result = { code, stdout: out.map((line) => `${line}\n`).join(''), stderr: err.map((line) => `${line}\n`).join('') }
  if (code !== 0) throw Object.assign(new Error(`regulars ${args.join(' ')} exited with ${code}: ${result.stderr}`), result)
  return result
}
const inAProcess = (args: string[]) => [process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { ...process.env, DATABASE_URL: '' } }] as const

const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)]
const cdnow = sharedDataForTest('cdnow/CDNOW_sample.txt')

describe('the regulars command line', () => {
  // The embedded database, whatever the environment running the tests says.
  beforeAll(() => {
    vi.stubEnv('DATABASE_URL', '')
  })
  afterAll(() => {
    vi.unstubAllEnvs()
  })

  it('explains every command and every option in --help', async () => {
    const commands = everyCommand(createProgram())
    expect(commands.map((c) => c.name())).toEqual(
      expect.arrayContaining(['serve', 'migrate', 'demo', 'generate', 'user', 'create', 'apikey', 'import', 'transactions', 'identity', 'eval']),
    )
    // The options the docs promise (README, docs/rewards.md, docs/import.md).
    const options = (name: string) => commands.find((c) => c.name() === name)?.options.map((o) => o.long)
    expect(options('jobs')).toContain('--nightly')
    expect(options('transactions')).toEqual(expect.arrayContaining(['--format', '--source', '--rejects', '--json']))
    for (const command of commands) {
      expect(command.description(), `${command.name()} has a description`).not.toBe('')
      for (const option of command.options) expect(option.description, `${command.name()} ${option.flags}`).not.toBe('')
      expect(command.helpInformation()).toContain('--help')
    }

    // The real program, as a person starts it.
    const help = await promisify(execFile)(...inAProcess(['--help']))
    for (const name of ['serve', 'migrate', 'demo', 'import', 'insights', 'advisor']) expect(help.stdout).toContain(name)
    const failed = await promisify(execFile)(...inAProcess(['demo', 'generate', '--members', '3', '--out', '/nowhere/at/all.csv'])).catch((error) => error)
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/^error: .*\/nowhere\/at\/all\.csv/)
    expect(failed.stderr).not.toContain('    at ') // a reason, not a stack trace
  }, 60_000)

  it('serves the API from `regulars serve` until it is told to stop', async () => {
    const [command, args, options] = inAProcess(['serve', '--port', '0', '--host', '127.0.0.1', '--data', 'memory', '--no-demo'])
    const server: ChildProcess = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      let url = ''
      for await (const line of createInterface({ input: server.stdout as NodeJS.ReadableStream })) {
        url = line.match(/serving (http:\/\/\S+)/)?.[1] ?? ''
        if (url) break
      }
      expect(url).toMatch(/^http:\/\/localhost:\d+$/)
      const health = await fetch(`${url}/healthz`)
      expect(health.status).toBe(200)
      const exited = once(server, 'exit')
      server.kill('SIGTERM')
      expect((await exited)[0]).toBe(0)
    } finally {
      server.kill('SIGKILL')
    }
  }, 60_000)

  it('refuses to create an API key with a scope no route knows', async () => {
    const refused = await regulars(['apikey', 'create', '--name', 'POS', '--scopes', 'members:read', 'everything', '--data', 'memory']).catch((error) => error)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('Unknown scope everything')
    expect(refused.stderr).toContain('insights:read')
  })

  it('generates a history and imports it, then imports it again without doubling anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-cli-'))
    const file = join(dir, 'history.csv')
    const generated = await regulars(['demo', 'generate', '--members', '40', '--months', '3', '--seed', '5', '--out', file])
    expect(generated.stdout).toMatch(/^Wrote \d+ rows \(40 members, \d+ orders, \d+ returns\)/)
    const rows = (await readFile(file, 'utf8')).trim().split('\n').length - 1

    const data = join(dir, 'data')
    const first = JSON.parse((await regulars(['import', 'transactions', file, '--format', 'generic', '--json', '--data', data])).stdout)
    expect(first).toMatchObject({ rowsRead: rows, linesImported: rows, rejected: 0, ordersAlreadyImported: 0 })
    const again = await regulars(['import', 'transactions', file, '--format', 'generic', '--data', data])
    expect(again.stdout).toContain('Imported 0 lines')
    expect(again.stdout).toMatch(/\d+ orders were imported before and were skipped/)
  }, 120_000)

  it('says which columns a file lacks, and writes rejected rows with their reasons', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-cli-'))
    const wrong = join(dir, 'wrong.csv')
    await writeFile(wrong, 'customer,when\n1,2\n')
    const failed = await regulars(['import', 'transactions', wrong, '--format', 'generic', '--data', 'memory']).catch((error) => error)
    expect(failed.code).not.toBe(0)
    expect(failed.stderr).toContain('needs the columns member_id, order_id, occurred_at, sku, quantity, unit_price')

    const mixed = join(dir, 'mixed.csv')
    await writeFile(mixed, 'member_id,order_id,occurred_at,sku,quantity,unit_price\nL1,A,2026-01-02T10:00:00Z,X,1,2.50\nL1,B,yesterday,X,1,2.50\n')
    const rejects = join(dir, 'rejects.csv')
    const result = await regulars(['import', 'transactions', mixed, '--format', 'generic', '--data', 'memory', '--rejects', rejects])
    expect(result.stdout).toContain('Rejected 1 rows')
    expect(await readFile(rejects, 'utf8')).toContain('L1,B,yesterday,X,1,2.50,3,"occurred_at ""yesterday"" is not a date or date-time')
  }, 120_000)

  it('keeps the CSV quoting in the rejects file, so the fixed file imports as it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-cli-'))
    const file = join(dir, 'history.csv')
    await writeFile(
      file,
      'member_id,order_id,occurred_at,sku,quantity,unit_price,product_name\n' +
        'L1,A,2026-01-02T10:00:00Z,X,1,2.50,"Mug, large"\n' +
        'L1,B,2026-01-03T10:00:00Z,Y,1,two pounds,"Bowl, ""Tide"" blue"\n',
    )
    const rejects = join(dir, 'rejects.csv')
    const data = join(dir, 'data')
    await regulars(['import', 'transactions', file, '--format', 'generic', '--data', data, '--rejects', rejects])
    const [header, row] = (await readFile(rejects, 'utf8')).trim().split('\n')
    expect(header).toBe('member_id,order_id,occurred_at,sku,quantity,unit_price,product_name,rejected_line,rejected_because')
    expect(row).toMatch(/^L1,B,2026-01-03T10:00:00Z,Y,1,two pounds,"Bowl, ""Tide"" blue",3,"unit_price ""two pounds"" is not a price/)

    // A person fixes the price in a spreadsheet and imports the rejects file itself.
    await writeFile(rejects, (await readFile(rejects, 'utf8')).replace('two pounds', '2.00'))
    const fixed = JSON.parse((await regulars(['import', 'transactions', rejects, '--format', 'generic', '--json', '--data', data])).stdout)
    expect(fixed).toMatchObject({ linesImported: 1, rejected: 0 })
  }, 120_000)

  it("tells a person what is wrong in one line and the command's usage, not the whole help", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-cli-'))
    const empty = join(dir, 'empty.csv')
    const binary = join(dir, 'sales.xlsx')
    await writeFile(empty, '')
    await writeFile(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]))
    const reasons: Record<string, RegExp> = {
      [join(dir, 'nowhere.csv')]: /There is no file .*nowhere\.csv\./,
      [empty]: /empty\.csv is empty\./,
      [binary]: /sales\.xlsx is not a text file \(save it as CSV, UTF-8\)\./,
      [dir]: /is a folder, not a file\./,
    }
    for (const [file, reason] of Object.entries(reasons)) {
      const failed = await regulars(['import', 'transactions', file, '--format', 'generic', '--data', 'memory']).catch((error) => error)
      expect(failed.code).toBe(1)
      const lines = failed.stderr.trim().split('\n')
      expect(lines[0]).toMatch(reason)
      expect(lines.slice(1)).toEqual(['usage: regulars import transactions [options] <file>', '(regulars import transactions --help says more)'])
    }
    const incomplete = await regulars(['user', 'create', '--email', 'a@example.com']).catch((error) => error)
    expect(incomplete.stderr.trim().split('\n')).toEqual([
      "error: required option '--name <name>' not specified",
      'usage: regulars user create [options]',
      '(regulars user create --help says more)',
    ])

    expect((await regulars(['--version'])).stdout.trim()).toBe(JSON.parse(await readFile('package.json', 'utf8')).version)
  })

  it('creates a login for stores named by their codes, and never prints SQL or a password hash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-cli-'))
    const data = join(dir, 'data')
    const file = join(dir, 'history.csv')
    await writeFile(file, 'member_id,order_id,occurred_at,sku,quantity,unit_price,store\nL1,A,2026-01-02T10:00:00Z,X,1,2.50,S01\n')
    await regulars(['import', 'transactions', file, '--format', 'generic', '--data', data])
    const login = [
      'user',
      'create',
      '--email',
      'sam@example.com',
      '--name',
      'Sam Baker',
      '--role',
      'associate',
      '--password',
      'correct horse battery',
      '--data',
      data,
    ]

    const created = await regulars([...login, '--store', 'S01'])
    expect(created.stdout.trim()).toBe('Created associate Sam Baker <sam@example.com> for S01 (S01).')
    const unknown = await regulars([...login, '--store', 'S99']).catch((error) => error)
    expect(unknown.stderr).toContain('No store with the code S99; the stores are S01.')
    const again = await regulars([...login, '--store', 'S01']).catch((error) => error)
    expect(again.stderr.split('\n')[0]).toBe('error: A login with email sam@example.com already exists.')
    for (const output of [created.stdout, unknown.stderr, again.stderr]) expect(output).not.toMatch(/argon2|insert into|select /i)
  }, 60_000)

  it.skipIf(!cdnow)(
    'fits the lifetime-value models on the CDNOW sample and prints the holdout check',
    async () => {
      const file = cdnow as string
      const text = await regulars(['insights', 'clv-fit', file, '--format', 'cdnow', '--calibration-end', '1997-09-30'])
      expect(text.stdout).toContain('BG/NBD       r 0.2426  alpha 4.4136  a 0.7929  b 2.4259  log-likelihood -9582.43')
      expect(text.stdout).toContain('Gamma-Gamma  p 6.2496  q 3.7442  gamma 15.4435')
      expect(text.stdout).toMatch(/Holdout, 39 weeks: [\d.]+ repeat purchases predicted, 1882 made\./)
      const json = JSON.parse((await regulars(['insights', 'clv-fit', file, '--format', 'cdnow', '--calibration-end', '1997-09-30', '--json'])).stdout)
      expect(json).toMatchObject({ customers: 2357, bgnbd: { r: 0.2426 }, gammaGamma: { p: 6.2496 } })
      await expect(regulars(['insights', 'clv-fit', file, '--format', 'cdnow', '--calibration-end', '30/09/1997'])).rejects.toThrow(/YYYY-MM-DD/)
    },
    120_000,
  )

  it('recommends from a history file, one JSON line per member, and evaluates against both baselines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-advisor-'))
    const history = join(dir, 'history.csv')
    await regulars(['demo', 'generate', '--members', '300', '--months', '6', '--seed', '3', '--out', history])
    const members = join(dir, 'members.txt')
    await writeFile(members, 'member_id\nL00000001\nL00000002\nNOBODY\n')
    const out = join(dir, 'out.jsonl')
    await regulars(['advisor', 'recommend', '--train', history, '--format', 'generic', '--members', members, '--k', '5', '--out', out])
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines.map((l) => l.member_id)).toEqual(['L00000001', 'L00000002', 'NOBODY'])
    for (const line of lines) expect(line.items).toHaveLength(5)
    expect(Object.keys(lines[0])).toEqual(['member_id', 'items'])

    const [train, test] = [join(dir, 'train.csv'), join(dir, 'test.csv')]
    const split = await regulars(['advisor', 'split', history, '--cutoff', '2026-08-01', '--train-out', train, '--test-out', test])
    expect(split.stdout).toMatch(/^Train: [\d,]+ baskets before 2026-08-01; test: [\d,]+ members' first basket after it\./)
    const evaluated = JSON.parse((await regulars(['advisor', 'eval', '--train', train, '--test', test, '--k', '10,20', '--json'])).stdout)
    expect(evaluated.results.map((r: { method: string }) => r.method)).toEqual(['regulars', 'G-TopFreq', 'P-TopFreq'])
    expect(Object.keys(evaluated.results[0].scores)).toEqual(['recall@10', 'ndcg@10', 'recall@20', 'ndcg@20'])
  }, 120_000)
})
