// Raw samples packed into 15-minute chunks behave as rows did: a late sample lands in its packed
// window once and only once, retention cuts exactly at its cutoff even inside a chunk, the newest
// samples and a vantage point's latest come back across the packed boundary, and forgetting a
// server takes its chunks too.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import { decodeChunk, encodeChunk } from '../../src/services/store/sample-chunk-codec';
import { CHUNK_MS } from '../../src/services/store/samples-chunks';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

const at = (s: number, rttMs: number | null = 1 + (s % 7) / 10, serverId = 'srv', source?: string): Sample => ({
  serverId,
  kind: 'sip-udp',
  at: T0 + s * 5_000,
  rttMs,
  ...(rttMs === null ? {} : { code: s % 50 === 0 ? 503 : 200 }),
  ...(source ? { source } : {}),
});

describe('packed raw samples', () => {
  it('packs closed windows and reads them back like rows: late, duplicate, recent, retention, forget', () => {
    const store = openStore({ file: path.join(tempDir(), 'chunks.db') });
    let now = T0 + 2 * HOUR;
    const repo = createSamplesRepo(store.db, { now: () => now, retention: { rawMs: HOUR } });
    const count = (sql: string) => Number(store.db.prepare(sql).pluck().get());
    // Two hours at 5 s, a minute per flush, skipping slot 100 (it arrives late below).
    for (let m = 0; m < 120; m += 1)
      repo.insertBatch(
        Array.from({ length: 12 }, (_, i) => m * 12 + i)
          .filter((s) => s !== 100)
          .map((s) => at(s, s % 97 === 0 ? null : undefined)),
      );
    const stored = 120 * 12 - 1;
    expect(count('SELECT count(*) FROM probe_samples')).toBe(stored);
    // All but the last open quarter hour or so is packed.
    expect(count('SELECT coalesce(sum(n), 0) FROM probe_chunk')).toBeGreaterThan(stored * 0.8);
    expect(count('SELECT count(*) FROM probe_raw')).toBeLessThan(12 * 17);

    // The late sample goes into its packed window and its closed minute; a retried flush changes nothing.
    expect(repo.insertBatch([at(100, 9.5)])).toBe(1);
    expect(repo.insertBatch([at(100, 9.5)])).toBe(0);
    expect(count('SELECT count(*) FROM probe_raw WHERE at = ' + String(T0 + 500_000))).toBe(0);
    expect(count('SELECT count(*) FROM probe_samples')).toBe(stored + 1);
    expect(count(`SELECT sum(count) FROM probe_rollup_minute WHERE bucket = ${T0 + 8 * 60_000}`)).toBe(12);
    now = T0 + 50 * 60_000; // within raw retention for the chart's choice of source
    const chart = repo.series('srv', ['sip-udp'], T0, T0 + HOUR, 2_000);
    expect(chart.source).toBe('raw');
    const late = T0 + 500_000;
    expect(chart.points['sip-udp']?.find((p) => p.t <= late && late < p.t + chart.stepMs)?.maxMs).toBe(9.5);

    // The newest samples, newest first, across the packed boundary.
    const recent = repo.recent('srv', 'sip-udp', 300);
    expect(recent).toHaveLength(300);
    expect(recent.map((s) => s.at)).toEqual(Array.from({ length: 300 }, (_, i) => T0 + (1_439 - i) * 5_000));

    // Retention an hour back cuts inside a chunk's window, exactly at the cutoff.
    now = T0 + HOUR + 7 * 60_000 + HOUR;
    const cutoff = now - HOUR;
    expect(cutoff % CHUNK_MS).not.toBe(0);
    const pruned = repo.prune(now);
    expect(pruned.raw).toBe(stored + 1 - (1_440 - (cutoff - T0) / 5_000));
    expect(count(`SELECT min(at) FROM probe_samples`)).toBe(cutoff);
    expect(count('SELECT count(*) FROM probe_samples')).toBe(1_440 - (cutoff - T0) / 5_000);

    store.close();
  });

  it('reads chunks an older version wrote (format 2) beside new ones, and re-packs one a late sample reaches', () => {
    const store = openStore({ file: path.join(tempDir(), 'formats.db') });
    const repo = createSamplesRepo(store.db, { now: () => T0 + 2 * HOUR });
    for (let m = 0; m < 60; m += 1)
      repo.insertBatch(
        Array.from({ length: 12 }, (_, i) => m * 12 + i)
          .filter((s) => s !== 30)
          .map((s) => at(s)),
      );
    const before = repo.recent('srv', 'sip-udp', 1_000);
    // Rewrite every stored chunk as the previous format wrote it.
    const chunks = store.db.prepare('SELECT series, start, data FROM probe_chunk').raw().all() as [number, number, Uint8Array][];
    expect(chunks.length).toBeGreaterThan(2);
    const put = store.db.prepare('UPDATE probe_chunk SET data = ? WHERE series = ? AND start = ?');
    for (const [series, start, data] of chunks) {
      expect(data[0]).toBe(3);
      const cols = decodeChunk(start, data);
      const samples = cols.at.map((t, i) => ({ at: t, rttUs: cols.rttUs[i] ?? null, code: cols.code[i] ?? null }));
      put.run(Buffer.from(encodeChunk(start, samples, 2)), series, start);
    }
    expect(repo.recent('srv', 'sip-udp', 1_000)).toEqual(before);
    // A late sample in the first window: that chunk is re-packed in today's format, with every sample.
    expect(repo.insertBatch([at(30, 4.2)])).toBe(1);
    const first = store.db.prepare('SELECT data FROM probe_chunk WHERE start = ?').pluck().get(T0) as Uint8Array;
    expect(first[0]).toBe(3);
    const after = repo.recent('srv', 'sip-udp', 1_000);
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((s) => s.at === T0 + 30 * 5_000)?.rttMs).toBe(4.2);
    store.close();
  });

  it("finds a vantage point's latest sample in a chunk, and forgetting a server drops its chunks", () => {
    const store = openStore({ file: path.join(tempDir(), 'vantage.db') });
    const repo = createSamplesRepo(store.db, { now: () => T0 + 2 * HOUR });
    // Probing from the vantage point stopped after 30 minutes; the local probes carry on, so the
    // vantage point's samples end up packed.
    for (let m = 0; m < 60; m += 1) {
      const batch = Array.from({ length: 12 }, (_, i) => at(m * 12 + i, undefined, 'target'));
      if (m < 30) batch.push(...Array.from({ length: 12 }, (_, i) => at(m * 12 + i, 4.2, 'target', 'lb-1')));
      repo.insertBatch(batch);
    }
    expect(
      store.db.prepare("SELECT count(*) FROM probe_raw r JOIN probe_series s ON s.id = r.series WHERE s.source = 'lb-1'").pluck().get(),
    ).toBe(0);
    expect(repo.latestBySource('lb-1')).toEqual([
      { serverId: 'target', kind: 'sip-udp', at: T0 + 359 * 5_000, rttMs: 4.2, code: 200, source: 'lb-1' },
    ]);
    repo.forgetServer('target');
    expect(store.db.prepare('SELECT count(*) FROM probe_chunk').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM probe_samples').pluck().get()).toBe(0);
    store.close();
  });
});
