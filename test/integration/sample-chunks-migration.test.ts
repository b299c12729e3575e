// A database written by schema 16 (one row per sample) converts in place to packed chunks: a
// copy is kept first, a conversion killed with SIGKILL inside a series' transaction loses and
// duplicates nothing, the next open finishes it, and every chart reads the same points as
// before (round trips were whole µs before and are whole µs after: no rounding at all).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/services/store/database';
import { DEFAULT_RETENTION } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { realisticBatches } from '../bench/lib/realistic-samples';
import { expectSameChart } from '../helpers/chart-compare';
import { useTempDirs } from '../helpers/temp-dir';
import { v16Chart, writeV16Database } from '../helpers/v16-samples-fixture';

const tempDir = useTempDirs();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 2, 1);
const TO = FROM + 4 * HOUR;
const SERVERS = 6;

function runChild(file: string, killAt: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/helpers/convert-child.ts'), file, String(killAt)], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code, signal) => resolve({ code, signal, err }));
  });
}

const allSamples = (file: string) => {
  const db = openDatabase(file, { readonly: true });
  try {
    return db.prepare('SELECT server_id, kind, at, rtt_us, code FROM probe_samples ORDER BY server_id, kind, at').raw().all();
  } finally {
    db.close();
  }
};

describe('conversion of a schema-16 database to packed chunks', () => {
  it('survives a kill mid-series, finishes on the next open, and keeps every sample and chart point', async () => {
    const file = path.join(tempDir(), 'switchyard.db');
    const stored = writeV16Database(
      file,
      realisticBatches({ servers: SERVERS, kinds: ['sip-udp', 'icmp'], intervalMs: 5_000, seed: 5 }, FROM, TO),
    );
    expect(stored).toBe((SERVERS * 2 * (4 * HOUR)) / 5_000);
    const before = allSamples(file);
    expect(before).toHaveLength(stored);
    const ranges = [
      [TO - HOUR, 'raw'],
      [TO - 24 * HOUR, 'minute'],
      [TO - 30 * 24 * HOUR, 'hour'],
    ] as const;
    const servers = ['server-00000', 'server-00003'];
    const chartsBefore = servers.flatMap((id) =>
      ranges.map(([from]) => v16Chart(file, id, ['sip-udp', 'icmp'], from, TO, DEFAULT_RETENTION, TO)),
    );
    expect(chartsBefore.map((c) => c.source)).toEqual(['raw', 'minute', 'hour', 'raw', 'minute', 'hour']);

    // Killed inside the fifth series' transaction: four series are packed, the fifth is not.
    const killed = await runChild(file, 5);
    expect(killed.signal, killed.err).toBe('SIGKILL');
    expect(existsSync(`${file}.before-v17.bak`)).toBe(true);
    const check = openDatabase(file);
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT count(*) FROM probe_series WHERE sealed_before > 0').pluck().get()).toBe(4);
      expect(check.prepare('SELECT count(DISTINCT series) FROM probe_chunk').pluck().get()).toBe(4);
    } finally {
      check.close();
    }
    expect(allSamples(file)).toEqual(before);

    // The app's own open finishes the conversion.
    const store = openStore({ file, now: () => TO });
    try {
      const db = store.db;
      expect(db.prepare('SELECT count(*) FROM probe_series WHERE sealed_before = 0').pluck().get()).toBe(0);
      const packed = Number(db.prepare('SELECT sum(n) FROM probe_chunk').pluck().get());
      const head = Number(db.prepare('SELECT count(*) FROM probe_raw').pluck().get());
      expect(packed + head).toBe(stored);
      // Only the last quarter hour or so is left as rows: the rest is packed.
      expect(head).toBeLessThan(stored / 8);
      const chartsAfter = servers.flatMap((id) => ranges.map(([from]) => store.samples.series(id, ['sip-udp', 'icmp'], from, TO)));
      // The same points; the rollups are packed too at this open, so means may differ in their last bits.
      chartsAfter.forEach((chart, i) => expectSameChart(chart, chartsBefore[i] as (typeof chartsBefore)[number], `chart ${i}`));
      expect(store.samples.recent('server-00003', 'icmp', 5)).toHaveLength(5);
    } finally {
      store.close();
    }
    expect(allSamples(file)).toEqual(before);
  }, 60_000);
});
