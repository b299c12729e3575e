// A database written by schema 19 (rollups one row each) converts in place to packed rollup
// blocks (migration 020): a copy is kept first, a conversion killed with SIGKILL inside a series'
// transaction loses and duplicates nothing, the next open finishes it, and every chart reads the
// same points as before. The one difference allowed is a mean's last bits (see chart-compare.ts):
// min, max, counts, losses, histograms and medians are equal to the bit.
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
import { v19Chart, writeV19Database } from '../helpers/v19-samples-fixture';

const tempDir = useTempDirs();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 4, 1, 3);
const TO = FROM + 40 * HOUR;
const SERVERS = 5;
const INTERVAL = 20_000;

function runChild(file: string, killAt: number): Promise<{ signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'test/helpers/rollup-convert-child.ts'), file, String(killAt)],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (_code, signal) => resolve({ signal, err }));
  });
}

/** What the rollup views say: per series and bucket, every column. */
const viewRows = (file: string, view: string) => {
  const db = openDatabase(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT server_id, kind, bucket, count, lost, flagged, min_ms, max_ms, round(sum_ms, 6) AS sum_ms FROM ${view} ORDER BY server_id, kind, bucket`,
      )
      .raw()
      .all();
  } finally {
    db.close();
  }
};

describe('conversion of a schema-19 database to packed rollup blocks', () => {
  it('survives a kill mid-series, finishes on the next open, and keeps every rollup and chart point', async () => {
    const file = path.join(tempDir(), 'switchyard.db');
    const stored = writeV19Database(
      file,
      realisticBatches({ servers: SERVERS, kinds: ['sip-udp', 'icmp'], intervalMs: INTERVAL, seed: 20 }, FROM, TO),
    );
    expect(stored).toBe((SERVERS * 2 * (TO - FROM)) / INTERVAL);
    const minutesBefore = viewRows(file, 'probe_rollup_minute');
    const hoursBefore = viewRows(file, 'probe_rollup_hour');
    expect(minutesBefore.length).toBeGreaterThan(SERVERS * 2 * 39 * 60);
    const ranges = [
      [TO - HOUR, TO, 'raw'],
      [TO - 24 * HOUR, TO, 'minute'],
      [TO - 38 * HOUR, TO - 14 * HOUR, 'minute'],
      [TO - 40 * HOUR, TO, 'minute'],
      [TO - 30 * 24 * HOUR, TO, 'hour'],
    ] as const;
    const servers = ['server-00000', 'server-00003'];
    const chartsBefore = servers.flatMap((id) =>
      ranges.map(([from, to]) => v19Chart(file, id, ['sip-udp', 'icmp'], from, to, DEFAULT_RETENTION, TO)),
    );
    expect(chartsBefore.map((c) => c.source)).toEqual([...ranges.map((r) => r[2]), ...ranges.map((r) => r[2])]);

    // Killed inside the fourth series' transaction: three series are packed, the fourth is not.
    const killed = await runChild(file, 4);
    expect(killed.signal, killed.err).toBe('SIGKILL');
    expect(existsSync(`${file}.before-v20.bak`)).toBe(true);
    const check = openDatabase(file);
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT count(*) FROM probe_series WHERE rollups_packed_before > 0').pluck().get()).toBe(3);
      expect(check.prepare('SELECT count(DISTINCT series) FROM probe_rollup_block').pluck().get()).toBe(3);
    } finally {
      check.close();
    }
    // Half converted, the views still hold every rollup once.
    expect(viewRows(file, 'probe_rollup_minute')).toEqual(minutesBefore);
    expect(viewRows(file, 'probe_rollup_hour')).toEqual(hoursBefore);

    // The app's own open finishes the conversion.
    const store = openStore({ file, now: () => TO });
    try {
      const db = store.db;
      expect(db.prepare('SELECT count(*) FROM probe_series WHERE rollups_packed_before = 0').pluck().get()).toBe(0);
      const count = (sql: string) => Number(db.prepare(sql).pluck().get());
      // Only the open hour is left as rows (at most 61 minutes and 2 hours a series); the rest is packed.
      expect(count('SELECT count(*) FROM probe_minute')).toBeLessThanOrEqual(SERVERS * 2 * 61);
      expect(count('SELECT count(*) FROM probe_hour')).toBeLessThanOrEqual(SERVERS * 2 * 2);
      expect(count('SELECT sum(n) FROM probe_rollup_block WHERE unit = 60000') + count('SELECT count(*) FROM probe_minute')).toBe(
        count('SELECT count(*) FROM (SELECT DISTINCT server_id, kind, bucket FROM probe_rollup_minute)') -
          count(
            'SELECT count(*) FROM (SELECT DISTINCT series, at / 60000 FROM probe_raw WHERE at >= (SELECT closed_before FROM probe_rollup_mark))',
          ),
      );
      const chartsAfter = servers.flatMap((id) => ranges.map(([from, to]) => store.samples.series(id, ['sip-udp', 'icmp'], from, to)));
      chartsAfter.forEach((chart, i) => expectSameChart(chart, chartsBefore[i] as (typeof chartsBefore)[number], `chart ${i}`));
    } finally {
      store.close();
    }
    expect(viewRows(file, 'probe_rollup_minute')).toEqual(minutesBefore);
    expect(viewRows(file, 'probe_rollup_hour')).toEqual(hoursBefore);
  }, 120_000);
});
