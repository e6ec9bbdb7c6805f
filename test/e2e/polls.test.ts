import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/modules/accounts/index.js'
import { upsertStores } from '../../src/modules/activity/index.js'
import { createPoll } from '../../src/modules/community/index.js'
import { enrolMembers } from '../../src/modules/members/index.js'
import { newId } from '../../src/platform/ids.js'
import type { RunningServer } from '../../src/server.js'
import { hasChromium, launchBrowser, screenshotDir, signedInPage, startEmptyServer } from './browser.js'

const password = 'correct horse battery'

describe.skipIf(!hasChromium)('polls in the web app (Chromium): pairs on a phone, results for staff', () => {
  let server: RunningServer
  let browser: Browser
  let pollId: string
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    server = await startEmptyServer()
    const at = server.deps.clock.now()
    const store = newId()
    await upsertStores(server.deps.db, [{ id: store, code: 'S01', name: 'Camden', region: 'London', timezone: 'Europe/London' }])
    const members = [newId(), newId()]
    await enrolMembers(
      server.deps.db,
      members.map((id, i) => ({ member: { id, givenName: ['Ada', 'Bo'][i], homeStoreId: store, joinedAt: at }, identifiers: [] })),
      { defaultRegion: 'GB', at },
    )
    await createUser(server.deps, { email: 'ada@polls.test', displayName: 'Ada', password, role: 'member', memberId: members[0] })
    await createUser(server.deps, { email: 'mo@polls.test', displayName: 'Mo', password, role: 'manager' })
    const poll = await createPoll(
      server.deps,
      {
        kind: 'pairwise',
        question: 'Which would you rather find on our shelves?',
        scope: 'retailer',
        endsAt: new Date(at.getTime() + 14 * 86_400_000).toISOString(),
        options: ['Oat milk flat white', 'Cold brew on tap', 'Vegan almond croissant', 'Sourdough loaf, baked in store'],
      },
      null,
    )
    pollId = poll.id
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
  })

  const openAs = async (email: string, width: number): Promise<Page> => {
    return signedInPage(browser, contexts, { base: server.url, email, password, width, height: width < 500 ? 844 : 900 })
  }

  it('answers pairs with one thumb on a phone, skips one, suggests an option, and staff see the estimate', async () => {
    const phone = await openAs('ada@polls.test', 390)
    const nearby = phone.getByTestId('nearby-polls')
    await nearby.getByText('Which would you rather find on our shelves?').waitFor()
    await nearby.scrollIntoViewIfNeeded()
    await phone.screenshot({ path: `${screenshotDir}/polls-home-390.png` })
    await nearby.getByRole('button', { name: 'Answer' }).click()

    await phone.getByTestId('poll-page').waitFor()
    await expect.poll(() => phone.getByTestId('pair-progress').textContent()).toBe('0 of 6 pairs')
    const buttons = phone.getByTestId('pair-option')
    // Both options are big, full-width and stacked: each is reachable by one thumb.
    const [first, second] = [await buttons.nth(0).boundingBox(), await buttons.nth(1).boundingBox()]
    expect(first?.width).toBeGreaterThan(300)
    expect(first?.height).toBeGreaterThanOrEqual(90)
    expect((second?.y ?? 0) > (first?.y ?? 0) + (first?.height ?? 0) - 1).toBe(true)
    await phone.screenshot({ path: `${screenshotDir}/polls-pair-390.png` })

    const shown = new Set<string>()
    for (let answered = 0; answered < 5; answered++) {
      const labels = (await buttons.allTextContents()).sort().join(' | ')
      expect(shown.has(labels)).toBe(false)
      shown.add(labels)
      if (answered === 2) await phone.getByRole('button', { name: 'I can’t decide: skip' }).click()
      else await buttons.first().click()
      await expect.poll(() => phone.getByTestId('pair-progress').textContent()).toBe(`${answered + 1} of 6 pairs`)
    }
    await phone.getByRole('button', { name: 'Suggest another option' }).click()
    await phone.getByLabel('Your option').fill('Chai latte')
    await phone.getByRole('button', { name: 'Suggest it' }).click()
    await phone
      .getByRole('status')
      .getByText(/Chai latte/)
      .waitFor()
    await phone.screenshot({ path: `${screenshotDir}/polls-suggest-390.png` })

    const laptop = await openAs('mo@polls.test', 1280)
    await laptop.goto(`${server.url}/polls`)
    await laptop.getByTestId('polls-list').getByText('Which would you rather find on our shelves?').click()
    const results = laptop.getByTestId('poll-results')
    await results.getByRole('img', { name: /Everyone: each option's chance of beating a random other option/ }).waitFor()
    await results.getByText('1 member', { exact: true }).first().waitFor()
    await laptop.screenshot({ path: `${screenshotDir}/polls-results-1280.png`, fullPage: true })
    await results.getByText('By store', { exact: true }).click()
    await results.getByText('Camden').waitFor()

    const memberWide = await openAs('ada@polls.test', 1280)
    await memberWide.goto(`${server.url}/polls/${pollId}`)
    await memberWide.getByTestId('pair-option').first().waitFor()
    await memberWide.screenshot({ path: `${screenshotDir}/polls-pair-1280.png` })
    const phoneResults = await openAs('mo@polls.test', 390)
    await phoneResults.goto(`${server.url}/polls/${pollId}/results`)
    await phoneResults.getByTestId('poll-results').getByRole('img').first().waitFor()
    await phoneResults.screenshot({ path: `${screenshotDir}/polls-results-390.png`, fullPage: true })
  }, 240_000)

  it('lets a manager start a poll from a form that says what is missing, and the members it is for see it', async () => {
    for (const width of [390, 1280]) {
      const page = await openAs('mo@polls.test', width)
      await page.goto(`${server.url}/polls`)
      await page.getByRole('button', { name: 'Start a poll' }).click()
      const form = page.getByTestId('start-poll')
      await form.getByRole('button', { name: 'Open the poll' }).click()
      await form.getByText('Ask your question in a few words').waitFor()
      await form.getByText('Give at least two options, one a line').waitFor()
      await form.getByLabel('Options, one a line').fill('Rye\nSpelt\nrye')
      await form.getByText('“rye” is in the list twice').waitFor()
      await page.screenshot({ path: `${screenshotDir}/polls-start-${width}.png` })
      if (width === 390) {
        await page.keyboard.press('Escape')
        continue
      }
      await form.getByLabel('The question').fill('Which loaf should Camden bake on Saturdays?')
      await form.getByLabel('Options, one a line').fill('Rye\nSpelt\nSeeded sourdough')
      await form
        .getByRole('combobox', { name: 'For' })
        .or(form.getByRole('textbox', { name: 'For' }))
        .first()
        .click()
      await page.getByRole('option', { name: 'Members of one store' }).click()
      await form.getByRole('button', { name: 'Open the poll' }).click()
      await form.getByText('Pick the store').waitFor()
      await form
        .getByRole('combobox', { name: 'Which store' })
        .or(form.getByRole('textbox', { name: 'Which store' }))
        .first()
        .click()
      await page.getByRole('option', { name: 'Camden' }).click()
      await form.getByRole('button', { name: 'Open the poll' }).click()
      await page.getByTestId('poll-results').getByText('Which loaf should Camden bake on Saturdays?').waitFor()
    }
    // Ada's home store is Camden: the poll is near her.
    const ada = await openAs('ada@polls.test', 390)
    await ada.getByTestId('nearby-polls').getByText('Which loaf should Camden bake on Saturdays?').waitFor()
  }, 240_000)
})
