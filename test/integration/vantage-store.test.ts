import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { MIGRATIONS } from '../../src/services/store/migrations/index';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

// Migration 014 gives every series a source. History written before it stays the workstation's
// ('local'), keeps its series ids (the raw and rollup rows point at them), and a forgotten id is
// still never handed out again; the lookups stay one index seek.

const tempDir = useTempDirs();
const T = Date.UTC(2026, 10, 25, 12);

describe('samples with a source (migration 014)', () => {
  it('keeps old history as local with its ids and sequence, and adds the source to the views', () => {
    const file = path.join(tempDir(), 'upgrade.db');
    const db = openDatabase(file);
    migrate(
      db,
      file,
      () => 1,
      MIGRATIONS.filter((m) => m.version < 14),
    );
    const add = db.prepare('INSERT INTO probe_series (server_id, kind) VALUES (?, ?) RETURNING id').pluck();
    const kept = add.get('srv-old', 4) as number;
    const dropped = add.get('srv-gone', 4) as number;
    db.prepare('DELETE FROM probe_series WHERE id = ?').run(dropped);
    db.prepare('INSERT INTO probe_raw (series, at, rtt_us, code) VALUES (?, ?, ?, NULL)').run(kept, T, 1_500);
    db.close();

    const store = openStore({ file, now: () => T + 60_000 });
    expect(store.db.prepare('SELECT id, server_id, kind, source FROM probe_series').all()).toEqual([
      { id: kept, server_id: 'srv-old', kind: 4, source: 'local' },
    ]);
    expect(store.db.prepare('SELECT server_id, rtt_us, source FROM probe_samples').all()).toEqual([
      { server_id: 'srv-old', rtt_us: 1_500, source: 'local' },
    ]);
    expect(store.samples.series('srv-old', ['icmp'], T - 60_000, T + 60_000).points.icmp?.[0]?.medianMs).toBe(1.5);

    // The same target measured from a vantage server is its own series, with an id never used before.
    store.samples.insertBatch([
      { serverId: 'srv-old', kind: 'icmp', at: T + 1_000, rttMs: 9, source: 'lb-1' },
      { serverId: 'srv-old', kind: 'icmp', at: T + 1_000, rttMs: 2 },
    ]);
    const ids = store.db.prepare("SELECT id FROM probe_series WHERE source = 'lb-1'").pluck().all() as number[];
    expect(ids).toHaveLength(1);
    expect(ids[0]).toBeGreaterThan(dropped);
    expect(store.samples.series('srv-old', ['icmp'], T, T + 60_000, 100, 'lb-1').points.icmp?.map((p) => p.medianMs)).toEqual([9]);
    expect(store.samples.series('srv-old', ['icmp'], T, T + 60_000).points.icmp?.map((p) => p.medianMs)).toEqual([1.5, 2]);
    expect(store.samples.sourcesOf('srv-old')).toEqual(['lb-1', 'local']);
    expect(store.db.prepare("SELECT sum(count) FROM probe_rollup_minute WHERE source = 'lb-1'").pluck().get()).toBe(1);

    // Finding a series by (server, kind, source) is one seek on the unique index, not a scan.
    const plan = store.db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM probe_series WHERE server_id = 'x' AND kind = 4 AND source = 'local'")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_probe_series_1/);

    // A server that leaves takes what it measured as a vantage point too.
    store.samples.forgetServer('lb-1');
    expect(store.samples.sourcesOf('srv-old')).toEqual(['local']);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });
});
