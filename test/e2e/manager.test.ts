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
        await expect.poll(() => filter.inputValue()).toBe('Covent Garden (your store)')
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
})
