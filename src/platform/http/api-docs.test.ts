import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApp, testApp } from '../../../test/support/testing.js'
import { apiScopes } from '../auth/principal.js'

describe('docs/api.md', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })
  afterAll(() => t.close())

  it('lists every API route with who may call it', async () => {
    const doc = await readFile(new URL('../../../docs/api.md', import.meta.url), 'utf8')
    const missing = t.app.routeAccess
      .filter((r) => r.url.startsWith('/v1') && !r.url.includes('test-'))
      .map((r) => `${r.method} ${r.url}`)
      .filter((route) => !doc.includes(`\`${route}\``))
    expect(missing).toEqual([])
  })

  it('lists every API key scope, each one some route accepts', async () => {
    const doc = await readFile(new URL('../../../docs/api.md', import.meta.url), 'utf8')
    const used = new Set(t.app.routeAccess.flatMap((r) => r.access.scopes ?? []))
    expect(Object.keys(apiScopes).filter((scope) => !doc.includes(`| \`${scope}\` |`))).toEqual([])
    expect(Object.keys(apiScopes).filter((scope) => !used.has(scope))).toEqual([])
  })
})
