// Snapshots that travel: saved with rollups only (no raw samples), the file is smaller, keeps
// every sample in its rollups (the open last minute included), draws the same minute and hour
// charts as the full snapshot, and compares with it. A snapshot of schema 16 (one row per
// sample) still opens, and its raw charts draw the points they drew before.
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import { isEmptyDiff } from '../../src/domain/snapshots/diff';
import { compareStores, snapshotSide } from '../../src/services/snapshots/compare';
import { openSnapshot } from '../../src/services/snapshots/open-snapshot';
import { saveSnapshot } from '../../src/services/snapshots/save-snapshot';
import { DEFAULT_RETENTION } from '../../src/services/store/samples-repo';
import { sealSnapshot } from '../../src/services/store/snapshot-file';
import { openStore } from '../../src/services/store/store';
import { realisticBatches } from '../bench/lib/realistic-samples';
import { expectSameChart } from '../helpers/chart-compare';
import { useTempDirs } from '../helpers/temp-dir';
import { v16Chart, writeV16Database } from '../helpers/v16-samples-fixture';

const tempDir = useTempDirs();
const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 3, 1);
const TO = FROM + 3 * HOUR;
const SHAPE = { servers: 4, kinds: ['sip-udp', 'icmp'] as const, intervalMs: 5_000, seed: 9 };

describe('rollups-only snapshots', () => {
  it('leaves raw samples out, keeps every sample in the rollups, and charts and diffs like the full one', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'switchyard.db');
    const store = openStore({ file: live, now: () => TO });
    let stored = 0;
    // Ten seconds of probes a flush: the same samples in fewer transactions (a quicker test).
    let pending: Sample[] = [];
    for (const batch of realisticBatches({ ...SHAPE, kinds: [...SHAPE.kinds] }, FROM, TO)) {
      pending = pending.concat(batch);
      if (pending.length >= 16) stored += store.samples.insertBatch(pending.splice(0));
    }
    stored += store.samples.insertBatch(pending);
    store.close();
    const save = (name: string, rollupsOnly: boolean) =>
      saveSnapshot({ source: live, dest: path.join(dir, name), note: name, appVersion: '9.9.9-test', takenAt: TO, rollupsOnly });
    const fullMeta = await save('full.snapshot', false);
    const slimMeta = await save('slim.snapshot', true);
    expect(fullMeta.counts.samples).toBe(stored);
    expect(slimMeta.counts.samples).toBe(0);
    expect(statSync(path.join(dir, 'slim.snapshot')).size).toBeLessThan(statSync(path.join(dir, 'full.snapshot')).size);

    const full = openSnapshot(path.join(dir, 'full.snapshot'), { now: () => TO });
    const slim = openSnapshot(path.join(dir, 'slim.snapshot'), { now: () => TO });
    try {
      const db = slim.store.db;
      expect(db.prepare('SELECT count(*) FROM probe_raw').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM probe_chunk').pluck().get()).toBe(0);
      // Nothing waited outside the rollups: every sample stored is counted in minutes and hours.
      expect(db.prepare('SELECT sum(count) FROM probe_rollup_minute').pluck().get()).toBe(stored);
      expect(db.prepare('SELECT sum(count) FROM probe_rollup_hour').pluck().get()).toBe(stored);
      // And all of it packed into blocks: no rollup row is left over.
      expect(db.prepare('SELECT (SELECT count(*) FROM probe_minute) + (SELECT count(*) FROM probe_hour)').pluck().get()).toBe(0);

      const server = 'server-00001';
      // The last hour: raw in the full snapshot, minutes in the slim one, the same samples counted.
      const hourFull = full.store.samples.series(server, ['sip-udp', 'icmp'], TO - HOUR, TO);
      const hourSlim = slim.store.samples.series(server, ['sip-udp', 'icmp'], TO - HOUR, TO);
      expect(hourFull.source).toBe('raw');
      expect(hourSlim.source).toBe('minute');
      const total = (r: typeof hourFull) => (r.points['sip-udp'] ?? []).reduce((s, p) => s + p.count, 0);
      expect(total(hourSlim)).toBe(total(hourFull));
      expect(total(hourSlim)).toBe(HOUR / SHAPE.intervalMs);
      // Longer charts read rollups in both: the very same points.
      // (The slim file's open hour is packed too, so a mean may differ in its last bits.)
      for (const range of [24 * HOUR, 30 * 24 * HOUR]) {
        expectSameChart(
          slim.store.samples.series(server, ['sip-udp', 'icmp'], TO - range, TO),
          full.store.samples.series(server, ['sip-udp', 'icmp'], TO - range, TO),
          `${range / HOUR} h`,
        );
      }
      const diff = compareStores(snapshotSide(full, 'full'), snapshotSide(slim, 'slim'));
      expect(isEmptyDiff({ servers: diff.servers, clusters: diff.clusters, zones: diff.zones, rtp: diff.rtp })).toBe(true);
    } finally {
      full.close();
      slim.close();
    }
  });

  it('opens a snapshot saved by schema 16 and draws its raw charts as before', () => {
    const dir = tempDir();
    const old = path.join(dir, 'v16.snapshot');
    writeV16Database(old, realisticBatches({ ...SHAPE, kinds: [...SHAPE.kinds] }, FROM, FROM + HOUR));
    sealSnapshot(old, { takenAt: FROM + HOUR, appVersion: '0.16.0', note: 'before chunks' });
    const before = v16Chart(old, 'server-00002', ['sip-udp', 'icmp'], FROM, FROM + HOUR, DEFAULT_RETENTION, FROM + HOUR);
    expect(before.source).toBe('raw');
    const opened = openSnapshot(old, { tempDir: dir, now: () => FROM + HOUR });
    try {
      expect(opened.migratedFrom).toBe(16);
      expect(opened.store.samples.series('server-00002', ['sip-udp', 'icmp'], FROM, FROM + HOUR)).toEqual(before);
    } finally {
      opened.close();
    }
  });
});
