/**
 * Ends the test run with the plain line `N passed, N failed` that CI systems read. A test that could not
 * run because its suite's setup failed counts as failed; so does each error no failed test shows (a file
 * that cannot be imported, an afterAll hook that throws) and each error outside any test.
 */
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let failedHere = 0;
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed' || setupFailed(test)) failedHere++;
        else skipped++;
      }
      // Errors of the file or its suites that no failed test accounts for.
      const errors = m.errors().length + [...m.children.allSuites()].reduce((n, s) => n + s.errors().length, 0);
      failed += failedHere > 0 ? failedHere : errors;
    }
    const outside = unhandledErrors.length > 0 ? `, ${unhandledErrors.length} error(s) outside tests` : '';
    process.stdout.write(`\n${passed} passed, ${failed + unhandledErrors.length} failed${skipped > 0 ? `, ${skipped} skipped` : ''}${outside}\n`);
  }
}

/** A test that did not run because a suite around it (or its file) failed before it. */
function setupFailed(test: TestCase): boolean {
  for (let p: TestCase['parent'] | undefined = test.parent; p !== undefined; p = p.type === 'suite' ? p.parent : undefined) {
    if (p.errors().length > 0) return true;
  }
  return false;
}
