// Adds up the JSON reports of every test runner into one line: "N passed, N failed".
// A runner that should have reported but did not (it crashed, or never ran) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`ci: no report at ${file} (that runner did not finish)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  if (r.stats && typeof r.stats.expected === 'number') {
    // Playwright: expected = passed, unexpected = failed, flaky counts as failed (a flaky test is a bug).
    passed += r.stats.expected;
    failed += r.stats.unexpected + (r.stats.flaky ?? 0);
  } else {
    // Vitest (Jest-compatible JSON). A file that failed to load has no failed test but fails the run.
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    if (r.success === false && (r.numFailedTests ?? 0) === 0) failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
