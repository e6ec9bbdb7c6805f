import type { BrowserContext, Page } from 'playwright-core'
import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { demoLogins } from '../../src/modules/demo/index.js'
import { loadConfig } from '../../src/platform/config.js'
import { startServer } from '../../src/server.js'
import { testEnv } from '../support/testing.js'
import { hasChromium, logIn, screenshotDir, serverAndBrowser } from './browser.js'

const member = demoLogins.find((l) => l.role === 'member') as (typeof demoLogins)[number]
const associate = demoLogins.find((l) => l.role === 'associate') as (typeof demoLogins)[number]
const widths = [1280, 390] as const

/** The shopper's own screens, as the demo's shopper sees them on a laptop and on a phone. */
describe.skipIf(!hasChromium)('the shopper’s card, rewards, points and taste (Chromium, 1280 and 390 px)', () => {
  const the = serverAndBrowser()

  // One login per width: the login route allows 10 tries a minute per address and email, and fast tests log in more often.
  const sessions = new Map<number, BrowserContext>()
  const openHome = async (width: number): Promise<Page> => {
    let context = sessions.get(width)
    if (!context) {
      context = await the.browser.newContext({ viewport: { width, height: 844 } })
      sessions.set(width, context)
      const first = await context.newPage()
      await logIn(first, the.server.url, member.email, member.password)
      await first.getByTestId('member-home').waitFor()
      await first.close()
    }
    const page = await context.newPage()
    await page.goto(`${the.server.url}/me`)
    await page.getByTestId('member-home').waitFor()
    await page.getByTestId('card-code').waitFor()
    return page
  }
  const shot = async (page: Page, name: string, width: number, testId?: string) => {
    if (testId) await page.getByTestId(testId).first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${screenshotDir}/shopper-${name}-${width}.png` })
  }

  it('shows the card with a code of the loyalty id the till’s lookup finds, the name in the header and the tier near the top', async () => {
    for (const width of widths) {
      const page = await openHome(width)
      const number = (await page.getByTestId('card-number').textContent()) as string
      const name = (await page.getByTestId('card-name').textContent()) as string
      expect(name).not.toBe('Demo Member')
      // What the code encodes is the loyalty id: drawing that id again gives the very same picture.
      const drawn = await page.getByTestId('card-code').getAttribute('src')
      const expected = await QRCode.toString(number, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', width: 200 })
      expect(drawn).toBe(`data:image/svg+xml;utf8,${encodeURIComponent(expected)}`)
      expect(number.length).toBeGreaterThan(4)

      // The header names the member, not the login ("Demo Member"); on a phone inside the account menu.
      if (width === 1280) await expect(page.getByTestId('account-name').textContent()).resolves.toBe(name)
      else {
        await page.getByRole('button', { name: 'Account' }).click()
        await page.getByRole('menu').getByText(name, { exact: true }).waitFor()
        await page.keyboard.press('Escape')
      }

      // The tier and what the next one needs are on the first screen of a phone.
      const tier = page.getByTestId('tier-next').first()
      expect(await tier.textContent()).toMatch(/more tier points for|top tier/)
      const box = await tier.boundingBox()
      expect(box && box.y + box.height).toBeLessThan(844)
      await shot(page, 'card', width)
      await page.close()

      // At the till the associate types (or scans) that number and gets this member.
      const till = await the.browser.newPage({ viewport: { width, height: 844 } })
      await logIn(till, the.server.url, associate.email, associate.password)
      await till.getByTestId('associate-console').waitFor()
      await till.getByLabel('Scan or type a card, phone or email').fill(number)
      await till.keyboard.press('Enter')
      await till.waitForURL(/\/associate\/members\//)
      await till.getByText(name).first().waitFor()
      await till.close()
    }
  })

  it('asks before spending points, and keeps every redeemed code under My rewards after the window closes', async () => {
    for (const width of widths) {
      const page = await openHome(width)
      const reward = page
        .getByTestId('reward')
        .filter({ has: page.getByRole('button', { name: 'Redeem', exact: true }) })
        .first()
      const rewardName = (await reward.locator('p').first().textContent()) as string
      await reward.getByRole('button', { name: 'Redeem', exact: true }).click()
      // Nothing is spent until the member says yes.
      const ask = page.getByRole('dialog', { name: `Redeem ${rewardName}?` })
      await ask.getByText(/This spends .* points; you will have .* left/).waitFor()
      await shot(page, 'redeem-confirm', width)
      await ask.getByRole('button', { name: /^Spend/ }).click()
      const enjoy = page.getByRole('dialog', { name: 'Enjoy!' })
      await enjoy.waitFor()
      const shown = enjoy.getByTestId('redeemed-code')
      const code = (await shown.count()) ? await shown.textContent() : null
      await page.keyboard.press('Escape')
      await enjoy.waitFor({ state: 'hidden' })
      const mine = page.getByTestId('my-reward').filter({ hasText: rewardName }).first()
      await mine.waitFor()
      if (code) await expect(mine.getByTestId('my-reward-code').textContent()).resolves.toBe(code)
      await expect(mine.getByTestId('my-reward-status').textContent()).resolves.toMatch(/Ready to use|Redeemed/)
      await shot(page, 'my-rewards', width, 'my-reward')
      await page.close()
    }
  })

  it('reads the points history in date order, in plain words, with no zero lines and pending said once', async () => {
    for (const width of widths) {
      const page = await openHome(width)
      const rows = page.getByTestId('points-move')
      await rows.first().waitFor()
      await page.getByRole('button', { name: 'Show more' }).click()
      const lines = await rows.allTextContents()
      expect(lines.length).toBeGreaterThan(8)
      for (const line of lines) {
        expect(line).not.toMatch(/ at us\b/)
        expect(line).not.toMatch(/[+−-]0$/)
        expect(line).not.toMatch(/yours to spend: the return window closed|Reward handed over/)
        expect(line.match(/pending/g)?.length ?? 0).toBeLessThan(2)
      }
      const dates = await rows.evaluateAll((trs) => trs.map((tr) => Date.parse(tr.querySelector('td')?.textContent ?? '')))
      expect(dates).toEqual([...dates].sort((a, b) => b - a))
      await shot(page, 'points-history', width, 'points-move')
      await page.close()
    }
  })

  it('keeps taste in the member’s words, refuses twins and unknown categories, and a thumbs-down dates nothing', async () => {
    for (const width of widths) {
      const page = await openHome(width)
      const taste = page.getByTestId('taste')
      await taste.getByTestId('taste-why').first().waitFor()
      const reasons = async () =>
        new Map(
          await taste
            .getByTestId('taste-learned')
            .evaluateAll((items) =>
              items.map((item) => [
                item.querySelector('[data-testid=taste-subject]')?.textContent ?? '',
                item.querySelector('[data-testid=taste-why]')?.textContent ?? '',
              ]),
            ),
        )
      const whyBefore = await reasons()
      // A thumbs-down on a suggestion lowers a taste but is no purchase: every reason keeps its date.
      const suggestions = page.getByTestId('suggestion')
      const first = (await suggestions.first().textContent()) as string
      const relearnt = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/me/taste' && r.request().method() === 'GET')
      await suggestions
        .first()
        .getByRole('button', { name: /^Not for me:/ })
        .click()
      await relearnt
      await expect.poll(() => suggestions.first().textContent()).not.toBe(first)
      await expect.poll(async () => (await reasons()).size).toBeGreaterThan(0)
      const whyAfter = await reasons()
      for (const [subject, why] of whyAfter) if (whyBefore.has(subject)) expect(why, subject).toBe(whyBefore.get(subject))

      const say = async (what: string, which: string) => {
        await taste.getByLabel('What').click()
        await page.getByRole('option', { name: what, exact: true }).click()
        await taste.getByLabel('Which').fill(which)
        await taste.getByRole('button', { name: 'Add' }).click()
      }
      if (width === 1280) {
        await say('Not for me', 'home › candles')
        await taste.getByTestId('taste-preference').filter({ hasText: 'Not for me: Home › Candles' }).waitFor()
      }
      await say('Not for me', 'Home > Candles')
      await taste.getByRole('alert').getByText('Already said: “Not for me: Home › Candles”.').waitFor()
      await say('I like', 'Garden › Gnomes')
      await taste
        .getByRole('alert')
        .getByText(/We have no category “Garden › Gnomes”\. Try /)
        .waitFor()
      await shot(page, 'taste', width, 'taste-preference')
      await page.close()
    }
  })

  it('has per-channel notification settings, and is installable with a manifest and a service worker', async () => {
    for (const width of widths) {
      const page = await openHome(width)
      const settings = page.getByTestId('notifications')
      for (const channel of ['By email', 'By text message', 'By app notification']) await settings.getByText(channel, { exact: true }).waitFor()
      await shot(page, 'notifications', width, 'notifications')
      const manifest = await (await fetch(`${the.server.url}/manifest.webmanifest`)).json()
      expect(manifest).toMatchObject({ name: 'Regulars', start_url: '/me', display: 'standalone' })
      expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
      // The service worker takes charge of the page: the app and the card then open without a network.
      await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), { timeout: 20_000 }).toBe('activated')
      await page.close()
    }
  })

  it('opens the card offline once it was loaded', async () => {
    const context = await the.browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await logIn(page, the.server.url, member.email, member.password)
    await page.getByTestId('card-code').waitFor()
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    // Once the worker controls the page, one more load puts the card's answers in its cache.
    await page.reload()
    await page.getByTestId('card-code').waitFor()
    await expect.poll(() => page.evaluate(async () => (await (await caches.open('member-card')).keys()).length)).toBeGreaterThan(2)
    const number = await page.getByTestId('card-number').textContent()
    await context.setOffline(true)
    await page.reload()
    await page.getByTestId('card-code').waitFor()
    await expect(page.getByTestId('card-number').textContent()).resolves.toBe(number)
    await page.screenshot({ path: `${screenshotDir}/shopper-card-offline-390.png` })
    await context.setOffline(false)
    // Logging out forgets the kept card.
    await page.getByRole('button', { name: 'Account' }).click()
    await page.getByRole('menuitem', { name: 'Log out' }).click()
    await page.waitForURL(/\/login/)
    await expect.poll(() => page.evaluate(async () => (await caches.has('member-card')) === false)).toBe(true)
    await context.close()
  })

  it('shows the demo hint on the login page only where the demo retailer is seeded', async () => {
    const page = await the.browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`${the.server.url}/login`)
    await page.getByTestId('demo-hint').getByText(member.email).waitFor()
    await page.screenshot({ path: `${screenshotDir}/shopper-login-demo-390.png` })
    const plain = await startServer(
      { ...loadConfig(testEnv, { data: 'memory', port: 0, host: '127.0.0.1', demo: false }), logLevel: 'silent' },
      { logger: false },
    )
    try {
      for (const width of widths) {
        await page.setViewportSize({ width, height: 844 })
        await page.goto(`${plain.url}/login`)
        await page.getByRole('button', { name: /log in/i }).waitFor()
        await page.waitForLoadState('networkidle')
        expect(await page.getByTestId('demo-hint').count()).toBe(0)
        expect(await page.getByText('Trying the demo?').count()).toBe(0)
        await page.screenshot({ path: `${screenshotDir}/shopper-login-${width}.png` })
      }
    } finally {
      await page.close()
      await plain.close()
    }
  })
})
