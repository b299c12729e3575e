#!/usr/bin/env node
// `npm test`: every check the project keeps, in the order a failure is cheapest to find —
// types, lint, build, then the unit, integration and end-to-end suites in one vitest run.
// Ends with one plain line `N passed, N failed` (also written to .tmp/test-summary.txt for CI).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']],
  ['build:cli', 'node', ['scripts/build-cli.js']],
  // The SIP probes' batched UDP addon (a no-op while current); the tests of both engines need it.
  ['build:sipmmsg', 'node', ['scripts/build-sipmmsg.js', '--strict']],
];
const only = process.argv.slice(2);
mkdirSync('.tmp', { recursive: true });
let failedChecks = 0;
let passedChecks = 0;

for (const [name, cmd, args] of steps) {
  const started = Date.now();
  const run = spawnSync(cmd, args, { stdio: 'inherit' });
  const ok = run.status === 0;
  console.log(`[${name}] ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (ok) passedChecks += 1;
  else failedChecks += 1;
}

const report = '.tmp/vitest.json';
rmSync(report, { force: true });
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...only], {
  stdio: 'inherit',
});
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numTotalTestSuites > 0 && json.success === false && json.numFailedTests === 0 ? 1 : 0);
  skipped = json.numPendingTests + json.numTodoTests;
} catch {
  failed += 1;
  console.log('[vitest] no report was written: the run itself failed');
}
if (vitest.status !== 0 && failed === 0) failed = 1;

const line = `${passed + passedChecks} passed, ${failed + failedChecks} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync('.tmp/test-summary.txt', `${line}\n`);
console.log(line);
process.exit(failed + failedChecks === 0 ? 0 : 1);
