// A chart keeps its decoded rollup blocks for the next read (rollup-block-cache.ts). A kept block
// must never be served once the stored one changed, whoever changed it: a late sample re-packing it
// through the same store, another connection, another process rewriting or dropping it, retention.
// And two databases holding the same series ids and block keys never see each other's blocks.
// A block is kept from its second read on, so each test reads a chart twice before changing it.
// Every chart is also compared with one read by a fresh connection, which has nothing cached.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/monitoring/sample';
import { openDatabase } from '../../src/services/store/database';
import { createRollupBlocks, HOUR as BLOCK_HOUR, MINUTE as BLOCK_MINUTE } from '../../src/services/store/rollup-blocks';
import { createSamplesRepo, type SamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
/** Three hours of one probe a minute: hours 0 and 1 end up packed, hour 2 is still rows. */
const END = T0 + 3 * HOUR;
const FROM = END - 30 * DAY;

const sample = (serverId: string, at: number, rttMs: number): Sample => ({ serverId, kind: 'sip-udp', at, rttMs, code: 200 });

/** Three hours of samples for each server, in ten-minute flushes, with RTTs from `rttOf`. */
function fill(repo: SamplesRepo, servers: readonly string[], rttOf: (server: string, minute: number) => number): void {
  for (let m = 0; m < 180; m += 10) {
    const batch: Sample[] = [];
    for (const server of servers) for (let i = m; i < m + 10; i += 1) batch.push(sample(server, T0 + i * MINUTE, rttOf(server, i)));
    repo.insertBatch(batch);
  }
}

const chart = (repo: SamplesRepo, server: string, from = FROM, to = END) =>
  repo.series(server, ['sip-udp'], from, to).points['sip-udp'] ?? [];

/** The same chart from a new connection: nothing decoded before, nothing kept. */
function freshChart(file: string, server: string, now: number, from = FROM, to = END) {
  const db = openDatabase(file, { readonly: true });
  try {
    return chart(createSamplesRepo(db, { now: () => now }), server, from, to);
  } finally {
    db.close();
  }
}

const hourBlock = (file: string, server: string): Buffer | undefined => {
  const db = openDatabase(file, { readonly: true });
  try {
    return db
      .prepare(`SELECT b.data FROM probe_rollup_block b JOIN probe_series s ON s.id = b.series WHERE s.server_id = ? AND b.unit = ${HOUR}`)
      .pluck()
      .get(server) as Buffer | undefined;
  } finally {
    db.close();
  }
};

/** Runs SQL on the file from another process, through better-sqlite3 alone. */
function inAnotherProcess(file: string, sql: string, ...params: unknown[]): void {
  const script = `const Database = require('better-sqlite3');
const [file, sql, params] = process.argv.slice(1);
const db = new Database(file);
db.pragma('busy_timeout = 5000');
const info = db.prepare(sql).run(...JSON.parse(params));
db.close();
if (info.changes === 0) { console.error('nothing changed'); process.exit(3); }`;
  const child = spawnSync(process.execPath, ['-e', script, file, sql, JSON.stringify(params)], { cwd: root, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
}

describe('decoded rollup blocks kept between chart reads', () => {
  it('sees a block re-packed by a late sample through the same store', () => {
    const file = path.join(tempDir(), 'repack.db');
    const store = openStore({ file, now: () => END });
    const repo = store.samples;
    fill(repo, ['srv'], (_, m) => 5 + (m % 3));
    const packed = hourBlock(file, 'srv');
    expect(packed).toBeDefined();

    const before = chart(repo, 'srv');
    expect(before.map((p) => [p.t, p.count])).toEqual([
      [T0, 60],
      [T0 + HOUR, 60],
      [T0 + 2 * HOUR, 60],
    ]);
    // Read again: the same points, and the block is kept; a third read is served from it.
    expect(chart(repo, 'srv')).toEqual(before);
    expect(chart(repo, 'srv')).toEqual(before);

    // A late answer for hour 0, slower than any other: merged into the packed block.
    expect(repo.insertBatch([sample('srv', T0 + 30 * MINUTE + 30_000, 50)])).toBe(1);
    expect(hourBlock(file, 'srv')?.equals(packed as Buffer)).toBe(false);
    const after = chart(repo, 'srv');
    expect(after[0]).toMatchObject({ t: T0, count: 61, maxMs: 50 });
    expect(after.slice(1)).toEqual(before.slice(1));
    expect(after).toEqual(freshChart(file, 'srv', END));
    store.close();
  });

  it('sees blocks rewritten by another connection and rewritten or dropped by another process', () => {
    const file = path.join(tempDir(), 'shared.db');
    const reader = openStore({ file, now: () => END });
    fill(reader.samples, ['srv', 'other'], (server, m) => (server === 'srv' ? 5 : 40) + (m % 3));
    const first = chart(reader.samples, 'srv');
    expect(first[0]?.maxMs).toBe(7);
    expect(chart(reader.samples, 'srv')).toEqual(first);

    // Another connection to the file (as the CLI beside the app) merges a late sample.
    const writer = openStore({ file, now: () => END });
    writer.samples.insertBatch([sample('srv', T0 + 30 * MINUTE + 30_000, 50)]);
    writer.close();
    const second = chart(reader.samples, 'srv');
    expect(second[0]).toMatchObject({ count: 61, maxMs: 50 });
    expect(second).toEqual(freshChart(file, 'srv', END));
    expect(chart(reader.samples, 'srv')).toEqual(second);

    // Another process copies the other server's hour block over this one's.
    inAnotherProcess(
      file,
      `UPDATE probe_rollup_block SET data = (SELECT b.data FROM probe_rollup_block b JOIN probe_series s ON s.id = b.series
         WHERE s.server_id = 'other' AND b.unit = ?) WHERE unit = ? AND series = (SELECT id FROM probe_series WHERE server_id = 'srv')`,
      HOUR,
      HOUR,
    );
    const third = chart(reader.samples, 'srv');
    expect(third.slice(0, 2)).toEqual(chart(reader.samples, 'other').slice(0, 2));
    expect(third[0]?.minMs).toBe(40);
    expect(third).toEqual(freshChart(file, 'srv', END));
    expect(chart(reader.samples, 'srv')).toEqual(third);

    // And then drops it: the packed hours are gone from the chart, the open hour stays.
    inAnotherProcess(
      file,
      'DELETE FROM probe_rollup_block WHERE unit = ? AND series = (SELECT id FROM probe_series WHERE server_id = ?)',
      HOUR,
      'srv',
    );
    const fourth = chart(reader.samples, 'srv');
    expect(fourth.map((p) => p.t)).toEqual([T0 + 2 * HOUR]);
    expect(fourth).toEqual(freshChart(file, 'srv', END));
    reader.close();
  });

  it('sees a block dropped by retention', () => {
    const file = path.join(tempDir(), 'retention.db');
    let now = END;
    const store = openStore({ file, now: () => now, retention: { rawMs: DAY, minuteMs: DAY, hourMs: 40 * DAY } });
    fill(store.samples, ['srv'], () => 5);
    // Long after: the same three hours, read from the hour block.
    now = T0 + 100 * DAY;
    const kept = chart(store.samples, 'srv', T0, END);
    expect(kept.map((p) => p.count)).toEqual([60, 60, 60]);
    expect(chart(store.samples, 'srv', T0, END)).toEqual(kept);
    store.samples.prune(now);
    expect(hourBlock(file, 'srv')).toBeUndefined();
    expect(chart(store.samples, 'srv', T0, END)).toEqual([]);
    store.close();
  });

  it('gives a chart the same rows as a plain range read, in ms, whether kept or decoded afresh', () => {
    const file = path.join(tempDir(), 'rows.db');
    const store = openStore({ file, now: () => END });
    fill(store.samples, ['srv'], (_, m) => 5 + (m % 7) + (m % 11 === 0 ? 30 : 0));
    const series = store.db.prepare("SELECT id FROM probe_series WHERE server_id = 'srv'").pluck().get() as number;
    const kept = createRollupBlocks(store.db);
    const none = createRollupBlocks(store.db, { cacheBytes: 0 });
    for (const [unit, from, to] of [
      [BLOCK_HOUR, FROM, END],
      [BLOCK_HOUR, T0 + HOUR, END],
      [BLOCK_MINUTE, T0, END],
      [BLOCK_MINUTE, T0 + 17 * MINUTE, T0 + 95 * MINUTE],
    ] as const) {
      const rows = none.range(series, unit, from, to);
      expect(rows.length).toBeGreaterThan(0);
      const inMs = rows.map((r) => [
        r.bucket,
        r.count,
        r.lost,
        r.flagged,
        r.minUs === null ? null : r.minUs / 1000,
        r.maxUs === null ? null : r.maxUs / 1000,
        r.sumUs / 1000,
        r.hist,
      ]);
      for (let read = 0; read < 3; read += 1) {
        expect(kept.chartRange(series, unit, from, to)).toEqual(inMs);
        expect(kept.range(series, unit, from, to)).toEqual(rows);
      }
    }
    store.close();
  });

  it('never shares blocks between two databases with the same series and blocks', () => {
    const dir = tempDir();
    const a = openStore({ file: path.join(dir, 'a.db'), now: () => END });
    const b = openStore({ file: path.join(dir, 'b.db'), now: () => END });
    fill(a.samples, ['srv'], () => 5);
    fill(b.samples, ['srv'], () => 50);
    const seriesOf = (db: typeof a.db) => db.prepare("SELECT id FROM probe_series WHERE server_id = 'srv'").pluck().get();
    expect(seriesOf(a.db)).toBe(seriesOf(b.db));
    for (let i = 0; i < 3; i += 1) {
      expect(chart(a.samples, 'srv')[0]?.medianMs).toBeCloseTo(5, 0);
      expect(chart(b.samples, 'srv')[0]?.medianMs).toBeCloseTo(50, -1);
    }
    expect(chart(a.samples, 'srv')).toEqual(freshChart(path.join(dir, 'a.db'), 'srv', END));
    expect(chart(b.samples, 'srv')).toEqual(freshChart(path.join(dir, 'b.db'), 'srv', END));
    a.close();
    b.close();
  });
});
