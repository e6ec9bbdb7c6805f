/** Draws the web app's PNG icons (PWA manifest, home screen) from favicon.svg in Chromium: `npx tsx scripts/web-icons.ts`. */
import { readFile } from 'node:fs/promises'
import { chromium } from 'playwright-core'

const favicon = await readFile('web/public/favicon.svg', 'utf8')
// Maskable: the background to the edges, the mark inside the middle 80% (the safe zone launchers keep).
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#0b7285"/><g transform="translate(6.4 6.4) scale(0.6)"><path d="M10 23V9h7a4.5 4.5 0 0 1 0 9h-7m7 0 5 5" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" transform="translate(-1.33 0) scale(1.1)"/></g></svg>`
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
for (const [name, svg, size] of [
  ['icon-192.png', favicon, 192],
  ['icon-512.png', favicon, 512],
  ['icon-maskable-512.png', maskable, 512],
  ['apple-touch-icon.png', maskable, 180],
] as const) {
  const page = await browser.newPage({ viewport: { width: size, height: size } })
  await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img src="data:image/svg+xml;utf8,${encodeURIComponent(svg)}" width="${size}" height="${size}" style="display:block">`)
  await page.screenshot({ path: `web/public/${name}`, omitBackground: true })
  await page.close()
}
await browser.close()
