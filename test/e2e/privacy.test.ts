import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/modules/accounts/index.js'
import { enrolMembers } from '../../src/modules/members/index.js'
import { newId } from '../../src/platform/ids.js'
import type { RunningServer } from '../../src/server.js'
import type { Mailbox } from '../support/mailbox.js'
import { hasChromium, launchBrowser, logIn, screenshotDir, serveWithMailbox } from './browser.js'

const password = 'correct horse battery'

/** Waits out a dialog's opening transition, so a screenshot shows it as a person sees it. */
async function settled(dialog: ReturnType<Page['getByRole']>) {
  await dialog.waitFor()
  await expect.poll(() => dialog.evaluate((el) => getComputedStyle(el.closest('.mantine-Modal-content') ?? el).opacity)).toBe('1')
}

describe.skipIf(!hasChromium)('privacy requests in the web app (Chromium)', () => {
  let server: RunningServer
  let browser: Browser
  let mailbox: Mailbox
  const members = { wide: newId(), phone: newId(), staff: newId() }
  beforeAll(async () => {
    // The erasure code comes by email, to a real SMTP server.
    ;({ server, mailbox } = await serveWithMailbox())
    const at = server.deps.clock.now()
    await enrolMembers(
      server.deps.db,
      Object.entries(members).map(([name, id]) => ({
        member: { id, givenName: `Rosalind ${name}`, familyName: 'Pemberton', joinedAt: at },
        identifiers: [{ kind: 'email' as const, value: `${name}@privacy.test` }],
      })),
      { defaultRegion: 'GB', at },
    )
    for (const [name, id] of Object.entries(members))
      await createUser(server.deps, { email: `${name}@privacy.test`, displayName: `Rosalind ${name}`, password, role: 'member', memberId: id })
    await createUser(server.deps, { email: 'manager@privacy.test', displayName: 'Manager', password, role: 'manager' })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await mailbox?.close()
  })

  const openErasure = async (page: Page) => {
    await page.getByRole('heading', { name: 'Your data' }).scrollIntoViewIfNeeded()
    await page.getByTestId('erase-open').click()
    const dialog = page.getByRole('dialog', { name: /erase your data/i })
    await settled(dialog)
    return dialog
  }

  for (const [width, who] of [
    [1280, 'wide'],
    [390, 'phone'],
  ] as const) {
    it(`lets a member download their data and erase it only after confirming with their password and the code sent to them (${width} px)`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } })
      await logIn(page, server.url, `${who}@privacy.test`, password)
      await page.getByTestId('member-home').waitFor()
      const download = page.getByRole('link', { name: 'Download my data' })
      expect(await download.getAttribute('href')).toBe('/v1/me/data?format=zip')
      await page.getByRole('heading', { name: 'Your data' }).scrollIntoViewIfNeeded()
      await page.screenshot({ path: `${screenshotDir}/privacy-home-${width}.png` })

      const dialog = await openErasure(page)
      expect(await page.getByTestId('erase-confirm').isDisabled()).toBe(true) // nothing happens without the password
      const box = await dialog.boundingBox()
      expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true) // the dialog fits the screen
      await page.screenshot({ path: `${screenshotDir}/privacy-erase-${width}.png` })
      await dialog.getByLabel(/your password/i).fill(password)
      expect(await page.getByTestId('erase-confirm').isDisabled()).toBe(true) // nor with the password alone: a code must come too
      const before = mailbox.received.length
      await page.getByTestId('erase-send-code').click()
      await dialog.getByText(/We sent a code to/).waitFor()
      await mailbox.arrival(`${who}@privacy.test`, before)
      await dialog.getByLabel('Code').fill(mailbox.codeFor(`${who}@privacy.test`))
      await page.screenshot({ path: `${screenshotDir}/privacy-erase-code-${width}.png` })
      await dialog.getByLabel(/your password/i).fill('not my password')
      await page.getByTestId('erase-confirm').click()
      await dialog.getByText('The password is wrong').waitFor()
      await dialog.getByLabel(/your password/i).fill(password)
      await page.getByTestId('erase-confirm').click()
      await page.waitForURL(/\/login$/)
      await page.close()
    })
  }

  it('lets a manager erase only after saying how the request was verified', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await logIn(page, server.url, 'manager@privacy.test', password)
    await page.waitForURL(/\/insights/)
    await page.goto(`${server.url}/associate/members/${members.staff}`)
    await page.getByRole('heading', { name: 'Privacy requests' }).scrollIntoViewIfNeeded()
    await page.getByTestId('staff-erase-open').click()
    const dialog = page.getByRole('dialog', { name: /erase this member/i })
    await settled(dialog)
    const confirm = page.getByTestId('staff-erase-confirm')
    expect(await confirm.isDisabled()).toBe(true)
    await dialog.getByLabel(/how did the member prove/i).click()
    await page.getByRole('option', { name: /photo ID/ }).click()
    expect(await confirm.isDisabled()).toBe(true) // still needs the manager's check
    await dialog.getByLabel(/I checked it is them/).check()
    await page.screenshot({ path: `${screenshotDir}/privacy-staff-erase-1280.png` })
    await confirm.click()
    await page.getByText(/^Erased /).waitFor()
    await page.close()
  })
})
