// Crash safety: a child ingesting samples is killed with SIGKILL at random moments, 200 times.
// After each kill the database opens, passes integrity_check, holds every sample the child
// reported committed, and its rollups agree with its raw rows (they commit together).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/services/store/database';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const BASE = Date.UTC(2026, 0, 1);
/** The child stamps sample n at BASE + n ms (test/helpers/ingest-child.ts). */
const SPACING_MS = 1;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let childScript = '';

beforeAll(async () => {
  // Bundled once to plain JavaScript: a TypeScript loader would cost a second per start, 200 times.
  childScript = path.join(tempDir(), 'ingest-child.cjs');
  await build({
    entryPoints: [path.join(root, 'test/helpers/ingest-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: childScript,
    logLevel: 'silent',
  });
});

interface Run {
  committed: number;
  sawReady: boolean;
}

/** Starts the child and kills it `afterMs` after it is ready to ingest, or after spawn when `early`. */
function runAndKill(db: string, afterMs: number, early: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, db, String(BASE)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
    });
    const run: Run = { committed: -1, sawReady: false };
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready' && !run.sawReady) {
          run.sawReady = true;
          if (!early) {
            clearTimeout(timer);
            timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
          }
        }
        const m = /^committed (\d+)$/.exec(line);
        if (m) run.committed = Number(m[1]);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // A child that never gets ready is killed anyway rather than left running.
    let timer = setTimeout(() => child.kill('SIGKILL'), early ? afterMs : 20_000);
    // 'close' comes after the process was reaped and its pipes drained: every line it wrote is in.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (${code}): ${err}`));
      else resolve(run);
    });
  });
}

describe('crash safety of sample ingest', () => {
  it('survives 200 SIGKILLs at random moments with nothing committed lost and no corruption', async () => {
    // Two databases side by side, a hundred kills each: the machine's two cores, half the time.
    const lanes = await Promise.all([lane(path.join(tempDir(), 'crash-a.db')), lane(path.join(tempDir(), 'crash-b.db'))]);
    expect(lanes.reduce((s, l) => s + l.kills, 0)).toBe(200);
    // Nine kills in ten land mid-ingest; on a busy machine some of those fall inside the first
    // transaction, so fewer runs got to report a commit, but many must have.
    expect(lanes.reduce((s, l) => s + l.killsWhileIngesting, 0)).toBeGreaterThanOrEqual(150);
    expect(lanes.reduce((s, l) => s + l.runsThatCommitted, 0)).toBeGreaterThanOrEqual(50);
    for (const l of lanes) expect(l.highest).toBeGreaterThan(1_000);
    // No time limit is asserted here: speed is for the benchmarks, and a busy machine is slow.
  }, 300_000);
});

async function lane(db: string): Promise<{ kills: number; killsWhileIngesting: number; runsThatCommitted: number; highest: number }> {
  let highest = 0;
  let killsWhileIngesting = 0;
  let runsThatCommitted = 0;
  let kills = 0;
  for (let round = 0; round < 100; round += 1) {
    // Every tenth kill lands while the child starts (creating, migrating, vacuuming the file);
    // the rest at a random moment of ingest.
    const early = round % 10 === 0;
    const run = await runAndKill(db, early ? Math.floor(Math.random() * 250) : Math.floor(Math.random() * 60), early);
    kills += 1;
    if (run.sawReady) killsWhileIngesting += 1;
    if (run.committed > 0) runsThatCommitted += 1;
    const check = openDatabase(db);
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      const tables = check.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'probe_samples'").pluck().get() as number;
      if (tables === 0) {
        expect(run.committed).toBe(-1);
        continue;
      }
      const stored = check
        .prepare("SELECT count(*) AS n, coalesce(max(at), ?) AS top FROM probe_samples WHERE server_id = 'crash'")
        .get(BASE) as { n: number; top: number };
      // Every sample ever reported committed is there, with no holes (sequence 1..top).
      const top = (stored.top - BASE) / SPACING_MS;
      expect(top).toBeGreaterThanOrEqual(Math.max(run.committed, highest));
      expect(stored.n).toBe(top);
      // Rollups commit with their samples: they always agree.
      expect(check.prepare("SELECT coalesce(sum(count), 0) FROM probe_rollup_minute WHERE server_id = 'crash'").pluck().get()).toBe(
        stored.n,
      );
      expect(check.prepare("SELECT coalesce(sum(count), 0) FROM probe_rollup_hour WHERE server_id = 'crash'").pluck().get()).toBe(stored.n);
      highest = top;
    } finally {
      check.close();
    }
  }
  return { kills, killsWhileIngesting, runsThatCommitted, highest };
}
