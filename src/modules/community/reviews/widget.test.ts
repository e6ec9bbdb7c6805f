import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchBrowser } from '../../../../test/e2e/browser.js'
import { callersFor, enrol } from '../../../../test/support/shop.js'
import { type TestApp, testApp } from '../../../../test/support/testing.js'
import { upsertProducts } from '../../activity/index.js'
import { setConsents } from '../../members/index.js'

/** A retailer's web shop product page on its own origin, embedding the widget by a script tag. */
async function shopServer(regulars: string): Promise<{ server: Server; origin: string }> {
  const page = `<!doctype html><html><head><title>Wool scarf – the shop</title></head><body><h1>Wool scarf</h1>
<div data-regulars-reviews data-sku="SCARF">Loading reviews…</div>
<script src="${regulars}/widget/reviews.js"></script></body></html>`
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe.skipIf(!hasChromium)('the reviews widget on another site’s page', () => {
  let t: TestApp
  let browser: Browser
  let regulars: string
  let allowedShop: { server: Server; origin: string }
  let otherShop: { server: Server; origin: string }

  beforeAll(async () => {
    t = await testApp()
    await upsertProducts(t.deps.db, [{ sku: 'SCARF', name: 'Wool scarf', priceMinor: 3500, currency: 'GBP' }])
    const [ada] = await enrol(t, [{ givenName: 'Ada', familyName: 'Lovelace' }])
    await setConsents(t.deps.db, ada, { social_visibility: true }, t.deps.clock.now())
    const { ada: member } = await callersFor(t, { ada: { member: ada } })
    const posted = await t.app.inject({
      method: 'POST',
      url: '/v1/products/SCARF/reviews',
      headers: member.headers,
      payload: { rating: 4, title: 'Lovely and warm', body: 'Soft *and* warm <img src=x onerror="window.hacked=1">' },
    })
    expect(posted.statusCode).toBe(201)
    regulars = await t.app.listen({ port: 0, host: '127.0.0.1' })
    allowedShop = await shopServer(regulars)
    otherShop = await shopServer(regulars)
    t.deps.config.widgetOrigins = [allowedShop.origin]
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    for (const shop of [allowedShop, otherShop]) await new Promise((resolve) => shop?.server.close(resolve))
    await t?.close()
  })

  it('shows the product’s reviews on an allowed shop’s page, and nothing a review smuggled in runs', async () => {
    const page = await browser.newPage()
    await page.goto(allowedShop.origin)
    await page.getByText('Lovely and warm').waitFor()
    expect(await page.locator('.regulars-summary').textContent()).toContain('from 1 reviews')
    expect(await page.locator('.regulars-author').textContent()).toContain('Ada L.')
    expect(await page.locator('.regulars-review em').textContent()).toBe('and')
    expect(await page.locator('.regulars-review img').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined()
    await page.close()
  })

  it('refuses a shop whose origin is not configured: its page shows nothing of the reviews', async () => {
    const page = await browser.newPage()
    await page.goto(otherShop.origin)
    await page.getByText('Reviews cannot be shown here.').waitFor()
    expect(await page.getByText('Lovely and warm').count()).toBe(0)
    await page.close()
    // The same refusal, as the API answers it.
    const direct = await t.app.inject({ method: 'GET', url: '/v1/products/SCARF/reviews', headers: { origin: otherShop.origin } })
    expect(direct.statusCode).toBe(403)
    expect(direct.json().detail).toContain('REGULARS_WIDGET_ORIGINS')
    const allowed = await t.app.inject({ method: 'GET', url: '/v1/products/SCARF/reviews', headers: { origin: allowedShop.origin } })
    expect(allowed.headers['access-control-allow-origin']).toBe(allowedShop.origin)
    expect(allowed.headers['access-control-allow-credentials']).toBe('true')
  })
})
