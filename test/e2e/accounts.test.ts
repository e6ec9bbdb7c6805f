import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../src/server.js'
import type { Mailbox } from '../support/mailbox.js'
import { hasChromium, launchBrowser, logIn, screenshotDir, serveWithMailbox } from './browser.js'

const password = 'tulip ladder orbit seventeen'
const newPassword = 'marble kettle violin harbour'

/** Nothing sticks out sideways: a page that needs scrolling across on a phone is broken. */
async function fitsWidth(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
}

describe.skipIf(!hasChromium)('joining, logging in and a forgotten password in the web app (Chromium)', () => {
  let server: RunningServer
  let browser: Browser
  let mailbox: Mailbox
  beforeAll(async () => {
    // A real SMTP server: the code and the link come by email, as they would to a person.
    ;({ server, mailbox } = await serveWithMailbox())
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await mailbox?.close()
  })

  for (const width of [1280, 390]) {
    it(`signs up with the emailed code, chooses channels for offers, logs in and resets the password (${width} px)`, async () => {
      const email = `grace-${width}@join.test`
      const shot = (page: Page, name: string) => page.screenshot({ path: `${screenshotDir}/accounts-${name}-${width}.png`, fullPage: true })

      // Join: the form, then the code from the email.
      const page = await browser.newPage({ viewport: { width, height: 900 } })
      await page.goto(`${server.url}/signup`)
      await page.getByRole('textbox', { name: /^Email/ }).fill(email)
      await page.getByLabel('Your name').fill('Grace Hopper')
      await page.getByLabel(/^Password/).fill(password)
      await fitsWidth(page, width)
      await shot(page, 'signup')
      const before = mailbox.received.length
      await page.getByRole('button', { name: 'Send me a code' }).click()
      await page.getByRole('heading', { name: 'Enter your code' }).waitFor()
      await mailbox.arrival(email, before)
      await page.getByLabel('Code').fill(mailbox.codeFor(email))
      await shot(page, 'signup-code')
      await page.getByRole('button', { name: 'Join' }).click()
      await page.getByTestId('member-home').waitFor()
      await page.getByRole('heading', { name: 'Hello, Grace' }).waitFor() // greeted by the name given at joining

      // Offers by channel, on the home page: text messages allowed on their own.
      const channels = page.getByRole('group', { name: 'Notifications by channel' })
      await channels.scrollIntoViewIfNeeded()
      const bySms = channels.getByRole('switch', { name: 'By text message' })
      expect(await bySms.isChecked()).toBe(false) // marketing was never given
      await bySms.click({ force: true })
      await expect.poll(() => bySms.isChecked()).toBe(true)
      const card = await (await page.request.get(`${server.url}/v1/me`)).json()
      expect(card.marketingChannels.find((c: { channel: string }) => c.channel === 'sms')).toMatchObject({ granted: true, own: true })
      await fitsWidth(page, width)
      await shot(page, 'home')
      await page.close()

      // A new browser logs in with the password chosen at joining.
      const again = await browser.newPage({ viewport: { width, height: 900 } })
      await logIn(again, server.url, email, password)
      await again.getByTestId('member-home').waitFor()
      await again.close()

      // Forgot it: the link comes by email, and the new password works (the old one no longer).
      const reset = await browser.newPage({ viewport: { width, height: 900 } })
      await reset.goto(`${server.url}/login`)
      await reset.getByRole('link', { name: /forgot/i }).click()
      await reset.getByLabel('Email or phone').fill(email)
      await shot(reset, 'forgot')
      const sent = mailbox.received.length
      await reset.getByRole('button', { name: 'Send me a link' }).click()
      await reset.getByText(/a link to choose a new password is on its way/).waitFor()
      await mailbox.arrival(email, sent)
      const link = new URL(mailbox.linkFor(email))
      await reset.goto(`${server.url}/reset-password${link.search}`)
      await reset.getByLabel('New password').fill(newPassword)
      await fitsWidth(reset, width)
      await shot(reset, 'reset')
      await reset.getByRole('button', { name: 'Set password' }).click()
      await reset.getByText('Your password is set.').waitFor()
      await reset.getByRole('link', { name: 'Log in' }).click()
      await reset.getByLabel('Email').fill(email)
      await reset.getByLabel('Password').fill(password)
      await reset.getByRole('button', { name: /log in/i }).click()
      await reset.getByText('Wrong email or password').waitFor()
      await reset.locator('input[type=password]').fill(newPassword) // the alert names “password” too
      await reset.getByRole('button', { name: /log in/i }).click()
      await reset.getByTestId('member-home').waitFor()
      await reset.close()
    })
  }
})
