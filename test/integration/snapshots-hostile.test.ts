// The hostile-file corpus (test/fixtures/snapshots/hostile-corpus.ts) against the real SQLite:
// every file refused with a message that says what it is, in bounded time, with the host's main
// thread free the whole while and not a byte of the folder changed. Before the fix, the first
// file alone pinned the main thread for good (a recursive view read as `snapshot_meta`).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { checkSnapshot, openSnapshotChecked, readSnapshotMeta } from '../../src/services/snapshots/open-snapshot';
import { checkSnapshotFile } from '../../src/services/store/snapshot-check';
import { buildHostileCorpus, type HostileFile } from '../fixtures/snapshots/hostile-corpus';

/** A refusal takes milliseconds; this bound holds on a loaded machine and is far below "hangs". */
const BOUND_MS = 8_000;

let dir = '';
let corpus: HostileFile[] = [];
const timings: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-hostile-'));
  corpus = await buildHostileCorpus(dir);
});
afterAll(() => {
  // The figures the report quotes: each file's refusal time through the host's path.
  if (timings.length > 0) process.stdout.write(`hostile snapshot refusals (ms):\n${timings.join('\n')}\n`);
  rmSync(dir, { recursive: true, force: true });
});

const folderState = () =>
  readdirSync(dir)
    .sort()
    .map(
      (name) =>
        `${name}:${createHash('sha256')
          .update(readFileSync(path.join(dir, name)))
          .digest('hex')}`,
    );

async function refusedWith(work: () => Promise<unknown>): Promise<DomainError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('hostile snapshot files', () => {
  it('builds a corpus covering what the report and the brief name', () => {
    expect(corpus.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'recursive-views-8k.snapshot',
        'trigger.snapshot',
        'huge-page-count.snapshot',
        'truncated.snapshot',
        'wal-alone.snapshot',
        'zip.snapshot',
        'newer-schema.snapshot',
      ]),
    );
    expect(statSync(path.join(dir, 'recursive-views-8k.snapshot')).size).toBeLessThanOrEqual(8192);
  });

  it('opens the genuine snapshot the corpus is made from (the check refuses what it should, not everything)', async () => {
    const opened = await openSnapshotChecked(path.join(dir, 'genuine.snapshot'));
    try {
      expect(opened.meta.note).toBe('genuine');
      expect(opened.store.zones.list().map((z) => z.name)).toEqual(['EU']);
    } finally {
      opened.close();
    }
  });

  it('refuses every file, each in bounded time, with the main thread free and the folder unchanged', async () => {
    const before = folderState();
    // The event loop keeps turning while the worker reads: the longest gap between ticks is measured.
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    try {
      for (const file of corpus) {
        const started = performance.now();
        const error = await refusedWith(() => openSnapshotChecked(path.join(dir, file.name)));
        const ms = performance.now() - started;
        timings.push(`  ${file.name.padEnd(30)} ${ms.toFixed(0).padStart(5)}  ${file.why}`);
        expect(error.message, file.name).toMatch(file.refusal);
        expect(error.field, file.name).toBe('file');
        expect(ms, file.name).toBeLessThan(BOUND_MS);
      }
    } finally {
      clearInterval(ticker);
    }
    // Starting a worker costs the main thread a little; SQLite on the file costs it nothing.
    expect(longestGap).toBeLessThan(1_000);
    expect(folderState()).toEqual(before);
  });

  it('refuses them the same way in the listing check and in the one-shot (blocking) check', async () => {
    for (const file of corpus) {
      const target = path.join(dir, file.name);
      await expect(checkSnapshot(target, { quickCheck: false }), file.name).rejects.toThrow(DomainError);
      expect(() => readSnapshotMeta(target), file.name).toThrow(DomainError);
    }
  });

  it('abandons a check that passes its deadline, refuses the file, and checks the next one afresh', async () => {
    // 30 MB in one row: reading every page takes the worker far longer than the 1 ms allowed.
    const big = path.join(dir, 'big.snapshot');
    copyFileSync(path.join(dir, 'genuine.snapshot'), big);
    const db = new Database(big);
    db.prepare("UPDATE zones SET description = printf('%.*c', 30000000, 'x')").run();
    db.close();
    const started = performance.now();
    const probe = await checkSnapshotFile(big, { quickCheck: true, deadlineMs: 1 });
    expect(probe).toEqual({ kind: 'timeout', ms: 1 });
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    // The abandoned worker is replaced: with its normal deadline the same file passes.
    expect((await checkSnapshot(big, { quickCheck: true })).note).toBe('genuine');
    rmSync(big);
  });
});
