// Rollups are written when a minute closes (a grace period after its end), not on every flush:
// what is still open is read from raw rows, a late sample merges into its closed minute, and
// retention rolls up whatever waits before deleting raw rows.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import { CLOSE_GRACE_MS } from '../../src/services/store/samples-rollups';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

const second = (s: number, rttMs: number | null = 5): Sample => ({
  serverId: 'srv',
  kind: 'sip-udp',
  at: T0 + s * 1_000,
  rttMs,
  ...(rttMs === null ? {} : { code: 200 }),
});

describe('rollups written as minutes close', () => {
  it('closes a minute only after the grace period, keeps the view and charts whole, and merges late samples', () => {
    const store = openStore({ file: path.join(tempDir(), 'close.db') });
    let now = T0;
    const repo = createSamplesRepo(store.db, { now: () => now });
    const tableCount = () => store.db.prepare('SELECT coalesce(sum(count), 0) FROM probe_minute').pluck().get();
    const viewCount = () => store.db.prepare('SELECT coalesce(sum(count), 0) FROM probe_rollup_minute').pluck().get();

    // A flush a second for the first minute and the grace period after it, less one second.
    const graceS = CLOSE_GRACE_MS / 1_000;
    for (let s = 0; s < 60 + graceS; s += 1) repo.insertBatch([second(s, s === 7 ? null : 5 + (s % 3))]);
    expect(tableCount()).toBe(0);
    expect(viewCount()).toBe(60 + graceS);
    // The next flush passes the grace period: minute 0 is rolled up, minute 1 is still open.
    repo.insertBatch([second(60 + graceS)]);
    expect(store.db.prepare('SELECT bucket, count, lost FROM probe_minute').all()).toEqual([{ bucket: T0, count: 60, lost: 1 }]);
    expect(store.db.prepare('SELECT count FROM probe_hour').pluck().all()).toEqual([60]);
    expect(viewCount()).toBe(61 + graceS);

    // A late answer for minute 0 (its second 30 was never stored) merges into the closed minute and hour.
    store.db.prepare('DELETE FROM probe_raw WHERE at = ?').run(T0 + 30_000);
    store.db.prepare('UPDATE probe_minute SET count = count - 1').run();
    store.db.prepare('UPDATE probe_hour SET count = count - 1').run();
    expect(repo.insertBatch([second(30, 9)])).toBe(1);
    expect(store.db.prepare('SELECT count, max_ms FROM probe_minute WHERE bucket = ?').get(T0)).toEqual({ count: 60, max_ms: 9 });
    expect(store.db.prepare('SELECT count FROM probe_hour').pluck().get()).toBe(60);
    // A retried flush changes nothing.
    expect(repo.insertBatch([second(30, 9), second(61)])).toBe(0);

    // A day's chart reads minute rollups and adds the open stretch from raw rows.
    now = T0 + 2 * MINUTE;
    const chart = repo.series('srv', ['sip-udp'], now - 24 * 3_600_000, now);
    expect(chart.source).toBe('minute');
    const points = chart.points['sip-udp'] ?? [];
    expect(points.reduce((s, p) => s + p.count, 0)).toBe(61 + graceS);
    expect(points.map((p) => p.t)).toEqual([T0, T0 + MINUTE]);
    expect(points[0]?.lost).toBe(1);

    // Probing stopped: retention rolls up what waited before it deletes raw rows.
    now = T0 + 3 * 24 * 3_600_000;
    repo.prune(now);
    expect(store.db.prepare('SELECT count(*) FROM probe_raw').pluck().get()).toBe(0);
    expect(tableCount()).toBe(61 + graceS);
    expect(viewCount()).toBe(61 + graceS);
    store.close();
  });
});
