// Closing a minute from the rollups kept in memory (open-rollups.ts) gives the same rows as
// reading the minute back: compared with a twin database whose every flush is preceded by a
// commit from another connection, which makes its writer read each minute back. Also: a rolled-
// back batch leaves nothing behind, rows another connection wrote are counted, and a store
// reopened over rows of an earlier run reads those minutes back.
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 1, 10, 40);
const SERVERS = ['a', 'b', 'c'];

type Store = ReturnType<typeof openStore>;
const rows = (store: Store) => ({
  minute: store.db.prepare('SELECT * FROM probe_rollup_minute ORDER BY server_id, kind, bucket').all(),
  hour: store.db.prepare('SELECT * FROM probe_rollup_hour ORDER BY server_id, kind, bucket').all(),
  mark: store.db.prepare('SELECT closed_before FROM probe_rollup_mark').pluck().get(),
});

/** A second connection's commit: the other store's writer can no longer trust what it kept. */
function nudge(file: string): void {
  const other = new Database(file);
  other.exec('CREATE TABLE IF NOT EXISTS nudge (n INTEGER); INSERT INTO nudge VALUES (1)');
  other.close();
}

const sampleArb = fc.record({
  server: fc.constantFrom(...SERVERS),
  kind: fc.constantFrom('sip-udp' as const, 'icmp' as const),
  second: fc.integer({ min: 0, max: 75 * 60 }),
  // Arrives up to 20 s after it was sent, as a lost probe's deadline or a slow fping line does.
  delay: fc.integer({ min: 0, max: 20 }),
  rtt: fc.option(fc.integer({ min: 1, max: 900_000 }), { freq: 8 }),
  code: fc.constantFrom(200, 200, 200, 503, 486),
});

describe('closing minutes from the rollups kept in memory', () => {
  it('writes the same minute and hour rows as reading each minute back', () => {
    fc.assert(
      fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 300 }), (drawn) => {
        const dir = tempDir();
        const kept = openStore({ file: path.join(dir, 'kept.db') });
        const readFile = path.join(dir, 'read.db');
        const read = openStore({ file: readFile });
        const repoKept = createSamplesRepo(kept.db);
        const repoRead = createSamplesRepo(read.db);
        // Flushed once a second, in the order the samples arrive.
        const flushes = new Map<number, Sample[]>();
        for (const d of drawn) {
          const sample: Sample = {
            serverId: d.server,
            kind: d.kind,
            at: T0 + d.second * 1_000 + 137,
            rttMs: d.rtt === null ? null : d.rtt / 1000,
            ...(d.rtt === null || d.kind === 'icmp' ? {} : { code: d.code }),
          };
          const arrives = d.second + d.delay;
          flushes.set(arrives, [...(flushes.get(arrives) ?? []), sample]);
        }
        for (const second of [...flushes.keys()].sort((x, y) => x - y)) {
          const batch = flushes.get(second) ?? [];
          repoKept.insertBatch(batch);
          nudge(readFile);
          repoRead.insertBatch(batch);
        }
        expect(rows(kept)).toEqual(rows(read));
        kept.close();
        read.close();
      }),
      { numRuns: 30 },
    );
  });

  it('keeps nothing of a rolled-back batch', () => {
    const dir = tempDir();
    const store = openStore({ file: path.join(dir, 'rollback.db') });
    const repo = createSamplesRepo(store.db);
    const at = (s: number) => T0 + s * 1_000;
    repo.insertBatch([{ serverId: 'a', kind: 'sip-udp', at: at(1), rttMs: 4, code: 200 }]);
    // The second sample is not one: the whole batch rolls back, the first one with it.
    const bad = { serverId: 'a', kind: 'nonsense', at: at(2), rttMs: 1 } as unknown as Sample;
    expect(() => repo.insertBatch([{ serverId: 'a', kind: 'sip-udp', at: at(3), rttMs: 9, code: 200 }, bad])).toThrow(TypeError);
    repo.insertBatch([{ serverId: 'a', kind: 'sip-udp', at: at(80), rttMs: 6, code: 200 }]);
    expect(store.db.prepare('SELECT bucket, count, sum_ms FROM probe_minute').all()).toEqual([{ bucket: T0, count: 1, sum_ms: 4 }]);
    store.close();
  });

  it('counts the rows another connection wrote into an open minute', () => {
    const dir = tempDir();
    const file = path.join(dir, 'other.db');
    const store = openStore({ file });
    const repo = createSamplesRepo(store.db);
    repo.insertBatch([{ serverId: 'a', kind: 'icmp', at: T0 + 1_000, rttMs: 2 }]);
    // A second writer (a script beside the console) adds a sample to the same open minute.
    const other = openStore({ file });
    createSamplesRepo(other.db).insertBatch([{ serverId: 'a', kind: 'icmp', at: T0 + 2_000, rttMs: 3 }]);
    other.close();
    repo.insertBatch([{ serverId: 'a', kind: 'icmp', at: T0 + 90_000, rttMs: 5 }]);
    expect(store.db.prepare('SELECT bucket, count, sum_ms FROM probe_minute').all()).toEqual([{ bucket: T0, count: 2, sum_ms: 5 }]);
    store.close();
  });

  it('reads back a minute that holds rows of an earlier run', () => {
    const dir = tempDir();
    const file = path.join(dir, 'restart.db');
    const first = openStore({ file });
    createSamplesRepo(first.db).insertBatch([{ serverId: 'a', kind: 'icmp', at: T0 + 1_000, rttMs: 2 }]);
    first.close();
    const again = openStore({ file });
    const repo = createSamplesRepo(again.db);
    repo.insertBatch([{ serverId: 'a', kind: 'icmp', at: T0 + 30_000, rttMs: 4 }]);
    repo.insertBatch([{ serverId: 'a', kind: 'icmp', at: T0 + MINUTE + 20_000, rttMs: 1 }]);
    expect(again.db.prepare('SELECT bucket, count, sum_ms FROM probe_minute').all()).toEqual([{ bucket: T0, count: 2, sum_ms: 6 }]);
    again.close();
  });
});
