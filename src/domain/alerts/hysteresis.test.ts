import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hysteresis } from './hysteresis';

describe('hysteresis: N of M to raise, K good in a row to clear', () => {
  it('raises on the Nth bad observation within the window', () => {
    const h = new Hysteresis(5, 3, 2);
    expect([true, false, true, false].map((b) => h.observe(b))).toEqual([null, null, null, null]);
    expect(h.observe(true)).toBe('raise');
    expect(h.active).toBe(true);
  });

  it('forgets observations that leave the window', () => {
    const h = new Hysteresis(3, 2, 1);
    expect([true, false, false, true].map((b) => h.observe(b))).toEqual([null, null, null, null]);
  });

  it('clears only after K good in a row and once fewer than N of M are bad', () => {
    const h = new Hysteresis(4, 2, 1, true);
    h.observe(true);
    h.observe(true);
    expect(h.observe(false)).toBeNull(); // good, but 2 of the last 3 bad
    expect(h.observe(false)).toBeNull(); // 2 of 4 still bad
    expect(h.observe(false)).toBe('clear');
  });

  it('refuses an impossible shape', () => {
    expect(() => new Hysteresis(3, 4, 1)).toThrow(RangeError);
    expect(() => new Hysteresis(0, 1, 1)).toThrow(RangeError);
    expect(() => new Hysteresis(3, 1, 0)).toThrow(RangeError);
  });

  it('never raises twice without a clear between, whatever the observations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.boolean(), { maxLength: 300 }),
        (m, n0, k, seq) => {
          const n = Math.min(n0, m);
          const h = new Hysteresis(m, n, k);
          let last: string | null = 'clear';
          for (const bad of seq) {
            const t = h.observe(bad);
            if (t === null) continue;
            expect(t).not.toBe(last);
            last = t;
            expect(h.badCount).toBeLessThanOrEqual(m);
          }
        },
      ),
    );
  });
});
