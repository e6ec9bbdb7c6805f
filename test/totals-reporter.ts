import type { Reporter, TestModule } from 'vitest/node'

/** Ends the run with the plain totals line CI reads: "N passed, N failed, N skipped". */
export default class TotalsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const count = { passed: 0, failed: 0, skipped: 0, pending: 0 }
    for (const module of testModules) {
      const before = count.failed
      for (const test of module.children.allTests()) count[test.result().state] += 1
      // A file whose setup failed has only skipped tests to show for it, but it failed.
      if (module.state() === 'failed' && count.failed === before) count.failed += 1
    }
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`)
  }
}
