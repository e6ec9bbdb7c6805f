import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/modules/accounts/index.js'
import { upsertProducts, upsertStores } from '../../src/modules/activity/index.js'
import { enrolMembers } from '../../src/modules/members/index.js'
import { loadConfig } from '../../src/platform/config.js'
import { newId } from '../../src/platform/ids.js'
import { type RunningServer, startServer } from '../../src/server.js'
import { testEnv } from '../support/testing.js'
import { hasChromium, launchBrowser, screenshotDir, signedInPage } from './browser.js'

const password = 'correct horse battery'

/** A port nobody holds: the restarted server must come back where the pages' sockets look for it. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

describe.skipIf(!hasChromium)('a live room in the web app (Chromium: two friends and an associate at once)', () => {
  let server: RunningServer
  let browser: Browser
  let dataDir: string
  let port: number
  const contexts: BrowserContext[] = []
  const start = () => startServer({ ...loadConfig(testEnv, { data: dataDir, port, host: '127.0.0.1', demo: false }), logLevel: 'silent' }, { logger: false })

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'regulars-rooms-e2e-'))
    port = await freePort()
    server = await start()
    const at = server.deps.clock.now()
    const ada = newId()
    const bea = newId()
    const store = newId()
    await upsertStores(server.deps.db, [{ id: store, code: 'S01', name: 'Camden', region: null, timezone: 'Europe/London' }])
    await upsertProducts(server.deps.db, [{ sku: 'JKT-1', name: 'Waxed jacket', priceMinor: 12000, currency: 'GBP', inStock: true }])
    await enrolMembers(
      server.deps.db,
      [
        { member: { id: ada, givenName: 'Ada', familyName: 'Lovelace', joinedAt: at }, identifiers: [] },
        { member: { id: bea, givenName: 'Bea', familyName: 'Brown', joinedAt: at }, identifiers: [] },
      ],
      { defaultRegion: 'GB', at },
    )
    await createUser(server.deps, { email: 'ada@rooms.test', displayName: 'Ada', password, role: 'member', memberId: ada })
    await createUser(server.deps, { email: 'bea@rooms.test', displayName: 'Bea', password, role: 'member', memberId: bea })
    await createUser(server.deps, { email: 'sam@rooms.test', displayName: 'Sam', password, role: 'associate', storeIds: [store] })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const openAs = async (email: string, width: number): Promise<Page> => {
    const page = await signedInPage(browser, contexts, { base: server.url, email, password, width })
    await page.waitForURL(/\/(me|associate)/)
    return page
  }
  const live = (page: Page) => expect.poll(() => page.getByTestId('room-status').textContent(), { timeout: 20_000 }).toBe('live')

  it('shows each their cart changes, presence and messages, and resumes after the server restarts without losing any', async () => {
    const ada = await openAs('ada@rooms.test', 1280)
    const bea = await openAs('bea@rooms.test', 390)
    const sam = await openAs('sam@rooms.test', 1280)

    await ada.getByLabel('Room name').fill('Jackets for the trip')
    await ada.getByRole('button', { name: 'Open a room' }).click()
    await ada.waitForURL(/\/rooms\//)
    await live(ada)
    const roomId = ada.url().split('/rooms/')[1]?.split('?')[0] as string
    const code = await ada.evaluate(async (id) => (await (await fetch(`/v1/rooms/${id}`)).json()).inviteCode, roomId)
    await bea.goto(`${server.url}/rooms/${roomId}?code=${code}`)
    await live(bea)

    await ada.getByPlaceholder('Ask an associate…').click()
    await ada.getByRole('option', { name: 'Camden' }).click()
    await sam.goto(`${server.url}/associate`)
    await sam.getByRole('button', { name: 'Join the room' }).click()
    await sam.waitForURL(/\/rooms\//)
    await live(sam)

    // Presence: everyone sees the others, the associate with a staff badge.
    for (const page of [ada, bea, sam]) await expect.poll(() => page.getByTestId('presence').textContent()).toMatch(/Sam( \(you\))? · staff/)
    await expect.poll(() => ada.getByTestId('presence').textContent()).toContain('Bea')

    await bea.getByTestId('chat-input').fill('<b>Olive</b> or navy?')
    await bea.getByTestId('chat-input').press('Enter')
    for (const page of [ada, sam]) await expect.poll(() => page.getByTestId('chat').textContent()).toContain('<b>Olive</b> or navy?') // as text

    await sam.getByLabel('Product sku').fill('JKT-1')
    await sam.getByRole('button', { name: 'Show everyone' }).click()
    await bea.getByTestId('product-card').filter({ hasText: 'Waxed jacket' }).first().getByRole('button', { name: 'Add to cart' }).click()
    for (const page of [ada, sam]) await expect.poll(() => page.getByTestId('cart').textContent()).toMatch(/Waxed jacket.*added by Bea/)
    await ada.screenshot({ path: `${screenshotDir}/room-1280.png`, fullPage: true })
    await bea.screenshot({ path: `${screenshotDir}/room-390.png`, fullPage: true })

    // The server goes away and comes back: the pages reconnect with their last number.
    await server.close()
    server = await start()
    await live(ada)
    await ada.getByTestId('chat-input').fill('Back again')
    await ada.getByTestId('chat-input').press('Enter')
    for (const page of [bea, sam]) await expect.poll(() => page.getByTestId('chat').textContent(), { timeout: 20_000 }).toContain('Back again')
    for (const page of [ada, bea, sam]) {
      await expect.poll(() => page.getByTestId('chat-message').count()).toBe(2) // nothing lost, nothing twice
      await expect.poll(() => page.getByTestId('cart-line').count()).toBe(1)
    }
    await sam.goto(`${server.url}/associate`)
    await sam.screenshot({ path: `${screenshotDir}/room-console-1280.png` })
  }, 120_000)
})
