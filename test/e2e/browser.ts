import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { type ConfigFlags, loadConfig } from '../../src/platform/config.js'
import { type RunningServer, startServer } from '../../src/server.js'
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
 * For a describe block: a server on a spare port (the demo retailer unless the flags say otherwise)
 * and Chromium, started before its tests and closed after them.
 */
export function serverAndBrowser(flags: ConfigFlags = {}) {
  const the = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    the.server = await startServer({ ...loadConfig(testEnv, { data: 'memory', port: 0, host: '127.0.0.1', ...flags }), logLevel: 'silent' }, { logger: false })
    the.browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await the.browser?.close()
    await the.server?.close()
  })
  return the
}

/** A server on an embedded database whose email goes to a real SMTP server the test reads (codes, links). */
export async function serveWithMailbox() {
  const mailbox = await startMailbox()
  const config = loadConfig({ ...testEnv, SMTP_URL: mailbox.url }, { data: 'memory', port: 0, host: '127.0.0.1', demo: false })
  const server = await startServer({ ...config, logLevel: 'silent' }, { logger: false })
  return { server, mailbox }
}
