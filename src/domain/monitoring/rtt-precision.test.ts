// The stored precision of round trips changes no text formatMs prints (the console, the CLI
// table, chart tooltips), keeps loopback values exact, and numbers the grid monotonically.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMs } from './format-ms';
import { roundRttUs, rttIndex, rttOfIndex } from './rtt-precision';

describe('round-trip precision', () => {
  it('prints the same text as the exact value for every whole µs up to 2 s', () => {
    const changed: number[] = [];
    for (let us = 0; us <= 2_000_000; us += 1) if (formatMs(roundRttUs(us) / 1000) !== formatMs(us / 1000)) changed.push(us);
    expect(changed).toEqual([]);
  });

  it('prints the same text beyond, up to an hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_600_000_000 }), (us) => formatMs(roundRttUs(us) / 1000) === formatMs(us / 1000)),
      { numRuns: 20_000 },
    );
  });

  it('keeps values below 1 ms exact and is otherwise within half a shown digit', () => {
    for (let us = 0; us < 1_000; us += 1) expect(roundRttUs(us)).toBe(us);
    expect(roundRttUs(1_234)).toBe(1_230);
    expect(roundRttUs(23_417)).toBe(23_400);
    expect(roundRttUs(120_499)).toBe(120_000);
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 100_000_000 }), (us) => {
        const step = us < 10_000 ? 10 : us < 100_000 ? 100 : 1_000;
        return Math.abs(roundRttUs(us) - us) <= step / 2 && Math.abs(roundRttUs(us) - us) / us <= 0.005;
      }),
    );
  });

  it('is idempotent: a stored value stays what it is when stored again', () => {
    const moved: number[] = [];
    for (let us = 0; us <= 2_000_000; us += 1) if (roundRttUs(roundRttUs(us)) !== roundRttUs(us)) moved.push(us);
    expect(moved).toEqual([]);
  });

  it('numbers the grid monotonically, one index per value and back', () => {
    const wrong: number[] = [];
    let last = -1;
    let lastValue = -1;
    for (let us = 0; us <= 2_000_000; us += 1) {
      const v = roundRttUs(us);
      const i = rttIndex(v);
      // The same value the same index, a larger value a larger one, and the index reads back.
      if ((v === lastValue) !== (i === last) || i < last || rttOfIndex(i) !== v) wrong.push(us);
      last = i;
      lastValue = v;
    }
    expect(wrong).toEqual([]);
    // About 900 indexes a decade above 1 ms: 1 ms → 1,000, 10 ms → 1,909, 100 ms → 2,908.
    expect([rttIndex(1_000), rttIndex(10_000), rttIndex(100_000)]).toEqual([1_000, 1_909, 2_908]);
    expect(() => rttIndex(1_234)).toThrow(/not on the stored round-trip grid/);
  });
});
