// Chart points from the store equal what the samples themselves say: for every source (raw,
// minute and hour rollups), steps of one row and of several, the stretch not rolled up yet and
// samples that arrived after their minute closed. The reference is computed from the samples
// with the domain's own rollup functions, the slow and obvious way.
//
// Packed history keeps round trips to the precision formatMs shows (rtt-precision.ts): whole µs
// below 1 ms, 10 µs to 10 ms, 100 µs to 100 ms, whole ms above. So a point's min and max read
// the same text as the reference's and lie within half a shown digit of it; its median and mean,
// worked out from rounded values, lie within 0.6 % (half a digit is 0.5 % at most, and the
// histogram's interpolation between min and max adds a fifth of that); counts, losses and the
// histogram are exact.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMs } from '../../src/domain/monitoring/format-ms';
import { pairsOf } from '../../src/domain/monitoring/histogram';
import { medianOf } from '../../src/domain/monitoring/median';
import { addSample, emptyRollup, meanMs, percentileMs, type Rollup } from '../../src/domain/monitoring/rollup';
import type { Sample } from '../../src/domain/monitoring/sample';
import { createSamplesRepo } from '../../src/services/store/samples-repo';
import type { SeriesPoint } from '../../src/services/store/samples-series';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

function expected(samples: readonly Sample[], from: number, to: number, stepMs: number, exactMedian: boolean): Omit<SeriesPoint, 'code'>[] {
  const steps = new Map<number, { r: Rollup; rtts: number[] }>();
  for (const s of [...samples].sort((a, b) => a.at - b.at)) {
    if (s.at < from || s.at >= to) continue;
    const t = Math.floor(s.at / stepMs) * stepMs;
    const step = steps.get(t) ?? { r: emptyRollup(), rtts: [] };
    steps.set(t, step);
    addSample(step.r, s.rttMs, s.code);
    if (s.rttMs !== null) step.rtts.push(s.rttMs);
  }
  return [...steps.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, { r, rtts }]) => ({
      t,
      count: r.count,
      lost: r.lost,
      lossPct: (100 * r.lost) / r.count,
      flagged: r.flagged,
      minMs: r.minMs,
      maxMs: r.maxMs,
      medianMs: exactMedian ? medianOf(rtts) : percentileMs(r, 0.5),
      meanMs: meanMs(r),
      hist: pairsOf(r.hist),
    }));
}

function expectSame(actual: readonly SeriesPoint[], wanted: ReturnType<typeof expected>, label: string): void {
  expect(
    actual.map((p) => p.t),
    label,
  ).toEqual(wanted.map((p) => p.t));
  actual.forEach((p, i) => {
    const w = wanted[i] as (typeof wanted)[number];
    const { medianMs, meanMs: mean, minMs, maxMs, code: _code, ...rest } = p;
    const { medianMs: wMedian, meanMs: wMean, minMs: wMin, maxMs: wMax, ...wRest } = w;
    expect(rest, `${label} @${p.t}`).toEqual(wRest);
    // Shown as they were, within half a shown digit.
    for (const [a, b] of [
      [minMs, wMin],
      [maxMs, wMax],
    ] as const) {
      if (b === null) expect(a).toBeNull();
      else {
        expect(formatMs(a), `${label} @${p.t}`).toBe(formatMs(b));
        expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(halfDigitMs(b) + 1e-9);
      }
    }
    // Worked out from rounded values (and sums of doubles in another order).
    for (const [a, b] of [
      [medianMs, wMedian],
      [mean, wMean],
    ] as const) {
      if (b === null) expect(a).toBeNull();
      else expect(Math.abs((a as number) - b), `${label} @${p.t}`).toBeLessThanOrEqual(0.006 * Math.abs(b) + 0.0005 + 1e-9);
    }
  });
}

/** Half the last digit formatMs shows of a value (ms): how far the stored value may lie from it. */
const halfDigitMs = (ms: number): number => (ms < 1 ? 0 : ms < 10 ? 0.005 : ms < 100 ? 0.05 : 0.5);

const sampleArb = (from: number, span: number) =>
  fc
    .record({
      offset: fc.integer({ min: 0, max: span - 1 }),
      rtt: fc.option(fc.double({ min: 0.005, max: 3_000, noNaN: true }), { freq: 6 }),
      code: fc.constantFrom(200, 200, 200, 503, 302),
    })
    .map(({ offset, rtt, code }): Sample => ({
      serverId: 'srv',
      kind: 'sip-udp',
      at: from + offset * 1_000,
      rttMs: rtt === null ? null : Math.round(rtt * 1000) / 1000,
      ...(rtt === null ? {} : { code }),
    }));

