import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoLogins } from '../../src/modules/demo/index.js'
import { hasChromium, logIn, screenshotDir, serverAndBrowser } from './browser.js'

// Screens built on the shared DataTable and form row (web/src/components/DataTable.tsx, form.tsx).
const screens = [
  { path: '/admin?tab=stores', list: 'Stores' },
  { path: '/admin?tab=users', list: 'Logins' },
  { path: '/admin?tab=keys', list: 'API keys' },
  { path: '/admin?tab=rewards', list: 'Rewards' },
  { path: '/admin?tab=ledger', list: 'Points by month' },
  { path: '/admin?tab=rules', list: 'Earning rules' },
  { path: '/insights?tab=overview', list: 'Sales by store' },
  { path: '/insights?tab=members', list: 'Members' },
  { path: '/insights?tab=scorecards', list: 'Scorecard' },
] as const

describe.skipIf(!hasChromium)('tables and forms shared across admin and insights (Chromium)', () => {
  const the = serverAndBrowser()

  const admin = async (width: number) => {
    const page = await the.browser.newPage({ viewport: { width, height: 900 } })
    await logIn(page, the.server.url, demoLogins[0].email, demoLogins[0].password)
    await page.getByTestId('admin-area').waitFor()
    return page
  }
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

  it('shows each list as a table on a wide screen and as cards on a phone, never wider than the phone', async () => {
    for (const width of [1280, 390]) {
      const page = await admin(width)
      for (const screen of screens) {
        await page.goto(`${the.server.url}${screen.path}`)
        const shape = width < 500 ? 'list' : 'table'
        await page.getByRole(shape, { name: screen.list, exact: true }).waitFor()
        if (width < 500) expect(await page.getByRole('list', { name: screen.list, exact: true }).getByRole('listitem').count()).toBeGreaterThan(0)
        expect(await sideways(page)).toBeLessThanOrEqual(0)
        await page.screenshot({ path: `${screenshotDir}/list-${screen.path.replace(/\W+/g, '-').slice(1)}-${width}.png`, fullPage: true })
      }
      await page.close()
    }
  })

  it('says what is wrong with a field in words, before anything is sent', async () => {
    const page = await admin(1280)
    await page.goto(`${the.server.url}/admin?tab=stores`)
    await page.getByRole('button', { name: 'Save store' }).click()
    await page.getByText('Give the store a code').waitFor()
    await page.getByLabel('Code').fill('camden high st')
    await page.getByRole('button', { name: 'Save store' }).click()
    await page.getByText('Letters, digits, - and _ only').waitFor()

    await page.goto(`${the.server.url}/admin?tab=users`)
    await page.getByRole('textbox', { name: 'Email' }).fill('not-an-email')
    await page.getByRole('button', { name: 'Add login' }).click()
    await page.getByText("That email doesn't look right").waitFor()
    await page.getByText('Choose a password for them').waitFor()
    // No schema path (`/email`, `body/…`) is ever shown to a person.
    expect(await page.getByText(/\bbody\/|^\/\w+/).count()).toBe(0)
    await page.screenshot({ path: `${screenshotDir}/form-errors-1280.png`, fullPage: true })
    await page.close()
  })

  it('tells a member on a phone, by the field, that the email in their profile does not look right', async () => {
    const page = await the.browser.newPage({ viewport: { width: 390, height: 844 } })
    await logIn(page, the.server.url, demoLogins[3].email, demoLogins[3].password)
    await page.getByTestId('member-home').waitFor()
    const email = page.getByRole('textbox', { name: 'Email' })
    await email.fill('someone@')
    await page.getByRole('button', { name: 'Save profile' }).click()
    await page.getByText("That email doesn't look right").waitFor()
    expect(await email.getAttribute('aria-invalid')).toBe('true')
    const profile = page.getByRole('heading', { name: 'Profile', exact: true }).locator('xpath=ancestor::div[contains(@class,"Paper")][1]')
    await profile.screenshot({ path: `${screenshotDir}/profile-error-390.png` })
    await page.close()
  })

  it('says on the join page what each field still needs', async () => {
    for (const width of [1280, 390]) {
      const page = await the.browser.newPage({ viewport: { width, height: 900 } })
      await page.goto(`${the.server.url}/signup`)
      await page.getByRole('button', { name: 'Send me a code' }).click()
      await page.getByText('Give the email we send your code to').waitFor()
      await page.getByText('Tell us what to call you').waitFor()
      await page.getByRole('textbox', { name: 'Email' }).fill('rohan@example')
      await page.getByRole('button', { name: 'Send me a code' }).click()
      await page.getByText("That email doesn't look right").waitFor()
      await page.screenshot({ path: `${screenshotDir}/join-errors-${width}.png`, fullPage: true })
      await page.close()
    }
  })
})
