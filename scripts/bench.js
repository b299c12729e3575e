#!/usr/bin/env node
// `npm run bench [-- NAME ...] [-- --short]`: runs the benchmarks in test/bench/ (all, or those
// named), each in its own process, one after the other (they measure CPU and must not share the
// two cores), and prints one markdown table of what they measured against their peers.
// Progress goes to stderr; the table to stdout (and to .tmp/bench/results.md).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const BENCHES = {
  ingest: { file: 'test/bench/ingest.ts', root: false },
  sip: { file: 'test/bench/sip.ts', root: true },
  icmp: { file: 'test/bench/icmp.ts', root: false },
  'chart-query': { file: 'test/bench/chart-query.ts', root: false },
  'storage-density': { file: 'test/bench/storage-density.ts', root: false },
  'storage-codecs': { file: 'test/bench/storage-codecs.ts', root: false },
  'ssh-fanout': { file: 'test/bench/ssh-fanout.ts', root: true },
  'frame-time': { file: 'test/bench/frame-time.ts', root: false },
  'first-paint': { file: 'test/bench/first-paint.ts', root: false },
  'alert-storm': { file: 'test/bench/alert-storm.ts', root: true },
  'cli-startup': { file: 'test/bench/cli-startup.ts', root: false },
  'console-10k': { file: 'test/bench/console-10k.ts', root: false },
  'fleet-10k': { file: 'test/bench/fleet-10k.ts', root: true },
  'team-fanout': { file: 'test/bench/team-fanout.ts', root: true },
  'tcp-connect': { file: 'test/bench/tcp-connect.ts', root: false },
  'rollup-close': { file: 'test/bench/rollup-close.ts', root: false },
  'sample-writes': { file: 'test/bench/sample-writes.ts', root: false },
};
const TAG = 'BENCH-RESULT ';

const args = process.argv.slice(2);
const short = args.includes('--short');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}
const chosen = names.length > 0 ? names : Object.keys(BENCHES);

function run(name) {
  const { file, root } = BENCHES[name];
  if (root && process.getuid?.() !== 0) {
    console.error(`[${name}] skipped: needs root to create its network namespace`);
    return Promise.resolve({ name, rows: [], failed: 'skipped (needs root)' });
  }
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...(short ? ['--short'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.once('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(TAG));
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      if (code !== 0 || !line) {
        console.error(`[${name}] FAILED (exit ${code}) after ${seconds} s`);
        resolve({ name, rows: [], failed: `failed (exit ${code})` });
        return;
      }
      console.error(`[${name}] done in ${seconds} s`);
      resolve({ name, rows: JSON.parse(line.slice(TAG.length)) });
    });
  });
}

const results = [];
for (const name of chosen) results.push(await run(name));

const lines = [
  '| Benchmark | Measure | Switchyard | Peer (same run) | Ratio | Goal | Met |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const r of results) {
  if (r.failed) lines.push(`| ${r.name} | — | — | — | — | — | ${r.failed} |`);
  for (const row of r.rows) {
    lines.push(
      `| ${row.benchmark} | ${row.measure} | ${row.ours} | ${row.peer} | ${row.ratio} | ${row.goal} | ${row.met === null ? '—' : row.met ? 'yes' : 'no'} |`,
    );
  }
}
const table = `${lines.join('\n')}\n`;
mkdirSync('.tmp/bench', { recursive: true });
writeFileSync('.tmp/bench/results.md', table);
process.stdout.write(table);
process.exit(results.some((r) => r.failed && r.failed.startsWith('failed')) ? 1 : 0);
