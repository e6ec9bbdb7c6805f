import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// One suite, two databases: every server test runs on PGlite, and again on real PostgreSQL
// when TEST_DATABASE_URL is set. Browser tests run once, against a server on PGlite.
const serverTests = ['src/**/*.test.ts', 'test/**/*.test.ts']
const notBrowser = ['test/e2e/**', 'node_modules/**']
// These start `regulars` the way a person does, on its embedded database whatever TEST_DATABASE_URL
// says (`npm start`, the CLI): a second run in the postgres project would repeat them exactly.
const embeddedOnly = ['src/cli/cli.test.ts', 'src/modules/demo/start.test.ts']

export default defineConfig({
  test: {
    reporters: ['default', './test/totals-reporter.ts'],
    testTimeout: 30_000,
    // Vitest's default is one worker fewer than the cores: on a 2-core machine, one file at a time.
    // Files wait on the database, argon2 and child processes often enough to keep every core busy.
    maxWorkers: Math.max(2, availableParallelism()),
    hookTimeout: 60_000,
    // Files share a worker's module cache: each file no longer imports the app afresh and compiles
    // PGlite's WebAssembly again (about 3 s of CPU a file). Every file opens and closes its own
    // database and app, and module-level state is limited to caches of pure results.
    isolate: false,
    projects: [
      {
        extends: true as const,
        test: { name: 'pglite', include: serverTests, exclude: notBrowser, globalSetup: ['test/setup/pglite.ts'], env: { REGULARS_TEST_DB: 'pglite' } },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: serverTests,
                exclude: [...notBrowser, ...embeddedOnly],
                globalSetup: ['test/setup/postgres.ts'],
                env: { REGULARS_TEST_DB: 'postgres' },
              },
            },
          ]
        : []),
      // Not `fileParallelism: false`: that puts the browser file in a group of its own, run after all the others.
      // The migrated template too: tests that build their own shop start from a copy of it (browser.ts).
      { extends: true as const, test: { name: 'browser', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/setup/pglite.ts'], testTimeout: 60_000 } },
    ],
  },
})
