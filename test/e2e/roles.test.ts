import { describe, expect, it } from 'vitest'
import { demoLogins } from '../../src/modules/demo/index.js'
import { hasChromium, logIn, screenshotDir, serverAndBrowser } from './browser.js'

const areas = {
  member: { testId: 'member-home', path: '/me', sees: ['Home'], doesNotSee: ['Admin', 'Insights'] },
  associate: { testId: 'associate-console', path: '/associate', sees: ['Console'], doesNotSee: ['Admin', 'Insights'] },
  manager: { testId: 'insights-dashboard', path: '/insights', sees: ['Console', 'Insights'], doesNotSee: ['Admin'] },
  admin: { testId: 'admin-area', path: '/admin', sees: ['Console', 'Insights', 'Admin'], doesNotSee: [] },
} as const

describe.skipIf(!hasChromium)('each role lands in its own area of the web app (Chromium)', () => {
  const the = serverAndBrowser()

  for (const login of demoLogins) {
    it(`shows the ${login.role} the right area and only the areas the role may use`, async () => {
      const area = areas[login.role]
      for (const [viewport, size] of [
        ['desktop', { width: 1280, height: 800 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const page = await the.browser.newPage({ viewport: size })
        await logIn(page, the.server.url, login.email, login.password)
        await page.getByTestId(area.testId).waitFor()
        expect(new URL(page.url()).pathname).toBe(area.path)
        if (viewport === 'desktop') {
          const nav = page.getByRole('navigation')
          for (const label of area.sees) await expect(nav.getByText(label, { exact: true }).count()).resolves.toBeGreaterThan(0)
          for (const label of area.doesNotSee) await expect(nav.getByText(label, { exact: true }).count()).resolves.toBe(0)
        }
        await page.screenshot({ path: `${screenshotDir}/${login.role}-${viewport}.png`, fullPage: true })
        await page.close()
      }
    })
  }

  it('shows leadership the relationship dashboard with real charts and the members behind a figure', async () => {
    const page = await the.browser.newPage({ viewport: { width: 1280, height: 900 } })
    await logIn(page, the.server.url, demoLogins[0].email, demoLogins[0].password)
    await page.getByTestId('admin-area').waitFor()
    for (const [tab, chart] of [
      ['relationships', 'Members in each segment by quarter'],
      ['value', 'Members by expected lifetime value'],
      ['retention', 'Retention curves by join month'],
      ['scorecards', 'Members served by stores'],
    ] as const) {
      await page.goto(`${the.server.url}/insights?tab=${tab}`)
      const drawn = page.getByRole('img', { name: chart })
      await drawn.waitFor()
      // ECharts drew data: bars and lines are SVG paths inside the chart.
      await expect.poll(() => drawn.locator('path').count(), { timeout: 10_000 }).toBeGreaterThan(10)
      await page.screenshot({ path: `${screenshotDir}/insights-${tab}.png`, fullPage: true })
    }
    await page.goto(`${the.server.url}/insights?tab=members&segment=lapsed`)
    await page.getByRole('table').waitFor()
    expect(await page.getByRole('row').count()).toBeGreaterThan(1)
    await page.getByRole('row').nth(1).getByRole('link').click()
    await page.getByTestId('relationship-score').waitFor()
    await page.screenshot({ path: `${screenshotDir}/member-relationship.png`, fullPage: true })
    await page.close()
  })

  it('shows a member what each reward costs, in full, and on a phone the rewards before the profile form', async () => {
    for (const width of [1280, 390]) {
      const page = await the.browser.newPage({ viewport: { width, height: 900 } })
      await logIn(page, the.server.url, demoLogins[3].email, demoLogins[3].password)
      const costs = page.getByTestId('reward-cost')
      await costs.first().waitFor()
      const shown = await costs.evaluateAll((badges) =>
        badges.map((badge) => {
          const label = badge.querySelector('.mantine-Badge-label') ?? badge
          return { text: label.textContent, cut: label.scrollWidth > label.clientWidth }
        }),
      )
      expect(shown.length).toBeGreaterThan(1)
      for (const cost of shown) expect(cost).toEqual({ text: expect.stringMatching(/^[\d,]+ points$/), cut: false })
      // On a phone the rewards come before the profile form; on a desktop they sit side by side.
      const top = async (title: string) => (await page.getByRole('heading', { name: title, exact: true }).boundingBox())?.y ?? Number.NaN
      if (width < 500) expect(await top('Rewards')).toBeLessThan(await top('Profile'))
      await page.close()
    }
  })

  it('shows the associate every reward at the till with its cost and a Redeem button, neither cut', async () => {
    const page = await the.browser.newPage({ viewport: { width: 1280, height: 900 } })
    await logIn(page, the.server.url, demoLogins[2].email, demoLogins[2].password)
    await page.getByTestId('associate-console').waitFor()
    await page.getByRole('heading', { name: 'Get in touch today' }).waitFor()
    await page.locator('a[href^="/associate/members/"]').first().click()
    const till = page.getByTestId('till-rewards')
    await till.getByTestId('reward-cost').first().waitFor()
    const cut = (selector: string) =>
      till.locator(selector).evaluateAll((elements) => elements.map((e) => ({ text: e.textContent, cut: e.scrollWidth > e.clientWidth })))
    const costs = await cut('[data-testid="reward-cost"] .mantine-Badge-label')
    const buttons = await cut('button .mantine-Button-label')
    expect(costs.length).toBeGreaterThan(1)
    for (const cost of costs) expect(cost).toEqual({ text: expect.stringMatching(/^[\d,]+ points$/), cut: false })
    for (const button of buttons) expect(button).toEqual({ text: 'Redeem', cut: false })
    await page.close()
  })

  it('shows an admin the background jobs and their runs, and asks before running a heavy one now', async () => {
    for (const width of [1280, 390]) {
      const page = await the.browser.newPage({ viewport: { width, height: 900 } })
      await logIn(page, the.server.url, demoLogins[0].email, demoLogins[0].password)
      await page.getByTestId('admin-area').waitFor()
      await page.goto(`${the.server.url}/admin?tab=jobs`)
      const housekeeping = page.getByTestId('job-rewards-housekeeping')
      await housekeeping.getByText('Every 5 minutes').waitFor()
      await housekeeping.getByRole('button', { name: 'Run now' }).click()
      // The run shows up on its card, said to be the admin's, with its outcome.
      await housekeeping.getByText(/Run now by .* Admin/i).waitFor({ timeout: 20_000 })
      await housekeeping.getByText('succeeded').waitFor({ timeout: 20_000 })
      // A heavy one asks first; cancelling queues nothing.
      const full = page.getByTestId('job-insights-full')
      await full.getByText('Daily at 02:30').waitFor()
      await full.getByRole('button', { name: 'Run now' }).click()
      const dialog = page.getByRole('dialog', { name: 'Run Insights: full refresh now?' })
      await dialog.waitFor()
      await page.screenshot({ path: `${screenshotDir}/admin-jobs-confirm-${width}.png`, animations: 'disabled' })
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await dialog.waitFor({ state: 'hidden' })
      await page.getByRole('heading', { name: 'Recent runs' }).waitFor()
      await page.screenshot({ path: `${screenshotDir}/admin-jobs-${width}.png`, fullPage: true })
      await page.close()
    }
  })

  it('sends a visitor who is not logged in to the login page', async () => {
    const page = await the.browser.newPage()
    await page.goto(`${the.server.url}/admin`)
    await page.getByLabel('Email').waitFor()
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.screenshot({ path: `${screenshotDir}/login.png` })
    await page.close()
  })

  it('keeps a member out of the admin area even by typing its address', async () => {
    const page = await the.browser.newPage()
    await logIn(page, the.server.url, demoLogins[3].email, demoLogins[3].password)
    await page.getByTestId('member-home').waitFor()
    await page.goto(`${the.server.url}/admin`)
    await page.getByTestId('member-home').waitFor()
    expect(await page.getByTestId('admin-area').count()).toBe(0)
    await page.close()
  })
  it('answers an address with no page by saying so and offering the way home, at both widths', async () => {
    for (const width of [1280, 390]) {
      const page = await the.browser.newPage({ viewport: { width, height: 800 } })
      await logIn(page, the.server.url, demoLogins[3].email, demoLogins[3].password)
      await page.getByTestId('member-home').waitFor()
      await page.goto(`${the.server.url}/me/no-such-page`)
      await page.getByRole('heading', { name: 'We can’t find that page' }).waitFor()
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: `${screenshotDir}/not-found-${width}.png` })
      await page.getByRole('link', { name: 'Take me home' }).click()
      await page.getByTestId('member-home').waitFor()
      await page.close()
    }
  })
})
