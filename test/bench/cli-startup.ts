// How fast `switchyard` starts: `--version` and `fleet list --json` (the demo fleet in a temp data
// folder), run as a user runs them through bin/switchyard.js, from the esbuild bundle against the
// TypeScript sources through tsx, alternating in the same run. The bundle is rebuilt first. The
// bundled side is bin's default path, so its figure includes the mtime walk that keeps an edited
// source from running stale; that walk is also reported on its own (default minus forced bundle).
// `--version` on the default path is answered by bin itself, without the application.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emit, fmt, hasFlag, log, median } from './lib/report';

const RUNS = hasFlag('short') ? 5 : 15;
const GOAL_MS = 300;
const BIN = path.resolve('bin/switchyard.js');

function wallMs(args: string[], mode: 'auto' | 'bundle' | 'source'): Promise<number> {
  const env = { ...process.env };
  delete env.SWITCHYARD_CLI;
  if (mode !== 'auto') env.SWITCHYARD_CLI = mode;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`switchyard ${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

function nodeFloorMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

const build = spawnSync(process.execPath, ['scripts/build-cli.js'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build:cli failed');

const data = mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-bench-'));
try {
  const imported = spawnSync(process.execPath, [BIN, 'fleet', 'import', 'resources/demo-fleet.json', '--data', data], { encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`fleet import failed: ${imported.stderr}`);
  const commands = [['--version'], ['fleet', 'list', '--json', '--data', data]];
  // One untimed run of each side warms the page cache, as a second start by a person would be.
  for (const args of commands) for (const mode of ['auto', 'source'] as const) await wallMs(args, mode);

  // Node's own start (`node -e 0`) in the same run: the floor no CLI goes under, and the yardstick
  // that tells a loaded machine's figures (every row slower alike) from a slower CLI.
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i += 1) floor.push(await nodeFloorMs());
  const rows = [];
  const walkDeltas: number[] = [];
  for (const args of commands) {
    const bundled: number[] = [];
    const forced: number[] = [];
    const tsx: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      bundled.push(await wallMs(args, 'auto'));
      forced.push(await wallMs(args, 'bundle'));
      tsx.push(await wallMs(args, 'source'));
    }
    const ours = median(bundled);
    const peer = median(tsx);
    // --version on the default path skips the application (and so the check): only fleet list carries the walk.
    if (args[0] !== '--version') walkDeltas.push(ours - median(forced));
    const name = `switchyard ${args.slice(0, 3).join(' ')}`;
    log(`  ${name}: bundle ${fmt(ours, 0)} ms (forced, no walk: ${fmt(median(forced), 0)} ms), tsx ${fmt(peer, 0)} ms; median of ${RUNS}`);
    rows.push({
      benchmark: `CLI start-up: \`${name}\``,
      measure: `wall ms to exit, median of ${RUNS}`,
      ours: `${fmt(ours, 0)} (bundle)`,
      peer: `${fmt(peer, 0)} (tsx, as before)`,
      ratio: `${fmt(ours / peer)} ×`,
      goal: `< ${GOAL_MS} ms`,
      met: ours < GOAL_MS,
    });
  }
  rows.push({
    benchmark: 'CLI start-up: node alone',
    measure: `wall ms of \`node -e 0\`, median of ${RUNS} (the floor under every row above)`,
    ours: fmt(median(floor), 0),
    peer: '—',
    ratio: '—',
    goal: '—',
    met: null,
  });
  rows.push({
    benchmark: 'CLI start-up: staleness check',
    measure: 'ms the mtime walk of src/ and resources/ adds to `fleet list` (default minus forced bundle)',
    ours: fmt(median(walkDeltas), 0),
    peer: '—',
    ratio: '—',
    goal: '—',
    met: null,
  });
  emit(rows);
} finally {
  rmSync(data, { recursive: true, force: true });
}
