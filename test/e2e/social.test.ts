import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/modules/accounts/index.js'
import { upsertProducts } from '../../src/modules/activity/index.js'
import { enrolMembers, setConsents } from '../../src/modules/members/index.js'
import { loadConfig } from '../../src/platform/config.js'
import { newId } from '../../src/platform/ids.js'
import { type RunningServer, startServer } from '../../src/server.js'
import { testEnv } from '../support/testing.js'
import { hasChromium, launchBrowser, screenshotDir, signedInPage } from './browser.js'

const password = 'correct horse battery'

describe.skipIf(!hasChromium)('friends and shared lists in the web app (Chromium, two members at once)', () => {
  let server: RunningServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  const ada = newId()
  const bea = newId()
  beforeAll(async () => {
    server = await startServer({ ...loadConfig(testEnv, { data: 'memory', port: 0, host: '127.0.0.1', demo: false }), logLevel: 'silent' }, { logger: false })
    const at = server.deps.clock.now()
    await enrolMembers(
      server.deps.db,
      [
        { member: { id: ada, givenName: 'Ada', familyName: 'Lovelace', joinedAt: at }, identifiers: [] },
        { member: { id: bea, givenName: 'Bea', familyName: 'Brown', joinedAt: at }, identifiers: [] },
      ],
      { defaultRegion: 'GB', at },
    )
    await setConsents(server.deps.db, ada, { social_visibility: true }, at)
    await upsertProducts(server.deps.db, [
      { sku: 'SCARF-GREY', name: 'Grey wool scarf', priceMinor: 3500, currency: 'GBP' },
      { sku: 'TEAPOT', name: 'Cast iron teapot', priceMinor: 4800, currency: 'GBP', inStock: false },
    ])
    await createUser(server.deps, { email: 'ada@social.test', displayName: 'Ada', password, role: 'member', memberId: ada })
    await createUser(server.deps, { email: 'bea@social.test', displayName: 'Bea', password, role: 'member', memberId: bea })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
  })

  /** Each member in a browser of their own: Ada on a laptop, Bea on a phone. */
  const openAs = async (email: string, width: number): Promise<Page> => {
    const page = await signedInPage(browser, contexts, { base: server.url, email, password, width })
    await page.getByTestId('member-home').waitFor()
    return page
  }
  const shot = async (page: Page, name: string, width: number, testId: string) => {
    await page.getByTestId(testId).scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${screenshotDir}/social-${name}-${width}.png` })
  }

  it('befriends by invite link, shares a gift list, and keeps “I’ll get this” from its owner', async () => {
    const adaPage = await openAs('ada@social.test', 1280)
    const friends = adaPage.getByTestId('friends')
    const code = (await friends.getByTestId('invite-code').textContent()) as string
    expect(code).toMatch(/^[A-Z0-9]{8}$/)
    await friends.getByTestId('invite-qr').waitFor()
    await shot(adaPage, 'friends', 1280, 'friends')

    // Bea opens Ada's link on her phone; she has not let others see her yet.
    const beaPage = await openAs('bea@social.test', 390)
    await beaPage.goto(`${server.url}/me?invite=${code}`)
    const beaFriends = beaPage.getByTestId('friends')
    await beaFriends.getByRole('button', { name: 'Let friends see me' }).click()
    await beaFriends.getByRole('button', { name: 'Add them' }).click()
    await beaFriends.getByText('Ada L.').waitFor()
    await shot(beaPage, 'friends', 390, 'friends')

    await adaPage.reload()
    await friends.getByText('Asking to be your friend').waitFor()
    await friends.getByRole('button', { name: 'Accept' }).click()
    await friends.getByText('Bea B.').waitFor()
    await expect.poll(() => friends.getByRole('button', { name: 'Accept' }).count()).toBe(0)

    // Ada starts a gift list (its title is text, never HTML), adds a scarf and shares it with Bea.
    const lists = adaPage.getByTestId('lists')
    await lists.getByLabel('New list').fill('<b>Ada</b> turns 40')
    await lists.getByText('gift list', { exact: true }).click()
    await lists.getByRole('button', { name: 'Start' }).click()
    await lists.getByText('<b>Ada</b> turns 40').click()
    await lists.getByLabel('Add a product').fill('scarf')
    await lists.getByRole('button', { name: 'Add Grey wool scarf' }).click()
    await lists.getByTestId('list-item').filter({ hasText: 'Grey wool scarf' }).waitFor()
    await lists.getByLabel('Share with a friend').click()
    await adaPage.getByRole('option', { name: 'Bea B.' }).click()
    await lists.getByRole('button', { name: 'Share', exact: true }).click()
    await lists.getByRole('button', { name: 'Stop sharing' }).waitFor()
    await shot(adaPage, 'lists', 1280, 'lists')

    // Bea sees it with its live price, and says she will get the scarf.
    await beaPage.reload()
    const beaLists = beaPage.getByTestId('lists')
    await beaLists.getByText('<b>Ada</b> turns 40').click()
    const scarf = beaLists.getByTestId('list-item').filter({ hasText: 'Grey wool scarf' })
    await scarf.getByText('£35.00').waitFor()
    await scarf.getByRole('button', { name: 'I’ll get this' }).click()
    await scarf.getByRole('button', { name: /You’ll get this/ }).waitFor()
    await shot(beaPage, 'lists', 390, 'lists')

    // Ada is never told.
    await adaPage.reload()
    await lists.getByText('<b>Ada</b> turns 40').click()
    await lists.getByTestId('list-item').filter({ hasText: 'Grey wool scarf' }).waitFor()
    expect(await lists.getByText(/get this/).count()).toBe(0)
  }, 180_000)

  it('shows a friend’s shared wishlist add in the feed, as text', async () => {
    const adaPage = contexts[0].pages()[0]
    const lists = adaPage.getByTestId('lists')
    await lists.getByLabel('New list').fill('Wishes')
    await lists.getByRole('button', { name: 'Start' }).click()
    await lists.getByText('Wishes').click()
    await lists.getByLabel('Tell my friends').check()
    await lists.getByLabel('Add a product').fill('teapot')
    await lists.getByRole('button', { name: 'Add Cast iron teapot' }).click()
    await lists.getByTestId('list-item').filter({ hasText: 'Cast iron teapot' }).waitFor()

    const beaPage = contexts[1].pages()[0]
    await beaPage.reload()
    const item = beaPage.getByTestId('feed').getByTestId('feed-item').first()
    await item.getByText('Ada L.').waitFor()
    expect(await item.textContent()).toContain('wishes for Cast iron teapot')
    expect(await item.textContent()).toContain('out of stock')
    await shot(beaPage, 'feed', 390, 'feed')
    for (const width of [1280]) await shot(adaPage, 'home', width, 'feed')
  }, 120_000)
})
