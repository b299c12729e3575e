import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketLowerMs, bucketOf, bucketUpperMs, decodeHistogram, encodeHistogram, HISTOGRAM_SIZE } from './histogram';
import { addSample, emptyRollup, lossPct, meanMs, mergeRollups, percentileMs, stddevMs, type Rollup } from './rollup';

const rtt = fc.oneof(fc.constant(null), fc.double({ min: 0, max: 20_000, noNaN: true }), fc.double({ min: 0.001, max: 5, noNaN: true }));
const outcomes = fc.array(fc.record({ rtt, code: fc.option(fc.integer({ min: 100, max: 699 }), { nil: undefined }) }), { maxLength: 200 });

function rollupOf(list: readonly { rtt: number | null; code?: number | undefined }[]): Rollup {
  const r = emptyRollup();
  for (const o of list) addSample(r, o.rtt, o.code);
  return r;
}

function expectSameRollup(a: Rollup, b: Rollup): void {
  expect({ ...a, sumMs: 0, sumSqMs: 0 }).toEqual({ ...b, sumMs: 0, sumSqMs: 0 });
  expect(a.sumMs).toBeCloseTo(b.sumMs, 6);
  expect(Math.abs(a.sumSqMs - b.sumSqMs)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b.sumSqMs)));
}

describe('histogram buckets', () => {
  it('puts every value inside its bucket edges, and edges increase', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (v) => {
        const b = bucketOf(v);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(HISTOGRAM_SIZE);
        expect(v).toBeGreaterThanOrEqual(bucketLowerMs(b));
        expect(v).toBeLessThan(bucketUpperMs(b));
      }),
    );
    for (let i = 1; i < HISTOGRAM_SIZE; i += 1) expect(bucketLowerMs(i)).toBeGreaterThan(bucketLowerMs(i - 1));
  });

  it('round-trips the sparse encoding and ignores torn bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000_000 }), { minLength: HISTOGRAM_SIZE, maxLength: HISTOGRAM_SIZE }), (counts) => {
        expect(decodeHistogram(encodeHistogram(counts))).toEqual(counts);
      }),
    );
    const torn = encodeHistogram([0, 3, 0, 7]).subarray(0, 7);
    expect(decodeHistogram(torn).slice(0, 4)).toEqual([0, 3, 0, 0]);
    expect(decodeHistogram(new Uint8Array([250, 1, 0, 0, 0])).every((c) => c === 0)).toBe(true);
  });
});

describe('rollup accumulator', () => {
  it('merging two rollups equals accumulating both lists (commutative, associative)', () => {
    fc.assert(
      fc.property(outcomes, outcomes, outcomes, (a, b, c) => {
        const [ra, rb, rc] = [rollupOf(a), rollupOf(b), rollupOf(c)];
        expectSameRollup(mergeRollups(ra, rb), rollupOf([...a, ...b]));
        expectSameRollup(mergeRollups(ra, rb), mergeRollups(rb, ra));
        expectSameRollup(mergeRollups(mergeRollups(ra, rb), rc), mergeRollups(ra, mergeRollups(rb, rc)));
        expectSameRollup(mergeRollups(ra, emptyRollup()), ra);
      }),
    );
  });

  it('keeps count, loss, min, max, mean and deviation exact', () => {
    fc.assert(
      fc.property(outcomes, (list) => {
        const r = rollupOf(list);
        const ok = list.flatMap((o) => (o.rtt === null ? [] : [o.rtt]));
        expect(r.count).toBe(list.length);
        expect(r.lost).toBe(list.length - ok.length);
        expect(r.hist.reduce((s, c) => s + c, 0)).toBe(ok.length);
        expect(lossPct(r)).toBeCloseTo(list.length === 0 ? 0 : (100 * (list.length - ok.length)) / list.length, 9);
        if (ok.length === 0) {
          expect([r.minMs, r.maxMs, meanMs(r), stddevMs(r)]).toEqual([null, null, null, null]);
          return;
        }
        expect(r.minMs).toBe(Math.min(...ok));
        expect(r.maxMs).toBe(Math.max(...ok));
        const mean = ok.reduce((s, v) => s + v, 0) / ok.length;
        expect(meanMs(r)).toBeCloseTo(mean, 6);
        const sd = Math.sqrt(ok.reduce((s, v) => s + (v - mean) ** 2, 0) / ok.length);
        expect(Math.abs((stddevMs(r) ?? 0) - sd)).toBeLessThanOrEqual(1e-6 * Math.max(1, mean));
      }),
    );
  });

  it('estimates any percentile inside the bucket of the true value and within min..max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const r = rollupOf(values.map((v) => ({ rtt: v })));
          const sorted = [...values].sort((x, y) => x - y);
          const exact = sorted[Math.floor(q * (sorted.length - 1))] as number;
          const estimate = percentileMs(r, q) as number;
          const b = bucketOf(exact);
          expect(estimate).toBeGreaterThanOrEqual(Math.max(bucketLowerMs(b), sorted[0] as number));
          expect(estimate).toBeLessThanOrEqual(Math.min(bucketUpperMs(b), sorted[sorted.length - 1] as number));
        },
      ),
    );
  });

  it('counts loss and flags 5xx/6xx answers without counting them lost', () => {
    const r = rollupOf([{ rtt: 1, code: 200 }, { rtt: 2, code: 503 }, { rtt: null }, { rtt: 3, code: 302 }]);
    expect(r).toMatchObject({ count: 4, lost: 1, flagged: 1, minMs: 1, maxMs: 3 });
    expect(percentileMs(emptyRollup(), 0.5)).toBeNull();
  });
});
