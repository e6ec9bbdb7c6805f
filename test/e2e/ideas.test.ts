import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/modules/accounts/index.js'
import { upsertProducts, upsertStores } from '../../src/modules/activity/index.js'
import { answerPoll, createPoll, writeReview } from '../../src/modules/community/index.js'
import { enrolMembers } from '../../src/modules/members/index.js'
import { newId } from '../../src/platform/ids.js'
import type { RunningServer } from '../../src/server.js'
import { hasChromium, launchBrowser, logIn, screenshotDir, signedInPage, startEmptyServer } from './browser.js'

const password = 'correct horse battery'

describe.skipIf(!hasChromium)('ideas in the web app (Chromium: a member on a laptop, another on a phone, a manager)', () => {
  let server: RunningServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  const ada = newId()
  const bea = newId()
  beforeAll(async () => {
    server = await startEmptyServer()
    const at = server.deps.clock.now()
    await upsertStores(server.deps.db, [{ id: newId(), code: 'S01', name: 'Camden', region: 'London', timezone: 'Europe/London' }])
    await upsertProducts(server.deps.db, [{ sku: 'OAT-1', name: 'Oat milk 1l', category: ['Dairy alternatives'], priceMinor: 180, currency: 'GBP' }])
    await enrolMembers(
      server.deps.db,
      [
        { member: { id: ada, givenName: 'Ada', familyName: 'Lovelace', joinedAt: at }, identifiers: [] },
        { member: { id: bea, givenName: 'Bea', familyName: 'Brown', joinedAt: at }, identifiers: [] },
      ],
      { defaultRegion: 'GB', at },
    )
    await createUser(server.deps, { email: 'ada@ideas.test', displayName: 'Ada', password, role: 'member', memberId: ada })
    await createUser(server.deps, { email: 'bea@ideas.test', displayName: 'Bea', password, role: 'member', memberId: bea })
    await createUser(server.deps, { email: 'manager@ideas.test', displayName: 'Mo', password, role: 'manager' })
    // What the demand panel's findings read: two low and two high reviews of the oat milk, and a poll for everyone
    // (a category poll is only for members who buy in it, and these four bought nothing).
    const reviewers = [ada, bea, newId(), newId()]
    await enrolMembers(
      server.deps.db,
      reviewers.slice(2).map((id, i) => ({ member: { id, givenName: ['Cy', 'Di'][i], joinedAt: at }, identifiers: [] })),
      { defaultRegion: 'GB', at },
    )
    const said: [number, string, string][] = [
      [2, 'Separates', 'It separates in hot coffee.'],
      [1, 'Thin', 'Watery and it separates in hot coffee.'],
      [5, 'Froths well', 'Froths well for a flat white.'],
      [4, 'Creamy', 'Creamy, froths well.'],
    ]
    for (const [i, [rating, title, body]] of said.entries()) await writeReview(server.deps, reviewers[i], 'OAT-1', { rating, title, body })
    const poll = await createPoll(
      server.deps,
      {
        kind: 'single',
        question: 'Which plant milk next?',
        scope: 'retailer',
        endsAt: new Date(at.getTime() + 7 * 86_400_000).toISOString(),
        options: ['Soy', 'Almond'],
      },
      null,
    )
    for (const [i, member] of reviewers.entries()) await answerPoll(server.deps, poll.id, member, [poll.options[i % 3 === 0 ? 0 : 1].id])
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
  })

  const openAs = async (email: string, width: number, ready: string): Promise<Page> => {
    const page = await signedInPage(browser, contexts, { base: server.url, email, password, width })
    await page.getByTestId(ready).waitFor()
    return page
  }
  const shot = (page: Page, name: string, width: number) => page.screenshot({ path: `${screenshotDir}/ideas-${name}-${width}.png`, fullPage: true })

  it('shares an idea, votes for it from two members, and shows the weight formula and the ladder', async () => {
    const adaPage = await openAs('ada@ideas.test', 1280, 'member-home')
    await adaPage.getByRole('link', { name: 'Ideas', exact: true }).first().click()
    await adaPage.getByTestId('ideas-board').waitFor()
    await adaPage.getByRole('button', { name: 'Share an idea' }).click()
    const dialog = adaPage.getByRole('dialog', { name: 'Share an idea' })
    await dialog.getByRole('button', { name: 'Share it' }).click()
    await dialog.getByText('Say what you would like').waitFor() // checked before anything is sent
    await dialog.getByLabel('Your idea, in a line').fill('Oat milk flat whites')
    await dialog.getByLabel('Why, and what would it be like?').fill('Half of us take oat milk; the Camden café runs out by noon.')
    await dialog.getByRole('button', { name: 'Share it' }).click()
    await adaPage.getByTestId('idea-page').waitFor()
    await expect.poll(() => adaPage.getByTestId('weight-formula').textContent()).toContain('one person, one voice across all their cards and accounts')
    await adaPage.getByRole('button', { name: 'Vote for Oat milk flat whites' }).click()
    await adaPage.getByRole('button', { name: 'Take back my vote for Oat milk flat whites' }).waitFor()
    await shot(adaPage, 'idea', 1280)

    const beaPage = await openAs('bea@ideas.test', 390, 'member-home')
    const near = beaPage.getByTestId('ideas-near')
    await near.getByRole('button', { name: 'Vote for Oat milk flat whites' }).click()
    await near.getByRole('button', { name: 'Take back my vote for Oat milk flat whites' }).waitFor()
    await expect.poll(() => near.getByRole('button', { name: /Oat milk flat whites/ }).textContent()).toContain('2')
    await beaPage.goto(`${server.url}/ideas`)
    await beaPage.getByTestId('vote-budget').getByText(/9/).waitFor()
    await beaPage.getByText('My votes').click()
    await beaPage.getByTestId('idea-card').first().waitFor()
    expect(await beaPage.getByTestId('idea-card').count()).toBe(1)
    await shot(beaPage, 'board', 390)
    await adaPage.goto(`${server.url}/ideas`)
    await adaPage.getByTestId('idea-card').first().waitFor()
    await shot(adaPage, 'board', 1280)
    await beaPage.getByTestId('idea-card').getByRole('link').click()
    await beaPage.getByTestId('idea-page').waitFor()
    await shot(beaPage, 'idea', 390)
  })

  it('lets a manager answer it and see demand and the loop in Insights', async () => {
    const manager = await openAs('manager@ideas.test', 1280, 'insights-dashboard')
    await manager.goto(`${server.url}/ideas`)
    await manager.getByTestId('idea-card').getByRole('link').click()
    await manager.getByRole('button', { name: 'Save the answer' }).click()
    await manager.getByText('Under review').first().waitFor()
    await manager.goto(`${server.url}/insights?tab=demand`)
    await manager.getByTestId('demand-panel').getByText('Closing the loop').waitFor()
    await manager.getByText('Ideas shared').waitFor()
    const findings = manager.getByTestId('demand-findings')
    await findings.getByText('Which plant milk next?').waitFor()
    await findings.getByText('hot coffee (2)').waitFor() // a complaint of both low reviews
    await findings.getByText('froths well (2)').waitFor()
    await shot(manager, 'insights-demand', 1280)
    const phone = await browser.newContext({ viewport: { width: 390, height: 900 } })
    contexts.push(phone)
    const small = await phone.newPage()
    await logIn(small, server.url, 'manager@ideas.test', password)
    await small.getByTestId('insights-dashboard').waitFor()
    await small.goto(`${server.url}/insights?tab=demand`)
    await small.getByText('Ideas shared').waitFor()
    await small.getByTestId('demand-findings').getByText('Which plant milk next?').waitFor()
    await shot(small, 'insights-demand', 390)
  })
})
