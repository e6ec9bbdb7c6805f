import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { testEnv } from '../../../test/support/testing.js'
import { loadConfig } from '../../platform/config.js'
import { startServer } from '../../server.js'
import { demoLogins } from './seed.js'

/** What `npm start` does on a fresh machine, then again the next morning. */
describe('starting Regulars with an embedded database in a data folder', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it('seeds a demo retailer on first start, prints the logins, and keeps the data on the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'regulars-data-'))
    dirs.push(dataDir)
    const config = { ...loadConfig(testEnv, { data: dataDir, port: 0, host: '127.0.0.1' }), databaseUrl: undefined }
    const printed: string[] = []
    const first = await startServer(config, { logger: false, say: (line) => printed.push(line) })
    const login = async (url: string, email: string, password: string) =>
      fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
    let memberCount: number
    try {
      expect(printed.join('\n')).toContain('Seeding the demo retailer')
      for (const demo of demoLogins) expect(printed.join('\n')).toContain(demo.email)
      // The logins print as a little table: the passwords line up.
      const loginLines = printed.filter((line) => line.includes('password: '))
      expect(loginLines).toHaveLength(demoLogins.length)
      expect(new Set(loginLines.map((line) => line.indexOf('password: '))).size).toBe(1)
      for (const demo of demoLogins) expect((await login(first.url, demo.email, demo.password)).status, demo.email).toBe(200)

      const admin = await login(first.url, demoLogins[0].email, demoLogins[0].password)
      const cookie = admin.headers.get('set-cookie')?.split(';')[0] ?? ''
      const stores = await (await fetch(`${first.url}/v1/stores`, { headers: { cookie } })).json()
      expect(stores.items.length).toBeGreaterThanOrEqual(3)
      const overview = await (await fetch(`${first.url}/v1/insights/overview`, { headers: { cookie } })).json()
      expect(overview.members).toBeGreaterThanOrEqual(200)
      expect(overview.channelMix.length).toBeGreaterThanOrEqual(3)
      memberCount = overview.members

      const member = await login(first.url, demoLogins[3].email, demoLogins[3].password)
      const memberCookie = member.headers.get('set-cookie')?.split(';')[0] ?? ''
      const timeline = await (await fetch(`${first.url}/v1/me/timeline`, { headers: { cookie: memberCookie } })).json()
      expect(timeline.items.length).toBeGreaterThan(5)
      // The member home's social cards have something to show: friends, their shares, a shared list.
      const asMember = (path: string) => fetch(`${first.url}${path}`, { headers: { cookie: memberCookie } }).then((r) => r.json())
      expect((await asMember('/v1/me/friends')).friends).toHaveLength(3)
      expect((await asMember('/v1/me/feed')).items.length).toBeGreaterThanOrEqual(3)
      expect((await asMember('/v1/me/lists')).items).toEqual([expect.objectContaining({ title: 'Birthday ideas' })])
      // Every part of the programme has something to show on the first day: rewards spent, friends
      // brought (two who bought and earned, one not yet), people to review as duplicates, follow-ups.
      expect((await asMember('/v1/rooms')).invitations).toEqual([expect.objectContaining({ title: 'Saturday coffee run', people: 2 })])
      expect((await asMember('/v1/me/redemptions')).items.length).toBeGreaterThanOrEqual(1)
      expect((await asMember('/v1/me/referral')).friends.map((f: { status: string }) => f.status).sort()).toEqual(['rewarded', 'rewarded', 'waiting'])
      const asAdmin = (path: string) => fetch(`${first.url}${path}`, { headers: { cookie } }).then((r) => r.json())
      expect((await asAdmin('/v1/members/duplicates?limit=50')).items.length).toBeGreaterThanOrEqual(3)
      const associate = await login(first.url, demoLogins[2].email, demoLogins[2].password)
      const associateCookie = associate.headers.get('set-cookie')?.split(';')[0] ?? ''
      const outreach = await (await fetch(`${first.url}/v1/outreach`, { headers: { cookie: associateCookie } })).json()
      expect(outreach.items.length).toBeGreaterThanOrEqual(3)
      // Every community screen has something: ideas at every status, polls, answers and replies told, a queue, demand findings.
      const board = await asMember('/v1/ideas?sort=newest')
      expect(new Set(board.ideas.map((i: { status: string }) => i.status))).toEqual(new Set(['new', 'under_review', 'planned', 'in_stock', 'declined']))
      expect((await asMember('/v1/me/polls')).items.map((p: { kind: string }) => p.kind).sort()).toEqual(['pairwise', 'single'])
      const told = (await asMember('/v1/notifications')).items.map((n: { kind: string }) => n.kind)
      for (const kind of ['answer', 'reply', 'status']) expect(told).toContain(kind)
      expect((await asAdmin('/v1/moderation/queue')).items.length).toBeGreaterThanOrEqual(2)
      const demand = await asAdmin('/v1/insights/demand')
      const kinds = new Set(demand.rows.flatMap((r: { findings: { kind: string }[] }) => r.findings.map((f) => f.kind)))
      for (const kind of ['poll', 'review_themes']) expect(kinds).toContain(kind)
    } finally {
      await first.close()
    }

    printed.length = 0
    const second = await startServer(config, { logger: false, say: (line) => printed.push(line) })
    try {
      expect(printed.join('\n')).not.toContain('Seeding')
      const admin = await login(second.url, demoLogins[0].email, demoLogins[0].password)
      const cookie = admin.headers.get('set-cookie')?.split(';')[0] ?? ''
      const overview = await (await fetch(`${second.url}/v1/insights/overview`, { headers: { cookie } })).json()
      expect(overview.members).toBe(memberCount)
    } finally {
      await second.close()
    }
  }, 600_000)
})
