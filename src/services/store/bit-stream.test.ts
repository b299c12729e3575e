// The Rice coder's sizing: bestRiceK must pick what trying every k on every value picks (the chunks'
// bytes depend on it), and riceCost must be what BitWriter.rice really writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestRiceK, BitReader, BitWriter, LONG_ESCAPE, riceCost, SHORT_ESCAPE, type Escape } from './bit-stream';

function bruteForce(values: readonly number[], maxK: number, escape: Escape): { k: number; bits: number } {
  let best = 0;
  let bestBits = Infinity;
  for (let k = 0; k <= maxK; k += 1) {
    let bits = 0;
    for (const v of values) bits += riceCost(v, k, escape);
    if (bits < bestBits) {
      bestBits = bits;
      best = k;
    }
  }
  return { k: best, bits: bestBits };
}

// Mostly small residuals, some spikes past either escape, now and then a value wider than 32 bits.
const value = fc.oneof(
  { weight: 6, arbitrary: fc.nat(64) },
  { weight: 3, arbitrary: fc.nat(5_000) },
  { weight: 1, arbitrary: fc.nat(2 ** 40) },
);
const escapes = fc.constantFrom(LONG_ESCAPE, SHORT_ESCAPE);

describe('bestRiceK', () => {
  it('picks the k and bit count that trying every k gives', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.integer({ min: 0, max: 30 }), escapes, (values, maxK, escape) => {
        expect(bestRiceK(values, maxK, escape)).toEqual(bruteForce(values, maxK, escape));
      }),
      { numRuns: 400 },
    );
  });

  it('gives the smallest k on a tie and k 0 for nothing to code', () => {
    expect(bestRiceK([], 26)).toEqual({ k: 0, bits: 0 });
    // 1 and 2 cost 2 + 3 = 5 bits at k 0 and 2 + 3 = 5 at k 1 (k 2: 3 + 3 = 6): the tie goes to k 0.
    expect(bestRiceK([1, 2], 26)).toEqual({ k: 0, bits: 5 });
    // 2 and 3 cost 3 + 4 = 7 at k 0, 3 + 3 = 6 at k 1, 3 + 3 = 6 at k 2: k 1.
    expect(bestRiceK([2, 3], 26)).toEqual({ k: 1, bits: 6 });
    // Zeros cost 1 bit each at k 0 and more at any other.
    expect(bestRiceK([0, 0, 0], 26)).toEqual({ k: 0, bits: 3 });
  });

  it('sizes values it cannot size by bit count (negative, not a number) one k at a time, as riceCost does', () => {
    const odd = [-3, 0.5, 1.5, 7, Number.NaN];
    expect(bestRiceK(odd, 10, SHORT_ESCAPE)).toEqual(bruteForce(odd, 10, SHORT_ESCAPE));
  });
});

describe('riceCost', () => {
  it('is the number of bits BitWriter.rice writes, and BitReader reads the value back', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 50 }), fc.integer({ min: 0, max: 20 }), escapes, (values, k, escape) => {
        const w = new BitWriter();
        let expected = 0;
        for (const v of values) {
          w.rice(v, k, escape);
          expected += riceCost(v, k, escape);
        }
        expect(w.bitLength).toBe(expected);
        const r = new BitReader(w.finish());
        for (const v of values) expect(r.rice(k, escape)).toBe(v);
      }),
      { numRuns: 200 },
    );
  });
});