describe('chart series from the store', () => {
  it('matches the samples for every source and step, with open, closed and late data', () => {
    const store = openStore({ file: path.join(tempDir(), 'series.db') });
    const end = T0 + 3 * DAY;
    let now = end;
    const repo = createSamplesRepo(store.db, { now: () => now, retention: { rawMs: 2 * DAY, minuteMs: 3 * DAY } });
    fc.assert(
      fc.property(
        fc.array(sampleArb(end - 2 * DAY, (2 * DAY) / 1_000), { minLength: 1, maxLength: 400 }),
        fc.array(sampleArb(end - 3 * DAY, DAY / 1_000), { maxLength: 60 }),
        (recent, older) => {
          store.db.exec(
            'DELETE FROM probe_raw; DELETE FROM probe_chunk; DELETE FROM probe_minute; DELETE FROM probe_hour; ' +
              'DELETE FROM probe_rollup_block; UPDATE probe_rollup_mark SET closed_before = 0; ' +
              'UPDATE probe_series SET sealed_before = 0, rollups_packed_before = 0',
          );
          // Older ones first, then the recent ones in two flushes: the first closes most minutes,
          // the last flushes' tail stays open (raw rows past the watermark).
          const byTime = [...recent].sort((a, b) => a.at - b.at);
          const half = byTime.length >> 1;
          repo.insertBatch(byTime.slice(0, half));
          repo.insertBatch(byTime.slice(half));
          // Arrives after its minutes closed: merged straight into the rollups.
          repo.insertBatch(older);
          const all = dedupe([...recent, ...older]);
          now = end;
          for (const [from, label] of [
            [end - HOUR, 'raw 1 h'],
            [end - DAY, 'minute 24 h'],
            [end - 2 * DAY, 'minute 48 h, steps of 2 min'],
            [end - 3 * DAY, 'minute 3 d, steps of 3 min'],
          ] as const) {
            const result = repo.series('srv', ['sip-udp'], from, end, 2_000);
            expectSame(result.points['sip-udp'] ?? [], expected(all, from, end, result.stepMs, result.source === 'raw'), label);
          }
          const month = repo.series('srv', ['sip-udp'], end - 30 * DAY, end, 2_000);
          expect(month.source).toBe('hour');
          expectSame(month.points['sip-udp'] ?? [], expected(all, end - 30 * DAY, end, month.stepMs, false), 'hour 30 d');
          const coarse = repo.series('srv', ['sip-udp'], end - 30 * DAY, end, 100);
          expect(coarse.stepMs).toBeGreaterThan(HOUR);
          expectSame(coarse.points['sip-udp'] ?? [], expected(all, end - 30 * DAY, end, coarse.stepMs, false), 'hour 30 d, 100 points');
        },
      ),
      { numRuns: 25 },
    );
    store.close();
  });

  it('keeps the last SIP code of a raw step and reports no history as no points', () => {
    const store = openStore({ file: path.join(tempDir(), 'code.db') });
    const repo = createSamplesRepo(store.db, { now: () => T0 + MINUTE });
    repo.insertBatch([
      { serverId: 'srv', kind: 'sip-udp', at: T0, rttMs: 4, code: 200 },
      { serverId: 'srv', kind: 'sip-udp', at: T0 + 1_000, rttMs: 6, code: 503 },
      { serverId: 'srv', kind: 'sip-udp', at: T0 + 2_000, rttMs: null },
    ]);
    const result = repo.series('srv', ['sip-udp', 'icmp'], T0, T0 + 10_000, 2);
    expect(result.source).toBe('raw');
    expect(result.points.icmp).toEqual([]);
    expect(result.points['sip-udp']).toEqual([
      {
        t: T0,
        count: 3,
        lost: 1,
        lossPct: 100 / 3,
        flagged: 1,
        minMs: 4,
        maxMs: 6,
        medianMs: 5,
        meanMs: 5,
        code: 503,
        hist: expect.any(Array),
      },
    ]);
    store.close();
  });
});

/** The store keeps the first of two samples at the same millisecond. */
function dedupe(samples: readonly Sample[]): Sample[] {
  const seen = new Set<number>();
  return samples.filter((s) => !seen.has(s.at) && seen.add(s.at));
}
