import { defineConfig } from 'drizzle-kit'

// Every module owns a schema.ts; drizzle-kit reads them all and writes one migration history.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/*/schema.ts', './src/modules/*/schema.ts', './src/modules/*/*/schema.ts'],
  out: './drizzle',
})
