// The sparse histogram form chart points carry: decoding straight to pairs, and percentiles from
// pairs, agree with the dense path for any counts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHistogram, decodeHistogramPairs, encodeHistogram, HISTOGRAM_SIZE, pairsOf } from './histogram';
import { percentileOfHistogram, percentileOfPairs } from './rollup';

const dense = fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 5_000 })), { minLength: HISTOGRAM_SIZE, maxLength: HISTOGRAM_SIZE });

describe('sparse histogram pairs', () => {
  it('decodes an encoded histogram to its non-empty buckets in order', () => {
    fc.assert(
      fc.property(dense, (counts) => {
        expect(decodeHistogramPairs(encodeHistogram(counts))).toEqual(pairsOf(counts));
      }),
    );
    // Counts past 16 and 24 bits read back whole (the high byte is not a sign bit).
    expect(decodeHistogramPairs(encodeHistogram([0, 0xfffffffe, 2 ** 24 + 5, 70_000]))).toEqual([
      [1, 0xfffffffe],
      [2, 2 ** 24 + 5],
      [3, 70_000],
    ]);
  });

  it('sums repeated or unordered buckets and ignores torn or foreign bytes like the dense decoder', () => {
    const bytes = new Uint8Array([5, 2, 0, 0, 0, 3, 1, 0, 0, 0, 5, 1, 0, 0, 0, 250, 9, 0, 0, 0, 7, 1]);
    expect(decodeHistogramPairs(bytes)).toEqual([
      [3, 1],
      [5, 3],
    ]);
    expect(decodeHistogramPairs(bytes)).toEqual(pairsOf(decodeHistogram(bytes)));
    expect(decodeHistogramPairs(null)).toEqual([]);
  });

  it('gives the same percentiles as the dense histogram', () => {
    fc.assert(
      fc.property(
        dense,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        (counts, q, spread) => {
          const minMs = 0.02;
          const maxMs = minMs + spread * 100;
          expect(percentileOfPairs(pairsOf(counts), q, minMs, maxMs)).toBe(percentileOfHistogram(counts, q, minMs, maxMs));
        },
      ),
    );
    expect(percentileOfPairs([], 0.5, 1, 2)).toBeNull();
    expect(percentileOfPairs([[40, 3]], 0.5, null, null)).toBeNull();
  });
});
