import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/modules/accounts/index.js'
import { recordActivities, upsertProducts, upsertStores } from '../../src/modules/activity/index.js'
import { askQuestion, writeReview } from '../../src/modules/community/index.js'
import { enrolMembers, setConsents } from '../../src/modules/members/index.js'
import { adjustPoints, saveReward } from '../../src/modules/rewards/index.js'
import type { Principal } from '../../src/platform/auth/principal.js'
import { newId } from '../../src/platform/ids.js'
import type { RunningServer } from '../../src/server.js'
import type { Mailbox } from '../support/mailbox.js'
import { hasChromium, launchBrowser, logIn, screenshotDir, serveWithMailbox } from './browser.js'

const password = 'correct horse battery'
const widths = [1280, 390] as const

/** Waits out a dialog's opening transition, so a screenshot shows it as a person sees it. */
async function settled(dialog: ReturnType<Page['getByRole']>) {
  await dialog.waitFor()
  await expect.poll(() => dialog.evaluate((el) => getComputedStyle(el.closest('.mantine-Modal-content') ?? el).opacity)).toBe('1')
}

/** Nothing in the locator is cut short or runs off the side of the screen. */
async function fits(page: Page, selector: string) {
  const width = page.viewportSize()?.width ?? 0
  const shown = await page
    .locator(selector)
    .evaluateAll((elements) => elements.map((e) => ({ text: e.textContent, cut: e.scrollWidth > e.clientWidth + 1, right: e.getBoundingClientRect().right })))
  expect(shown.length).toBeGreaterThan(0)
  for (const e of shown) expect({ text: e.text, cut: e.cut, offScreen: e.right > width }).toEqual({ text: e.text, cut: false, offScreen: false })
}

