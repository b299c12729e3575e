import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, HISTOGRAM_SIZE, mergeEncodedHistograms } from './histogram';

const dense = (a: Uint8Array | null, b: Uint8Array | null) => encodeHistogram(decodeHistogram(b, decodeHistogram(a)));
const counts = fc.array(fc.oneof(fc.constant(0), fc.nat(20), fc.constant(0xffffffff)), { maxLength: HISTOGRAM_SIZE });

describe('mergeEncodedHistograms', () => {
  it('gives the same bytes as decoding both and encoding the sum, for encoder output', () => {
    fc.assert(
      fc.property(counts, counts, (x, y) => {
        const a = encodeHistogram(x);
        const b = encodeHistogram(y);
        expect([...mergeEncodedHistograms(a, b)]).toEqual([...dense(a, b)]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same bytes for any blob, torn, unsorted, repeated or out of range', () => {
    const blob = fc.oneof(fc.constant(null), fc.uint8Array({ maxLength: 60 }));
    fc.assert(
      fc.property(blob, blob, (a, b) => {
        expect([...mergeEncodedHistograms(a, b)]).toEqual([...dense(a, b)]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('sums a shared bucket and keeps the others in order', () => {
    const a = encodeHistogram(Object.assign(new Array<number>(HISTOGRAM_SIZE).fill(0), { 3: 2, 10: 1 }));
    const b = encodeHistogram(Object.assign(new Array<number>(HISTOGRAM_SIZE).fill(0), { 3: 5, 7: 4 }));
    expect(decodeHistogram(mergeEncodedHistograms(a, b)).flatMap((c, i) => (c ? [[i, c]] : []))).toEqual([
      [3, 7],
      [7, 4],
      [10, 1],
    ]);
  });
});
