import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApiKey, createUser } from '../../src/modules/accounts/index.js'
import { upsertProducts, upsertStores } from '../../src/modules/activity/index.js'
import { enrolMembers } from '../../src/modules/members/index.js'
import { newId } from '../../src/platform/ids.js'
import { hasChromium, logIn, screenshotDir, serverAndBrowser } from './browser.js'

// The admin's and marketer's screens, at a desktop's width and a phone's, on a small shop the test
// sets up (the demo retailer takes minutes to generate on a busy machine).
const widths = [1280, 390] as const
const login = { email: 'ines@shop.test', password: 'saffron lantern copper meadow' }
const [rubyShaw, rubySshaw] = [newId(), newId()]

describe.skipIf(!hasChromium)('the admin screens (Chromium)', () => {
  const the = serverAndBrowser({ demo: false })

  beforeAll(async () => {
    const { deps } = the.server
    const at = deps.clock.now()
    await createUser(deps, { ...login, displayName: 'Ines Admin', role: 'admin' })
    await upsertStores(deps.db, [
      { id: newId(), code: 'S01', name: 'Covent Garden', region: 'London', timezone: 'Europe/London' },
      { id: newId(), code: 'S05', name: 'Victoria Quarter', region: 'Yorkshire', timezone: 'Europe/London' },
    ])
    // Ruby signed up twice from one address, with another email, phone and town (the demo's own pair):
    // the detector is 99.6% sure, which used to read "100% alike".
    const ruby = { givenName: 'Ruby', birthDate: '1986-05-14', addressLine: '41 Mill Lane', postcode: 'LS1 4QT', joinedAt: at }
    await enrolMembers(
      deps.db,
      [
        {
          member: { ...ruby, id: rubyShaw, familyName: 'Shaw', city: 'Leeds', phone: '+447001309216', email: 'ruby.shaw163@example.net' },
          identifiers: [{ kind: 'card', value: '6337000000163' }],
        },
        {
          member: { ...ruby, id: rubySshaw, familyName: 'Sshaw', city: 'Manchester', phone: '+447001317135', email: 'ruby.sshaw164@example.com' },
          identifiers: [{ kind: 'card', value: '6337000000164' }],
        },
      ],
      { defaultRegion: 'GB', at },
    )
  })

  // One login per width, as an admin keeps one browser open (and the login route's per-minute limit holds).
  const signedIn = new Map<number, Promise<BrowserContext>>()
  const admin = async (width: number, path: string) => {
    if (!signedIn.has(width))
      signedIn.set(
        width,
        (async () => {
          const context = await the.browser.newContext({ viewport: { width, height: 900 } })
          const first = await context.newPage()
          await logIn(first, the.server.url, login.email, login.password)
          await first.getByTestId('admin-area').waitFor()
          await first.close()
          return context
        })(),
      )
    const page = await ((await signedIn.get(width)) as BrowserContext).newPage()
    await page.goto(`${the.server.url}${path}`)
    await page.getByTestId('admin-area').waitFor()
    return page
  }
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  const shoot = (page: Page, name: string, width: number) => page.screenshot({ path: `${screenshotDir}/admin-${name}-${width}.png`, fullPage: true })

  it('offers every scope the server accepts, store scopes included, and asks before revoking a key', async () => {
    for (const width of widths) {
      const page = await admin(width, '/admin?tab=keys')
      await page.getByLabel('Scopes').first().click({ force: true })
      for (const scope of ['insights:read', 'suggestions:read', 'rewards:redeem', 'store:S01']) {
        await page.getByRole('option', { name: new RegExp(`^${scope}\\b`) }).waitFor()
      }
      await page.keyboard.press('Escape')
      await page.getByLabel('What is it for').fill(`Reports ${width}`)
      await page.getByLabel('Scopes').first().click({ force: true })
      await page.getByRole('option', { name: /^insights:read\b/ }).click()
      await page.keyboard.press('Escape')
      await page.getByRole('button', { name: 'Create key' }).click()
      await page.getByText('Copy this key now').waitFor()
      const row =
        width < 500 ? page.getByRole('listitem').filter({ hasText: `Reports ${width}` }) : page.getByRole('row').filter({ hasText: `Reports ${width}` })
      await row.getByText('insights:read').waitFor()
      await row.getByRole('button', { name: 'Revoke' }).click()
      const dialog = page.getByRole('dialog', { name: `Revoke Reports ${width}?` })
      await dialog.getByText('cannot be brought back').waitFor()
      await shoot(page, 'keys-revoke', width)
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await row.getByRole('button', { name: 'Revoke' }).waitFor() // still live
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await shoot(page, 'keys', width)
      await page.close()
    }
  })

  it('shows a duplicate pair side by side with the evidence, never "100%" for two whose town, phone and email differ, and asks before merging', async () => {
    const scan = await the.server.app.inject({ method: 'POST', url: '/v1/members/duplicates/scan', headers: await adminHeaders() })
    expect(scan.statusCode).toBe(200)
    for (const width of widths) {
      const page = await admin(width, '/admin?tab=duplicates')
      const pairs = page.getByTestId('duplicate-pair')
      await pairs.first().waitFor()
      const ruby = pairs.filter({ hasText: 'different town, phone, email' }).first()
      await ruby.waitFor()
      expect(await page.getByText(/100%/).count()).toBe(0)
      await ruby.getByText(/\d\d% likely one person/).waitFor()
      const table = ruby.getByRole('table')
      for (const evidence of ['Identifiers', 'Joined', 'Orders', 'Points', 'Town']) await table.getByText(evidence, { exact: true }).waitFor()
      // Side by side at every width: the two emails sit in one row.
      const emails = table.getByRole('row').filter({ hasText: /@example/ })
      expect(
        await emails
          .first()
          .getByRole('cell')
          .filter({ hasText: /@example/ })
          .count(),
      ).toBe(2)
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await shoot(page, 'duplicates', width)
      await ruby.getByRole('button', { name: 'Same person: keep left' }).click()
      const dialog = page.getByRole('dialog', { name: /^Merge .* into .*\?$/ })
      await dialog.getByText('can be undone').waitFor()
      await shoot(page, 'duplicates-merge', width)
      if (width === 1280) await dialog.getByRole('button', { name: 'Cancel' }).click()
      else {
        await dialog.getByRole('button', { name: 'Merge them' }).click()
        await page.getByText('Merged: one member now').waitFor()
        await page.getByText('No possible duplicates to review').waitFor()
      }
      await page.close()
    }
  })

  it('reads the audit trail by name, filters it, and undoes a merge after asking', async () => {
    for (const width of [390, 1280]) {
      if (width === 1280) {
        // Merged again (the phone's run undid the first), to undo on the wide screen too.
        const merged = await the.server.app.inject({
          method: 'POST',
          url: '/v1/members/merges',
          headers: await adminHeaders(),
          payload: { survivorId: rubyShaw, mergedId: rubySshaw },
        })
        expect(merged.statusCode).toBe(201)
      }
      const page = await admin(width, '/admin?tab=audit')
      await page.getByRole('combobox', { name: 'What' }).click()
      await page.getByRole('option', { name: 'Member merged' }).click()
      const entry = page.getByText('Ruby Sshaw merged into Ruby Shaw').first()
      await entry.waitFor()
      // No id stands in for a name.
      expect(await page.getByText(/Member [0-9a-f]{8}\b/).count()).toBe(0)
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      // Only a merge still in force offers its undo (the phone's run undid the first one).
      await expect.poll(() => page.getByRole('button', { name: 'Undo merge' }).count()).toBe(1)
      if (width === 1280) await page.getByText('undone', { exact: true }).waitFor()
      await shoot(page, 'audit', width)
      await page.getByRole('button', { name: 'Undo merge' }).click()
      const dialog = page.getByRole('dialog', { name: 'Undo the merge of Ruby Sshaw into Ruby Shaw?' })
      await dialog.getByText('becomes a member of their own again').waitFor()
      await shoot(page, 'audit-undo', width)
      await dialog.getByRole('button', { name: 'Undo merge' }).click()
      await page.getByText('Merge undone').waitFor()
      await expect.poll(() => page.getByRole('button', { name: 'Undo merge' }).count()).toBe(0)
      await page.getByRole('combobox', { name: 'What' }).click()
      await page.getByRole('option', { name: 'Member unmerged' }).click()
      await page.getByText('Member Ruby Sshaw').first().waitFor()
      await page.close()
    }
    const merges = await the.server.app.inject({ method: 'GET', url: `/v1/members/${rubySshaw}/merges`, headers: await adminHeaders() })
    expect(merges.json().items.every((m: { unmergedAt: string | null }) => m.unmergedAt)).toBe(true)
  })

  it('edits a reward in the catalogue: dates, a tier, a picture; deactivates it after asking and offers it again', async () => {
    const headers = await adminHeaders()
    const tiers = {
      tiers: [
        { code: 'member', name: 'Member', threshold: 0, perks: [] },
        { code: 'gold', name: 'Gold', threshold: 500, perks: [] },
      ],
      policy: { spendWeight: 1, participationWeight: 1, windowMonths: 12, graceDays: 30 },
    }
    expect((await the.server.app.inject({ method: 'PUT', url: '/v1/tiers', headers, payload: tiers })).statusCode).toBe(200)
    for (const width of widths) {
      const name = `Tasting evening ${width}`
      await the.server.app.inject({ method: 'POST', url: '/v1/rewards', headers, payload: { name, kind: 'experience', cost: 800 } })
      const page = await admin(width, '/admin?tab=rewards')
      const row = width < 500 ? page.getByRole('listitem').filter({ hasText: name }) : page.getByRole('row').filter({ hasText: name })
      await row.getByRole('button', { name: 'Edit' }).click()
      await page.getByText(`Edit ${name}`).waitFor()
      await page.getByLabel('First day').fill('2026-12-01')
      await page.getByLabel('Last day').fill('2026-11-01')
      await page.getByRole('button', { name: 'Save reward' }).click()
      await page.getByText('The last day must come after the first').waitFor()
      await page.getByLabel('Last day').fill('2026-12-24')
      await page.getByLabel('Picture (web address)').fill('not a picture')
      await page.getByRole('button', { name: 'Save reward' }).click()
      await page.getByText('A web address starting https://').waitFor()
      await page.getByLabel('Picture (web address)').fill(`${the.server.url}/favicon.svg`)
      await page.getByLabel('Only for tiers').first().click({ force: true })
      await page.getByRole('option', { name: 'Gold' }).click()
      await page.keyboard.press('Escape')
      await page.getByRole('button', { name: 'Save reward' }).click()
      await page.getByText(`Saved ${name}.`).waitFor()
      await row.getByText('1 Dec 2026 – 24 Dec 2026').waitFor()
      await row.getByText('Gold members').waitFor()
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await shoot(page, 'rewards', width)
      await row.getByRole('button', { name: 'Deactivate' }).click()
      const dialog = page.getByRole('dialog', { name: `Stop offering ${name}?` })
      await dialog.getByText('Codes already given stay valid').waitFor()
      await shoot(page, 'rewards-deactivate', width)
      await dialog.getByRole('button', { name: 'Stop offering' }).click()
      await row.getByText('not offered').waitFor()
      await row.getByRole('button', { name: 'Offer again' }).click()
      await row.getByText('offered', { exact: true }).waitFor()
      await page.close()
    }
    const saved = (await the.server.app.inject({ method: 'GET', url: '/v1/rewards', headers }))
      .json()
      .items.find((r: { name: string }) => r.name === 'Tasting evening 390')
    expect(saved).toMatchObject({ tiers: ['gold'], validFrom: expect.any(String), validUntil: expect.any(String), active: true })
  })

  it('builds an earning rule from lists, says what is wrong in words, dry-runs it against the current version, saves it and retires it after asking', async () => {
    const { deps } = the.server
    const headers = await adminHeaders()
    await upsertProducts(deps.db, [{ sku: 'BEANS-1', name: 'House beans', category: ['Coffee & Tea', 'Coffee beans'], brand: 'Hillside', priceMinor: 1000 }])
    const cleo = newId()
    await enrolMembers(
      deps.db,
      [{ member: { id: cleo, givenName: 'Cleo', familyName: 'Marsh', joinedAt: deps.clock.now() }, identifiers: [{ kind: 'card', value: '6337000000200' }] }],
      {
        defaultRegion: 'GB',
        at: deps.clock.now(),
      },
    )
    const till = await createApiKey(deps, { name: 'Covent Garden till', scopes: ['activity:write'] })
    const sale = await the.server.app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: { authorization: `Bearer ${till.key}` },
      payload: {
        kind: 'purchase',
        channel: 'store',
        store: 'S01',
        source: 'till',
        idempotencyKey: newId(),
        member: { kind: 'card', value: '6337000000200' },
        occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        lines: [{ sku: 'BEANS-1', quantity: 2, unitPrice: 1000 }],
      },
    })
    expect(sale.statusCode).toBe(201)
    for (const width of widths) {
      const name = `Coffee mornings ${width}`
      const page = await admin(width, '/admin?tab=rules')
      const builder = page.getByTestId('rule-builder')
      await builder.getByLabel(/^Name/).fill(name)
      // Conditions are picked from the server's lists.
      await builder.getByRole('combobox', { name: 'Add a condition' }).click()
      await page.getByRole('option', { name: 'Category' }).click()
      await builder.getByLabel('Category', { exact: true }).first().click({ force: true })
      await page.getByRole('option', { name: 'Coffee & Tea' }).click()
      await page.keyboard.press('Escape')
      await builder.getByRole('combobox', { name: 'Add a condition' }).click()
      await page.getByRole('option', { name: 'Amount spent' }).click()
      await builder.getByLabel('Amount spent', { exact: true }).fill('15')
      // A value past the server's bound is said in words as it is typed.
      await builder.getByLabel('Points per pound spent', { exact: true }).fill('500')
      await builder.getByText('Points per pound spent can be at most 100').waitFor()
      await builder.getByLabel('Points per pound spent', { exact: true }).fill('3')
      await builder.getByText('3 points per pound spent for purchase, in Coffee & Tea, of £15.00 or more.').waitFor()
      await builder.getByRole('button', { name: 'Try it on this period' }).click()
      const dryRun = page.getByTestId('dry-run')
      await dryRun.getByRole('row', { name: /Points 60$/ }).waitFor()
      await builder.getByRole('button', { name: 'Save rule' }).click()
      await page.getByText(`Saved ${name}, version 1.`).waitFor()
      // Edited: the draft is compared with the version in force, side by side.
      await builder.getByLabel('Points per pound spent', { exact: true }).fill('2')
      await builder.getByRole('button', { name: 'Compare with the current version' }).click()
      await dryRun.getByRole('columnheader', { name: 'Now (v1)' }).waitFor()
      await dryRun.getByRole('row', { name: 'Points 40 60 −20' }).waitFor()
      await dryRun.getByRole('row', { name: 'Points in money £0.40 £0.60 −£0.20' }).waitFor()
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await shoot(page, 'rule-builder', width)
      // Advanced: the JSON is the form's document, and an edit there comes back to the form.
      await builder.getByRole('switch', { name: 'Advanced (JSON)' }).click({ force: true })
      const json = builder.getByLabel('Rule document')
      expect(JSON.parse(await json.inputValue())).toMatchObject({
        name,
        when: { kinds: ['purchase'], categories: ['Coffee & Tea'], minSpend: 1500 },
        award: { perCurrencyUnit: 2 },
      })
      await json.fill((await json.inputValue()).replace('"perCurrencyUnit": 2', '"perCurrencyUnit": 4'))
      await builder.getByRole('switch', { name: 'Advanced (JSON)' }).click({ force: true })
      await expect.poll(() => builder.getByLabel('Points per pound spent', { exact: true }).inputValue()).toBe('4')
      // Retiring asks first and says what stops.
      const row = width < 500 ? page.getByRole('listitem').filter({ hasText: name }) : page.getByRole('row').filter({ hasText: name })
      await row.getByRole('button', { name: 'Retire' }).click()
      const dialog = page.getByRole('dialog', { name: `Retire ${name}?` })
      await dialog.getByText('Members stop earning from it from now on: 3 points per pound spent for purchase, in Coffee & Tea, of £15.00 or more.').waitFor()
      // The screen as the admin sees it, once the dialog has faded in (a full-page shot resizes the window, which closes it).
      await expect.poll(() => dialog.evaluate((el) => getComputedStyle(el).opacity)).toBe('1')
      await page.screenshot({ path: `${screenshotDir}/admin-rule-retire-${width}.png` })
      await dialog.getByRole('button', { name: 'Retire rule' }).click()
      await row.getByText('v2 retired').waitFor()
      await page.close()
    }
    const rules = (await the.server.app.inject({ method: 'GET', url: '/v1/rules', headers })).json().items
    expect(rules.find((r: { document: { name: string } }) => r.document.name === 'Coffee mornings 390')).toMatchObject({ status: 'retired', version: 2 })
  }, 300_000)

  async function adminHeaders() {
    const signedIn = await the.server.app.inject({ method: 'POST', url: '/v1/auth/login', payload: login })
    const cookie = signedIn.cookies.find((c) => c.name === 'regulars_session')?.value
    return { cookie: `regulars_session=${cookie}`, 'x-csrf-token': signedIn.json().csrfToken as string }
  }
})