describe.skipIf(!hasChromium)('the associate at the till (Chromium)', () => {
  let server: RunningServer
  let browser: Browser
  let mailbox: Mailbox
  const members = { 1280: newId(), 390: newId() }
  const camden = newId()
  const outreach = { Hedy: newId(), Joan: newId(), Rosa: newId() }
  beforeAll(async () => {
    ;({ server, mailbox } = await serveWithMailbox())
    const at = server.deps.clock.now()
    await upsertStores(server.deps.db, [
      { id: camden, code: 'S01', name: 'Camden', region: null, timezone: 'Europe/London' },
      { id: newId(), code: 'S02', name: 'Leeds', region: null, timezone: 'Europe/London' },
    ])
    await enrolMembers(
      server.deps.db,
      widths.map((width) => ({
        member: { id: members[width], givenName: 'Ada', familyName: `Lovelace ${width}`, homeStoreId: camden, joinedAt: at },
        identifiers: [{ kind: 'card' as const, value: `6337000000${width}` }],
      })),
      { defaultRegion: 'GB', at },
    )
    const manager = await createUser(server.deps, { email: 'kim@till.test', displayName: 'Kim Manager', password, role: 'manager' })
    await createUser(server.deps, { email: 'sam@till.test', displayName: 'Sam Associate', password, role: 'associate', storeIds: [camden] })
    const actor = {
      kind: 'staff',
      userId: manager.id,
      displayName: 'Kim Manager',
      role: 'manager',
      storeIds: [],
      via: 'session',
      sessionId: 'x',
      csrfSecret: 'x',
    } as Principal
    for (const [name, cost] of [
      ['Flat white', 100],
      ['Tote bag', 500],
    ] as const)
      await saveReward(server.deps, { name, kind: 'free_product', cost }, actor)
    for (const width of widths) await adjustPoints(server.deps, members[width], 300, 'Welcome to Regulars', actor)
    // Three members with a birthday this week, on the Camden associate's list; Hedy allows email.
    const soon = new Date(at.getTime() + 2 * 86_400_000).toISOString().slice(5, 10)
    await enrolMembers(
      server.deps.db,
      Object.entries(outreach).map(([name, id]) => ({
        member: { id, givenName: name, familyName: 'Birthday', birthDate: `1990-${soon}`, homeStoreId: camden, joinedAt: at },
        identifiers: [{ kind: 'email' as const, value: `${name.toLowerCase()}@till.test` }],
      })),
      { defaultRegion: 'GB', at },
    )
    await setConsents(server.deps.db, outreach.Hedy, { marketing: true }, at, { source: 'member_home' })
    // Camden sold a scarf to one Ada, who reviewed it; the other Ada asks about it: a question for Camden's associates.
    await upsertProducts(server.deps.db, [{ sku: 'SCARF', name: 'Wool scarf', category: ['Accessories', 'Scarves'], priceMinor: 3500, currency: 'GBP' }])
    const [sold] = await recordActivities(server.deps, [
      {
        kind: 'purchase',
        channel: 'store',
        store: 'S01',
        member: { kind: 'card', value: '63370000001280' },
        occurredAt: at.toISOString(),
        lines: [{ sku: 'SCARF', quantity: 1, unitPrice: 3500 }],
        source: 'camden-till-1',
        idempotencyKey: 'till-test-scarf',
      },
    ])
    expect(sold.status).toBe('recorded')
    await writeReview(server.deps, members[1280], 'SCARF', { rating: 3, title: 'Itchy at first', body: 'Softens after a wash.', fit: null })
    await askQuestion(server.deps, members[390], 'SCARF', 'Is it machine washable?')
    await createUser(server.deps, { email: 'lee@till.test', displayName: 'Lee Associate', password, role: 'associate', storeIds: [camden] })
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await mailbox?.close()
  })

  for (const width of widths) {
    it(`puts the member card at the top: points, what they can have, Redeem holds then confirms or cancels (${width} px)`, async () => {
      const page = await browser.newPage({ viewport: { width, height: width > 500 ? 900 : 844 } })
      await logIn(page, server.url, 'sam@till.test', password)
      await page.getByTestId('associate-console').waitFor()
      await page.goto(`${server.url}/associate/members/${members[width]}`)
      const card = page.getByTestId('till-card')
      await card.getByTestId('till-reward').first().waitFor()
      await expect.poll(() => card.getByTestId('till-available').textContent()).toBe('300')
      // The till's work is on the first screen: the card, its Redeem buttons and the identifiers.
      const redeem = card.getByTestId('till-reward').filter({ hasText: 'Flat white' }).getByRole('button', { name: 'Redeem' })
      const box = await redeem.boundingBox()
      expect(box && box.y + box.height).toBeLessThan(page.viewportSize()?.height ?? 0)
      await card.getByTestId('till-identifiers').getByText(`Card: 6337000000${width}`).waitFor()
      // A reward the member cannot afford says why, and cannot be pressed.
      const tote = card.getByTestId('till-reward').filter({ hasText: 'Tote bag' })
      await tote.getByText('Needs 200 more points').waitFor()
      expect(await tote.getByRole('button', { name: 'Redeem' }).isDisabled()).toBe(true)
      await fits(page, '[data-testid="till-card"] [data-testid="reward-cost"] .mantine-Badge-label')
      await fits(page, '[data-testid="till-card"] button .mantine-Button-label')
      await fits(page, '[data-testid="till-card"] [data-testid="till-available"]')
      await page.screenshot({ path: `${screenshotDir}/till-card-${width}.png` })

      // Redeem holds the points; nothing is spent until the associate confirms what the member agreed.
      await redeem.click()
      const dialog = page.getByRole('dialog', { name: 'Redeem Flat white?' })
      await settled(dialog)
      await expect.poll(() => card.getByTestId('till-available').textContent()).toBe('200')
      const fitsDialog = await dialog.boundingBox()
      expect(fitsDialog && fitsDialog.x >= 0 && fitsDialog.x + fitsDialog.width <= width).toBe(true)
      await page.screenshot({ path: `${screenshotDir}/till-redeem-hold-${width}.png` })
      if (width === 1280) {
        await dialog.getByRole('button', { name: 'Ada agrees: confirm' }).click()
        await page.getByText('Redeemed: hand it over.').waitFor()
        await expect.poll(() => card.getByTestId('till-available').textContent()).toBe('200')
      } else {
        // Closing the dialog leaves the hold on the card to finish; cancelling gives the points back.
        await page.keyboard.press('Escape')
        await dialog.waitFor({ state: 'hidden' })
        await card.getByText('Held:').waitFor()
        await card.getByRole('button', { name: 'Finish' }).click()
        await settled(dialog)
        await dialog.getByRole('button', { name: 'Cancel, give the points back' }).click()
        await page.getByText('Cancelled: the points are back.').waitFor()
        await expect.poll(() => card.getByTestId('till-available').textContent()).toBe('300')
        expect(await card.getByText('Held:').count()).toBe(0)
      }
      await page.close()
    })

    it(`says what is wrong with a field in words, never as a schema path (${width} px)`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } })
      await logIn(page, server.url, 'sam@till.test', password)
      await page.getByTestId('associate-console').waitFor()
      await page.goto(`${server.url}/associate/members/${members[width]}`)
      const profile = page.getByRole('heading', { name: 'Profile', exact: true }).locator('xpath=ancestor::div[contains(@class,"Paper")][1]')
      await profile.getByLabel('Phone').fill('12')
      await profile.getByRole('button', { name: 'Save profile' }).click()
      await profile.getByRole('alert').getByText("That phone number doesn't look right.").waitFor()
      await profile.getByText("That phone number doesn't look right", { exact: true }).waitFor() // on the field itself
      expect(await page.locator('body').textContent()).not.toMatch(/body\/|is not a valid/)
      await profile.scrollIntoViewIfNeeded()
      await page.screenshot({ path: `${screenshotDir}/till-profile-refused-${width}.png` })
      await page.close()
    })
  }
  it('joins a shopper whose card the till does not know in a few seconds, and adds a second card (1280 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await logIn(page, server.url, 'sam@till.test', password)
    await page.getByTestId('associate-console').waitFor()
    await page.getByLabel('Scan or type a card, phone or email').fill('6337 0000 5555')
    await page.getByRole('button', { name: 'Find member' }).click()
    await page.getByText('Not a member yet?').waitFor()
    await page.getByRole('button', { name: 'Join a new member' }).last().click()
    const dialog = page.getByRole('dialog', { name: 'Join a new member' })
    await settled(dialog)
    expect(await dialog.getByLabel('Card, email or phone').inputValue()).toBe('6337 0000 5555')
    await dialog.getByRole('button', { name: 'Join' }).click()
    await dialog.getByText('Write their first name').waitFor() // refused on the field, in words, before anything is sent
    await dialog.getByLabel('First name').fill('Grace')
    await dialog.getByLabel('Last name').fill('Hopper')
    await page.screenshot({ path: `${screenshotDir}/till-enrol-1280.png` })
    await dialog.getByRole('button', { name: 'Join' }).click()
    const card = page.getByTestId('till-card')
    await card.getByRole('heading', { name: 'Grace Hopper' }).waitFor()
    await card.getByTestId('till-identifiers').getByText('Card: 633700005555').waitFor()
    await card.getByRole('button', { name: 'Add a card' }).click()
    await card.getByLabel('Card number').fill('6337 0000 6666')
    await card.getByRole('button', { name: 'Add card' }).click()
    await card.getByTestId('till-identifiers').getByText('Card: 633700006666').waitFor()
    await page.screenshot({ path: `${screenshotDir}/till-enrolled-1280.png` })
    await page.close()
  })

  it('joins a shopper by email, the code sent to them read back at the till (390 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await logIn(page, server.url, 'sam@till.test', password)
    await page.getByTestId('associate-console').waitFor()
    await page.getByRole('button', { name: 'Join a new member' }).click()
    const dialog = page.getByRole('dialog', { name: 'Join a new member' })
    await settled(dialog)
    const box = await dialog.boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true)
    await dialog.getByLabel('First name').fill('Mary')
    await dialog.getByLabel('Card, email or phone').fill('mary@')
    await dialog.getByRole('button', { name: 'Join' }).click()
    await dialog.getByText("That email doesn't look right").waitFor()
    await dialog.getByLabel('Card, email or phone').fill('mary@somerville.test')
    const before = mailbox.received.length
    await dialog.getByRole('button', { name: 'Join' }).click()
    await dialog.getByText('We sent a code to').waitFor()
    await mailbox.arrival('mary@somerville.test', before)
    await dialog.getByLabel('Code').fill(mailbox.codeFor('mary@somerville.test'))
    await page.screenshot({ path: `${screenshotDir}/till-enrol-code-390.png` })
    await dialog.getByRole('button', { name: 'Verify', exact: true }).click()
    const card = page.getByTestId('till-card')
    await card.getByRole('heading', { name: 'Mary' }).waitFor()
    await card.getByTestId('till-identifiers').getByText('Email: mary@somerville.test').waitFor()
    await page.screenshot({ path: `${screenshotDir}/till-enrolled-390.png` })
    await page.close()
  })
  it('answers a shopper’s question from the console with the staff badge, and replies to a review on the product page (1280 and 390 px)', async () => {
    const laptop = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await logIn(laptop, server.url, 'lee@till.test', password)
    const waiting = laptop.getByTestId('questions-to-answer').getByTestId('question-to-answer').filter({ hasText: 'Is it machine washable?' })
    await waiting.getByText('Wool scarf').waitFor()
    await laptop.getByTestId('questions-to-answer').scrollIntoViewIfNeeded()
    await laptop.screenshot({ path: `${screenshotDir}/till-questions-1280.png` })
    await waiting.getByRole('button', { name: 'Answer as staff' }).click()
    await waiting.getByLabel(/Your answer/).fill('Yes: a wool wash at 30°, flat to dry.')
    await waiting.getByRole('button', { name: 'Post the answer' }).click()
    // Answered, it leaves the list.
    await waiting.waitFor({ state: 'detached' })
    await laptop.close()

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await logIn(phone, server.url, 'lee@till.test', password)
    await phone.getByTestId('associate-console').waitFor()
    await phone.goto(`${server.url}/products/SCARF`)
    const answer = phone.getByTestId('question').filter({ hasText: 'Is it machine washable?' }).getByTestId('answer')
    await answer.getByText('Staff', { exact: true }).waitFor()
    await answer.getByText('Lee Associate · Camden').waitFor()
    const review = phone.getByTestId('review').filter({ hasText: 'Itchy at first' })
    await review.getByTestId('verified-purchase').waitFor()
    await review.getByRole('button', { name: 'Reply as the shop' }).click()
    await review.getByLabel(/Your reply/).fill('Thank you, Ada: a cool rinse softens it faster.')
    await review.getByRole('button', { name: 'Post the reply' }).click()
    await review.getByTestId('review-reply').getByText('Lee Associate · Camden').waitFor()
    await phone.screenshot({ path: `${screenshotDir}/till-product-390.png`, fullPage: true })
    await phone.close()
  }, 180_000)

  it('works the outreach list: what is assigned first, a message by the member’s own channel, snooze and done (1280 and 390 px)', async () => {
    for (const width of widths) {
      const page = await browser.newPage({ viewport: { width, height: width > 500 ? 900 : 844 } })
      await logIn(page, server.url, 'sam@till.test', password)
      const entry = (name: string) => page.getByTestId('outreach-item').filter({ hasText: `${name} Birthday` })
      await page.getByRole('heading', { name: 'Get in touch today' }).waitFor()
      await page.getByText('Suggested for your store').waitFor()
      if (width === 1280) {
        await entry('Hedy').getByRole('button', { name: 'Contact' }).click()
        const dialog = page.getByRole('dialog', { name: 'Write to Hedy Birthday' })
        await settled(dialog)
        await dialog.getByLabel('Subject').waitFor()
        expect(
          await dialog
            .getByRole('combobox', { name: 'Send by' })
            .or(dialog.getByRole('textbox', { name: 'Send by' }))
            .first()
            .inputValue(),
        ).toBe('Email to hedy@till.test')
        expect(await dialog.getByLabel('Subject').inputValue()).toBe('Happy birthday, Hedy!')
        await page.screenshot({ path: `${screenshotDir}/till-outreach-contact-${width}.png` })
        const before = mailbox.received.length
        await dialog.getByRole('button', { name: 'Send' }).click()
        await mailbox.arrival('hedy@till.test', before)
        expect(mailbox.received.at(-1)?.subject).toBe('Happy birthday, Hedy!')
        await entry('Hedy').waitFor({ state: 'detached' })
        // Joan allows no messages: the till says so instead of offering a channel.
        await entry('Joan').getByRole('button', { name: 'Contact' }).click()
        await page.getByTestId('contact-none').waitFor()
        await page.keyboard.press('Escape')
      } else {
        await page.getByRole('heading', { name: 'Get in touch today' }).scrollIntoViewIfNeeded()
        await fits(page, '[data-testid="outreach-item"] button .mantine-Button-label')
        await page.screenshot({ path: `${screenshotDir}/till-outreach-${width}.png` })
        await entry('Joan').getByRole('button', { name: 'Snooze' }).click()
        await page.getByRole('menuitem', { name: 'Tomorrow' }).click()
        await entry('Joan').waitFor({ state: 'detached' })
        await entry('Rosa').getByRole('button', { name: 'Done' }).click()
        await entry('Rosa').waitFor({ state: 'detached' })
      }
      await page.close()
    }
  })
})
