#!/usr/bin/env node
// The CLI built at install (dist/regulars.js, `npm run build:server`) starts in a moment; a checkout
// that was never built runs the TypeScript through tsx instead.
import { existsSync } from 'node:fs'

const built = new URL('../dist/regulars.js', import.meta.url)
if (existsSync(built)) await import(built.href)
else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/main.ts')
}
