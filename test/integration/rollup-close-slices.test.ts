// A minute's close written in slices of series, each its own transaction (samples-rollups.ts):
// charts read the same points before, during and after it, late samples for series on either side
// of the slice boundary included; the rollup rows it leaves equal those of a close in one piece;
// and a process killed between slices leaves a file the next start finishes the close on, with
// rollups equal to the raw rows.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeKind, Sample } from '../../src/domain/monitoring/sample';
import { SampleWriter } from '../../src/services/probes/sample-writer';
import { openDatabase } from '../../src/services/store/database';
import type { Db } from '../../src/services/store/database';
import { createSamplesRepo, type SamplesRepo } from '../../src/services/store/samples-repo';
import { openStore } from '../../src/services/store/store';
import { steppedClock } from '../helpers/stepped-clock';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const T0 = Date.UTC(2026, 0, 1, 10, 59);
const SERVERS = 40;
const KINDS: readonly ProbeKind[] = ['sip-udp', 'icmp'];
const NOW = T0 + 10 * 60_000;

/** One second of probes: an eighth of the fleet, both kinds, with losses and 503s. */
function second(s: number): Sample[] {
  const out: Sample[] = [];
  for (let i = s % 8; i < SERVERS; i += 8) {
    const n = s * SERVERS + i;
    const at = T0 + s * 1_000 + i;
    out.push(
      n % 13 === 0
        ? { serverId: `s${i}`, kind: 'sip-udp', at, rttMs: null }
        : { serverId: `s${i}`, kind: 'sip-udp', at, rttMs: 0.3 + (n % 97) / 7, code: n % 11 === 0 ? 503 : 200 },
    );
    out.push({ serverId: `s${i}`, kind: 'icmp', at, rttMs: n % 17 === 0 ? null : 0.1 + (n % 41) / 3 });
  }
  return out;
}

/** Floats to 9 significant digits: sums added in another order may differ in the last bits. */
function rounded(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v)),
  );
}

/** What charts show: a 2-hour chart (minute rollups, 3-minute steps) and a 3-day one (hours), every server. */
function charts(repo: SamplesRepo): unknown {
  const out: unknown[] = [];
  for (let i = 0; i < SERVERS; i += 1) {
    out.push(repo.series(`s${i}`, KINDS, NOW - 2 * 3_600_000, NOW, 60));
    out.push(repo.series(`s${i}`, KINDS, NOW - 3 * 86_400_000, NOW, 60));
  }
  return rounded(out);
}

/** What the SQL views show. */
function views(db: Db): unknown {
  return rounded(
    ['probe_rollup_minute', 'probe_rollup_hour'].map((v) =>
      db
        .prepare(`SELECT server_id, kind, bucket, count, lost, flagged, min_ms, max_ms, sum_ms FROM ${v} ORDER BY server_id, kind, bucket`)
        .all(),
    ),
  );
}

function rollupRows(db: Db): unknown {
  return rounded(
    ['probe_minute', 'probe_hour'].map((t) =>
      db
        .prepare(
          `SELECT s.server_id, s.kind, r.bucket, r.count, r.lost, r.flagged, r.min_ms, r.max_ms, r.sum_ms, hex(r.hist) AS hist
           FROM ${t} r JOIN probe_series s ON s.id = r.series ORDER BY s.server_id, s.kind, r.bucket`,
        )
        .all(),
    ),
  );
}

function markState(db: Db): { closed_before: number; closing_to: number | null; closing_through: number } {
  return db.prepare('SELECT closed_before, closing_to, closing_through FROM probe_rollup_mark').get() as {
    closed_before: number;
    closing_to: number | null;
    closing_through: number;
  };
}

