import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoLogins } from '../../src/modules/demo/index.js'
import { hasChromium, logIn, screenshotDir, serverAndBrowser } from './browser.js'

// The store manager's Insights, as the demo's Morgan Manager (held to S01, Covent Garden) sees them.
const manager = demoLogins.find((l) => l.role === 'manager') as (typeof demoLogins)[number]
const widths = [1280, 390] as const
const tabs = ['overview', 'relationships', 'value', 'retention', 'scorecards', 'members'] as const

describe.skipIf(!hasChromium)("the store manager's insights (Chromium)", () => {
  const the = serverAndBrowser()

  const asManager = async (width: number) => {
    const page = await the.browser.newPage({ viewport: { width, height: 900 } })
    await logIn(page, the.server.url, manager.email, manager.password)
    await page.getByTestId('insights-dashboard').waitFor()
    return page
  }
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

  it.each(widths)(
    'names the manager’s own store in the store filter on every tab, and offers no wider view, at %i px',
    async (width) => {
      const page = await asManager(width)
      for (const tab of tabs) {
        await page.goto(`${the.server.url}/insights?tab=${tab}`)
        const filter = page.getByRole('combobox', { name: 'Store' })
        await expect.poll(() => filter.inputValue(), { timeout: 20_000 }).toBe('Covent Garden (your store)')
        expect(await filter.getAttribute('readonly')).not.toBeNull()
        expect(await sideways(page), `${tab} at ${width}`).toBeLessThanOrEqual(0)
        await page.screenshot({ path: `${screenshotDir}/manager-${tab}-${width}.png`, fullPage: true })
      }
      // The sales tab's stores are the manager's one store.
      await page.goto(`${the.server.url}/insights?tab=overview`)
      const stores = page.getByRole(width < 500 ? 'list' : 'table', { name: 'Sales by store', exact: true })
      await stores.waitFor()
      await expect(stores.textContent()).resolves.toContain('Covent Garden')
      await expect(stores.textContent()).resolves.not.toContain('Northern Quarter')
      await page.close()
    },
    120_000,
  )

  it.each(widths)(
    'shows a one-time buyer as one, last seen on the day they bought, never as certainly still shopping, at %i px',
    async (width) => {
      const page = await asManager(width)
      const list = await page.request.get(`${the.server.url}/v1/insights/members?segment=lapsed&limit=200`)
      const once = (await list.json()).items.find((m: { oneTimeBuyer: boolean }) => m.oneTimeBuyer)
      expect(once, 'a lapsed one-time buyer of Covent Garden in the demo').toBeDefined()
      await page.goto(`${the.server.url}/associate/members/${once.memberId}`)
      const figure = page.getByTestId('one-time-buyer')
      await figure.waitFor()
      await expect(figure.textContent()).resolves.toContain(
        `Last seen ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date(once.lastPurchaseAt))}`,
      )
      expect(await page.getByText('Still shopping', { exact: true }).count()).toBe(0)
      await page.screenshot({ path: `${screenshotDir}/manager-one-time-buyer-${width}.png`, fullPage: true })
      await page.goto(`${the.server.url}/insights?tab=members&segment=lapsed`)
      const members = page.getByRole(width < 500 ? 'list' : 'table', { name: 'Members', exact: true })
      await members.waitFor()
      await expect(members.textContent()).resolves.toContain('One-time buyer')
      await page.close()
    },
    120_000,
  )

  it.each(widths)(
    'lets the manager set an associate a monthly visits target and shows progress against it on the scorecard, at %i px',
    async (width) => {
      const page = await asManager(width)
      await page.goto(`${the.server.url}/insights?tab=scorecards`)
      await page.getByText('Associates', { exact: true }).click()
      await page.getByRole('button', { name: 'Set targets' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByRole('combobox', { name: 'Associate' }).click()
      await page.getByRole('option').first().click()
      await dialog.getByRole('combobox', { name: 'Figure' }).click()
      await page.getByRole('option', { name: 'Visits' }).click()
      await dialog.getByRole('textbox', { name: 'Each month' }).fill('10')
      await dialog.getByRole('button', { name: 'Save target' }).click()
      await dialog.waitFor({ state: 'hidden' })
      await page.getByTestId('target-progress').first().waitFor()
      await expect(page.getByTestId('target-progress').first().textContent()).resolves.toMatch(/^\d+% of \d+$/)
      // The clienteling figures and visits are on screen, not cut off to the right.
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: `${screenshotDir}/manager-targets-${width}.png`, fullPage: true })
      await page.close()
    },
    120_000,
  )

  it.each(widths)(
    'heads the Sales tab with total sales, orders, average order and member capture, month to date and for chosen days, at %i px',
    async (width) => {
      const page = await asManager(width)
      await page.goto(`${the.server.url}/insights?tab=overview`)
      const headline = page.getByTestId('sales-headline')
      await headline.waitFor()
      await page.getByRole('heading', { name: /^Month to date: / }).waitFor()
      for (const figure of ['Total sales', 'Orders', 'Average order', 'Member capture']) await expect(headline.textContent()).resolves.toContain(figure)
      await expect(headline.textContent()).resolves.toMatch(/on the same days last year|nothing the same days last year/)
      await expect(headline.textContent()).resolves.toMatch(/\d+ of \d+ orders by members/)
      // No figure is cut off, on a phone either.
      const cut = await headline.locator('p').evaluateAll((texts) => texts.filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => p.textContent))
      expect(cut).toEqual([])
      await page.screenshot({ path: `${screenshotDir}/manager-sales-${width}.png`, fullPage: true })
      if (width < 500) {
        await page.getByRole('combobox', { name: 'Period' }).click()
        await page.getByRole('option', { name: 'Custom' }).click()
      } else await page.getByText('Custom', { exact: true }).click()
      await page.getByLabel('From', { exact: true }).fill('2026-11-01')
      await page.getByLabel('To (inclusive)').fill('2026-11-30')
      await page.getByRole('heading', { name: '1 Nov 2026 – 30 Nov 2026' }).waitFor()
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await page.close()
    },
    120_000,
  )
})
