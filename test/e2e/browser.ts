import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'
import { seedDemo } from '../../src/modules/demo/index.js'
import { type ConfigFlags, loadConfig } from '../../src/platform/config.js'
import { openDeps, type RunningServer, startServer } from '../../src/server.js'
import { startMailbox } from '../support/mailbox.js'
import { testEnv } from '../support/testing.js'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)
export const screenshotDir = 'test-results/screenshots'

/** Debian's Chromium, headless, with nothing that reaches beyond this machine. */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(screenshotDir, { recursive: true })
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}

export async function logIn(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: /log in/i }).click()
}

/**
 * One person signed in, in a browser of their own (a context: their own cookies, so two friends
 * and an associate can share a test), at a width; the context joins `contexts`, for closing after.
 */
export async function signedInPage(
  browser: Browser,
  contexts: BrowserContext[],
  { base, email, password, width, height = 900 }: { base: string; email: string; password: string; width: number; height?: number },
): Promise<Page> {
  // No service worker: it would fetch and store every file of the app for offline use in each new
  // context (the shopper tests that check the offline card allow it in theirs).
  const context = await browser.newContext({ viewport: { width, height }, serviceWorkers: 'block' })
  contexts.push(context)
  const page = await context.newPage()
  await logIn(page, base, email, password)
  return page
}

/**
 * For a describe block: a server on a spare port (the demo retailer unless the flags say otherwise)
 * and Chromium, started before its tests and closed after them.
 */
export function serverAndBrowser(flags: ConfigFlags = {}) {
  const the = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    const config = { ...loadConfig(testEnv, { data: 'memory', port: 0, host: '127.0.0.1', ...flags }), logLevel: 'silent' }
    the.server = await startServer(config, { logger: false, loadDataDir: config.seedDemo ? await demoRetailer() : undefined, checkSchedules: false })
    the.browser = await launchBrowser()
  }, 240_000)
  afterAll(async () => {
    await the.browser?.close()
    await the.server?.close()
  })
  return the
}

/**
 * The demo retailer's embedded database, seeded once a worker and saved: each file's server starts
 * from a copy (a second or two) instead of seeding its own (half a minute). Files share a worker's
 * modules (vitest `isolate: false`), so the promise serves every file after the first.
 */
let seeded: Promise<Blob> | undefined
const demoRetailer = () => {
  seeded ??= (async () => {
    const deps = await openDeps({ ...loadConfig(testEnv, { data: 'memory' }), logLevel: 'silent' })
    try {
      await seedDemo(deps)
      // After a checkpoint, each copy starts without replaying the seed's WAL (about twice as fast).
      await deps.database.pglite?.exec('checkpoint')
      return (await deps.database.pglite?.dumpDataDir('none')) as Blob
    } finally {
      await deps.database.close()
    }
  })()
  return seeded
}

/**
 * A server for a test that builds its own shop: an empty embedded database, copied from the run's
 * migrated template (test/setup/pglite.ts) instead of migrated again, on a spare port.
 */
export async function startEmptyServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ ...testEnv, ...env }, { data: 'memory', port: 0, host: '127.0.0.1', demo: false })
  const template = new Blob([await readFile(inject('pgliteTemplate'))])
  return startServer({ ...config, logLevel: 'silent' }, { logger: false, loadDataDir: template, checkSchedules: false })
}

/** A server on an embedded database whose email goes to a real SMTP server the test reads (codes, links). */
export async function serveWithMailbox() {
  const mailbox = await startMailbox()
  const server = await startEmptyServer({ SMTP_URL: mailbox.url })
  return { server, mailbox }
}
