import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type TestDeps, testDeps } from '../../test/support/testing.js'
import { runRegulars } from './program.js'

/** `regulars …` in this process, on this project's database (a data folder, or the PostgreSQL test database). */
describe('regulars jobs', () => {
  let deps: TestDeps | undefined
  let data: string[] = []
  beforeAll(async () => {
    if (process.env.REGULARS_TEST_DB === 'postgres') {
      deps = await testDeps()
      vi.stubEnv('DATABASE_URL', deps.config.databaseUrl as string)
    } else {
      vi.stubEnv('DATABASE_URL', '')
      data = ['--data', join(await mkdtemp(join(tmpdir(), 'regulars-jobs-')), 'data')]
    }
  })
  afterAll(async () => {
    vi.unstubAllEnvs()
    await deps?.close()
  })

  const regulars = async (...args: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runRegulars([...args, ...data], { say: (line) => out.push(line), warn: (line) => err.push(line) })
    return { code, stdout: out.join('\n'), stderr: err.join('\n') }
  }

  it('lists the jobs with their schedules, runs one, and shows its run', async () => {
    const before = await regulars('jobs', 'list')
    expect(before.code).toBe(0)
    expect(before.stdout).toMatch(/^rewards-housekeeping +\*\/5 \* \* \* \* +next \S+ +never run$/m)
    expect(before.stdout).toMatch(/^insights-full +30 2 \* \* \* +next \S+T\S+ +never run$/m)
    expect(before.stdout).toContain('Schedules are read in Europe/London (REGULARS_TIMEZONE).')

    const ran = await regulars('jobs', 'run', 'rewards-housekeeping')
    expect(ran).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Released 0 pending holds, reminded 0 members, .* rewarded 0 referrals\. \(\d+ ms\)$/),
    })
    const after = await regulars('jobs', 'list', '--json')
    const housekeeping = after.stdout
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((job) => job.name === 'rewards-housekeeping')
    expect(housekeeping.lastRun).toMatchObject({ trigger: 'cli', outcome: 'succeeded' })
  }, 120_000)

  it('keeps `rewards jobs --nightly` working: the housekeeping and tier review jobs, in the same history', async () => {
    const ran = await regulars('rewards', 'jobs', '--nightly')
    expect(ran.code).toBe(0)
    expect(ran.stdout.split('\n')).toEqual([expect.stringMatching(/^Released 0 pending holds/), expect.stringMatching(/^Tiers: 0 members scored/)])
    const list = await regulars('jobs', 'list')
    expect(list.stdout).toMatch(/^tier-review .* last succeeded /m)
  }, 120_000)

  it('names the jobs there are when asked for one that is not, and refuses a time zone that is not one', async () => {
    const missing = await regulars('jobs', 'run', 'nightly')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('There is no job called "nightly"; the jobs are rewards-housekeeping, tier-review, insights-changed')
    vi.stubEnv('REGULARS_TIMEZONE', 'Mars/Olympus_Mons')
    const wrongZone = await regulars('jobs', 'list')
    vi.stubEnv('REGULARS_TIMEZONE', undefined)
    expect(wrongZone.code).toBe(1)
    expect(wrongZone.stderr).toContain('REGULARS_TIMEZONE must be an IANA time zone such as Europe/London, got Mars/Olympus_Mons')
  })
})
