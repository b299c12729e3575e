// Probe history in SQLite: batches with their rollups, chart queries, retention and a file that
// gives space back.
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bucketOf } from '../../src/domain/monitoring/histogram';
import type { Sample } from '../../src/domain/monitoring/sample';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

function fiveSecondSamples(serverId: string, from: number, to: number, rtt: (i: number) => number | null, stepMs = 5_000): Sample[] {
  const out: Sample[] = [];
  for (let at = from, i = 0; at < to; at += stepMs, i += 1) {
    const rttMs = rtt(i);
    out.push({ serverId, kind: 'sip-udp', at, rttMs, ...(rttMs === null ? {} : { code: i % 50 === 0 ? 503 : 200 }) });
  }
  return out;
}

const lossEvery100 = (i: number) => (i % 100 === 0 ? null : 5 + ((i * 7919) % 40));

describe('samples repository', () => {
  it('switches the file to incremental vacuum and stores a batch with both rollups in one transaction', () => {
    const store = openStore({ file: path.join(tempDir(), 'm.db') });
    let now = T0 + HOUR;
    const repo = createSamplesRepo(store.db, { now: () => now });
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(2);
    const batch = fiveSecondSamples('s1', T0, T0 + HOUR, (i) => (i % 10 === 9 ? null : 10 + (i % 7)));
    expect(repo.insertBatch(batch)).toBe(720);
    expect(repo.insertBatch(batch.slice(0, 10))).toBe(0); // a retried flush changes nothing
    const minute = store.db
      .prepare(
        'SELECT sum(count) AS n, sum(lost) AS lost, sum(flagged) AS flagged, min(min_ms) AS lo, max(max_ms) AS hi FROM probe_rollup_minute',
      )
      .get();
    const hour = store.db.prepare('SELECT count, lost, flagged, min_ms AS lo, max_ms AS hi FROM probe_rollup_hour').all();
    expect(minute).toEqual({ n: 720, lost: 72, flagged: 15, lo: 10, hi: 16 });
    expect(hour).toEqual([{ count: 720, lost: 72, flagged: 15, lo: 10, hi: 16 }]);

    // A batch that fails part way leaves nothing behind, raw or rolled up.
    const bad = [
      { serverId: 's2', kind: 'icmp', at: T0, rttMs: 1 },
      { serverId: 's2', kind: 'nonsense', at: T0, rttMs: 1 },
    ] as unknown as Sample[];
    expect(() => repo.insertBatch(bad)).toThrow();
    expect(store.db.prepare("SELECT count(*) FROM probe_samples WHERE server_id = 's2'").pluck().get()).toBe(0);
    expect(store.db.prepare("SELECT count(*) FROM probe_rollup_minute WHERE server_id = 's2'").pluck().get()).toBe(0);

    expect(repo.recent('s1', 'sip-udp', 3).map((s) => s.at)).toEqual([T0 + HOUR - 5_000, T0 + HOUR - 10_000, T0 + HOUR - 15_000]);
    now = T0 + 2 * HOUR;
    expect(repo.prune().raw).toBe(0);
    store.close();
  });

  it('reads raw samples for short recent ranges and rollups for long ones, never more than ~2,000 points', () => {
    const store = openStore({ file: path.join(tempDir(), 'chart.db') });
    // A month of samples every 30 s: the same shapes as 5 s data at a sixth of the rows.
    const STEP = 30_000;
    const end = T0 + 31 * DAY;
    const repo = createSamplesRepo(store.db, { now: () => end, retention: { rawMs: 31 * DAY, minuteMs: 31 * DAY } });
    for (let day = 0; day < 31; day += 1) {
      repo.insertBatch(fiveSecondSamples('s1', T0 + day * DAY, T0 + (day + 1) * DAY, lossEvery100, STEP));
    }
    const fiveMin = repo.series('s1', ['sip-udp'], end - 5 * 60_000, end);
    expect(fiveMin.source).toBe('raw');
    expect(fiveMin.points['sip-udp']).toHaveLength(10);
    const p = fiveMin.points['sip-udp']?.[1];
    expect(p?.count).toBe(1);
    expect(p?.medianMs).toBe(p?.minMs);
    expect(p?.hist).toEqual([[bucketOf(p?.minMs ?? 0), 1]]);

    const cases: [number, string][] = [
      [HOUR, 'raw'],
      [DAY, 'minute'],
      [7 * DAY, 'minute'],
      [30 * DAY, 'hour'],
    ];
    for (const [range, source] of cases) {
      const started = performance.now();
      const result = repo.series('s1', ['sip-udp', 'icmp'], end - range, end);
      const ms = performance.now() - started;
      const points = result.points['sip-udp'] ?? [];
      expect(result.source, `range ${range}`).toBe(source);
      expect(points.length).toBeLessThanOrEqual(2_000);
      expect(points.length).toBeGreaterThanOrEqual(Math.min(120, range / STEP));
      expect(result.points.icmp).toEqual([]);
      const total = points.reduce((s, q) => s + q.count, 0);
      expect(total).toBe(range / STEP);
      const expectedLost = Array.from({ length: 31 }, (_, d) =>
        fiveSecondSamples('s1', T0 + d * DAY, T0 + (d + 1) * DAY, lossEvery100, STEP),
      )
        .flat()
        .filter((x) => x.at >= end - range && x.rttMs === null).length;
      expect(points.reduce((s, q) => s + q.lost, 0)).toBe(expectedLost);
      for (const q of points) {
        expect(q.minMs ?? 0).toBeLessThanOrEqual(q.medianMs ?? 0);
        expect(q.medianMs ?? 0).toBeLessThanOrEqual(q.maxMs ?? 0);
        expect(q.hist.reduce((s, [, c]) => s + c, 0)).toBe(q.count - q.lost);
      }
      // The 30-day chart reads 720 hour rows: well inside a frame.
      if (range === 30 * DAY) expect(ms).toBeLessThan(200);
    }
    // Points sit on steps aligned to the epoch, so a sliding live window keeps them in place.
    const a = repo.series('s1', ['sip-udp'], end - DAY, end).points['sip-udp'] ?? [];
    const b = repo.series('s1', ['sip-udp'], end - DAY + 17_000, end + 17_000).points['sip-udp'] ?? [];
    expect(b[1]?.t).toBe(a[1]?.t);
    store.close();
  });

  it('keeps the file from growing without bound: retention plus incremental vacuum', () => {
    const file = path.join(tempDir(), 'grow.db');
    const store = openStore({ file });
    let now = T0;
    const repo = createSamplesRepo(store.db, { now: () => now, retention: { rawMs: 6 * HOUR, minuteMs: 12 * HOUR, hourMs: DAY } });
    const size = () => {
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      return statSync(file).size;
    };
    const empty = size();
    const sizes: number[] = [];
    // Five simulated days of 5 servers probed every 15 s, pruned every simulated hour.
    for (let hour = 0; hour < 120; hour += 1) {
      const from = T0 + hour * HOUR;
      const batch: Sample[] = [];
      for (let s = 0; s < 5; s += 1) batch.push(...fiveSecondSamples(`srv-${s}`, from, from + HOUR, (i) => 1 + (i % 30), 15_000));
      repo.insertBatch(batch);
      now = from + HOUR;
      repo.prune(now);
      if (hour % 12 === 11) sizes.push(size());
    }
    // Once a day has passed everything older is pruned: the file stays flat (within 10 %).
    const settled = sizes.slice(3);
    expect(Math.max(...settled)).toBeLessThanOrEqual(Math.min(...settled) * 1.1);
    // Dropping everything gives the space back to the file system.
    now += 10 * 366 * DAY;
    const pruned = repo.prune(now);
    expect(pruned.freedPages).toBeGreaterThan(0);
    expect(size()).toBeLessThanOrEqual(empty * 1.5);
    // The settled file holds real data beyond the schema's own pages: 6 h of raw samples and 12 h
    // of minute rollups for 5 servers (7,200 samples, 3,600 minute rows), packed at about 2 and 6
    // bytes each plus the open stretch's rows, need well over 30 KB.
    expect(Math.min(...settled) - empty).toBeGreaterThan(30_000);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  it('forgets a server entirely', () => {
    const store = openStore({ file: path.join(tempDir(), 'f.db') });
    const repo = createSamplesRepo(store.db, { now: () => T0 + HOUR });
    repo.insertBatch(fiveSecondSamples('gone', T0, T0 + HOUR, () => 3));
    repo.forgetServer('gone');
    for (const t of ['probe_samples', 'probe_rollup_minute', 'probe_rollup_hour', 'probe_series']) {
      expect(store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0);
    }
    store.close();
  });
});