describe('a minute close in slices', () => {
  it('shows the same chart points before, during and after, late samples on both sides of the slice included', () => {
    // Sliced: batches with no close, then close steps of 7 series. Reference: the same samples,
    // every batch closing in one piece as before.
    const sliced = openStore({ file: path.join(tempDir(), 'sliced.db') });
    const whole = openStore({ file: path.join(tempDir(), 'whole.db') });
    const a = createSamplesRepo(sliced.db, { now: () => NOW });
    const b = createSamplesRepo(whole.db, { now: () => NOW });
    const both = (samples: Sample[], budget: number) => {
      a.insertBatch(samples, budget);
      b.insertBatch(samples);
    };
    // 80 s closed in one piece on both (the watermark reaches T0 + 60 s), then no close in `a`'s batches.
    for (let s = 0; s < 80; s += 1) both(second(s), Number.POSITIVE_INFINITY);
    for (let s = 80; s < 140; s += 1) both(second(s), 0);
    expect(markState(sliced.db)).toEqual({ closed_before: T0 + 60_000, closing_to: null, closing_through: 0 });
    expect(charts(a)).toEqual(charts(b));
    let steps = 0;
    let lateLow = false;
    let lateHigh = false;
    while (a.closeSome(7)) {
      steps += 1;
      const mark = markState(sliced.db);
      expect(mark.closing_to).toBe(T0 + 120_000);
      // Mid-close, a late sample of the closing minute for a series already closed and for one
      // not closed yet; and a fresh second for everyone.
      if (steps === 4) {
        const late: Sample[] = [
          { serverId: 's0', kind: 'sip-udp', at: T0 + 100_500, rttMs: 42 },
          { serverId: 's39', kind: 'icmp', at: T0 + 100_500, rttMs: null },
        ];
        both(late, 0);
        const ids = new Map(
          (
            sliced.db.prepare('SELECT id, server_id, kind FROM probe_series').all() as { id: number; server_id: string; kind: number }[]
          ).map((r) => [`${r.server_id}/${r.kind}`, r.id]),
        );
        lateLow = (ids.get('s0/1') ?? ids.get('s0/2') ?? Infinity) <= mark.closing_through;
        lateHigh = Math.max(...[...ids].filter(([k]) => k.startsWith('s39/')).map(([, id]) => id)) > mark.closing_through;
        both(second(140), 0);
      }
      expect(charts(a)).toEqual(charts(b));
      expect(views(sliced.db)).toEqual(views(whole.db));
    }
    expect(lateLow && lateHigh).toBe(true);
    // 80 series, 7 a step: a dozen steps, each one a transaction.
    expect(steps).toBeGreaterThanOrEqual(10);
    expect(markState(sliced.db)).toEqual({ closed_before: T0 + 120_000, closing_to: null, closing_through: 0 });
    expect(charts(a)).toEqual(charts(b));
    expect(rollupRows(sliced.db)).toEqual(rollupRows(whole.db));
    sliced.close();
    whole.close();
  });

  it('closes in steps of its own between the sample writer’s slices, and whole on flush', () => {
    const store = openStore({ file: path.join(tempDir(), 'writer.db') });
    const repo = createSamplesRepo(store.db, { now: () => NOW });
    const steps: number[] = [];
    const sink = {
      insertBatch: (s: readonly Sample[], budget?: number) => {
        expect(budget).toBe(0);
        return repo.insertBatch(s, budget);
      },
      closeSome: (budget: number) => (steps.push(budget), repo.closeSome(budget)),
    };
    const { clock, fire, turns } = steppedClock();
    const writer = new SampleWriter({ sink, clock, maxBatch: 50, closeSlice: 5 });
    writer.start();
    for (let s = 0; s < 140; s += 1) {
      for (const sample of second(s)) writer.add(sample);
      turns();
      fire();
      turns();
    }
    // Two closes so far (to T0 + 60 s and to T0 + 120 s), the second in steps of 5 series.
    expect(markState(store.db).closed_before).toBe(T0 + 120_000);
    expect(steps.filter((n) => n === 5).length).toBeGreaterThanOrEqual(16);
    for (let s = 140; s < 200; s += 1) for (const sample of second(s)) writer.add(sample);
    writer.close();
    expect(markState(store.db)).toEqual({ closed_before: T0 + 180_000, closing_to: null, closing_through: 0 });
    expect(steps.at(-1)).toBe(Number.POSITIVE_INFINITY);
    const below = store.db.prepare('SELECT count(*) AS n, sum(rtt_us IS NULL) AS lost FROM probe_raw WHERE at < ?').get(T0 + 180_000);
    expect(store.db.prepare('SELECT sum(count) AS n, sum(lost) AS lost FROM probe_minute').get()).toEqual(below);
    expect(store.db.prepare('SELECT sum(count) AS n, sum(lost) AS lost FROM probe_hour').get()).toEqual(below);
    store.close();
  });

  it('finishes a close a killed process left half done, with rollups equal to the raw rows', () => {
    for (const killAfter of [1, 6, 15]) {
      const file = path.join(tempDir(), `kill-${killAfter}.db`);
      openStore({ file }).close();
      // The child stores 140 s of samples with no close, then closes in steps of 5 series,
      // printing how far each step got, and kills itself after `killAfter` steps.
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `
          import { openDatabase } from ${JSON.stringify(path.resolve('src/services/store/database.ts'))};
          import { createSamplesRepo } from ${JSON.stringify(path.resolve('src/services/store/samples-repo.ts'))};
          const second = ${second.toString()};
          const [T0, SERVERS] = [${T0}, ${SERVERS}];
          const db = openDatabase(${JSON.stringify(file)});
          const repo = createSamplesRepo(db);
          for (let s = 0; s < 80; s += 1) repo.insertBatch(second(s));
          for (let s = 80; s < 140; s += 1) repo.insertBatch(second(s), 0);
          const through = db.prepare('SELECT closing_through FROM probe_rollup_mark').pluck();
          for (let step = 0; step < ${killAfter}; step += 1) {
            repo.closeSome(5);
            process.stdout.write(through.get() + '\\n');
          }
          process.kill(process.pid, 'SIGKILL');
          `,
        ],
        { encoding: 'utf8' },
      );
      expect(child.signal, child.stderr).toBe('SIGKILL');
      const printed = child.stdout.trim().split('\n').map(Number);
      expect(printed).toHaveLength(killAfter);
      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // What the last step committed is what the file says.
      expect(markState(db)).toEqual({ closed_before: T0 + 60_000, closing_to: T0 + 120_000, closing_through: printed.at(-1) });
      const repo = createSamplesRepo(db, { now: () => NOW });
      // A fresh start finishes it (reading the closing minute back), before any new sample.
      while (repo.closeSome(5));
      expect(markState(db)).toEqual({ closed_before: T0 + 120_000, closing_to: null, closing_through: 0 });
      // Every sample, raw or packed into chunks meanwhile (probe_samples shows both).
      const stored = Array.from({ length: 140 }, (_, s) => second(s).length).reduce((x, y) => x + y);
      expect(db.prepare('SELECT count(*) FROM probe_samples').pluck().get()).toBe(stored);
      // The rollup views (rows, blocks and the raw rows past the mark) against the samples
      // themselves: a slice written twice, or skipped, would show in every count.
      for (const [view, unit] of [
        ['probe_rollup_minute', 60_000],
        ['probe_rollup_hour', 3_600_000],
      ] as const) {
        const fromRaw = db
          .prepare(
            `SELECT server_id, kind, CAST(at AS INTEGER) / ${unit} * ${unit} AS bucket, count(*) AS count, sum(rtt_us IS NULL) AS lost,
                    min(rtt_us) / 1000.0 AS min_ms
             FROM probe_samples GROUP BY server_id, kind, bucket ORDER BY server_id, kind, bucket`,
          )
          .all();
        const rolled = db
          .prepare(`SELECT server_id, kind, bucket, count, lost, min_ms FROM ${view} ORDER BY server_id, kind, bucket`)
          .all();
        expect(rounded(rolled)).toEqual(rounded(fromRaw));
      }
      // And the rollups alone hold exactly the samples below the watermark.
      const below = db.prepare('SELECT count(*) AS n, sum(rtt_us IS NULL) AS lost FROM probe_samples WHERE at < ?').get(T0 + 120_000);
      const sums = (unit: number, table: string) =>
        db
          .prepare(
            `SELECT sum(n) AS n, sum(lost) AS lost FROM (SELECT count AS n, lost FROM ${table}
             UNION ALL SELECT x.count, x.lost FROM probe_rollup_block b JOIN probe_rollup_block_rows(b.start, b.unit, b.data) x WHERE b.unit = ${unit})`,
          )
          .get();
      expect(sums(60_000, 'probe_minute')).toEqual(below);
      expect(sums(3_600_000, 'probe_hour')).toEqual(below);
      db.close();
    }
  }, 60_000);
});
