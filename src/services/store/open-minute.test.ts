import { describe, expect, it } from 'vitest';
import { encodeHistogram } from '../../domain/monitoring/histogram';
import { addSample, emptyRollup, type Rollup } from '../../domain/monitoring/rollup';
import { OpenMinute } from './open-minute';

/** Rows as the store keeps them: rtt in whole µs or NaN for a loss, code or NaN for none. */
function rows(n: number, seed: number): [number, number, number][] {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => {
    const series = 1 + Math.floor(next() * 700);
    const lost = next() < 0.1;
    const rttUs = lost ? Number.NaN : Math.round(next() * next() * 3_000_000);
    const r = next();
    const code = r < 0.5 ? Number.NaN : r < 0.9 ? 200 : r < 0.95 ? 503 : 404;
    return [series, rttUs, code];
  });
}

/** What the rows give added to Rollup objects one by one, as the read-back does. */
function expected(input: [number, number, number][]): Map<number, Rollup> {
  const out = new Map<number, Rollup>();
  for (const [series, rttUs, code] of input) {
    let r = out.get(series);
    if (!r) out.set(series, (r = emptyRollup()));
    addSample(r, Number.isNaN(rttUs) ? null : rttUs / 1000, Number.isNaN(code) ? undefined : code);
  }
  return out;
}

describe('OpenMinute', () => {
  it('gives exactly the rollups that adding the rows to Rollup objects gives', () => {
    const input = rows(5_000, 7);
    const minute = new OpenMinute();
    for (const [series, rttUs, code] of input) minute.add(series, rttUs, code);
    const want = expected(input);
    expect(minute.size).toBe(want.size);
    expect(minute.rollups()).toEqual(want);
  });

  it('starts empty again after clear, with nothing of the last minute left in reused slots', () => {
    const minute = new OpenMinute();
    for (const [series, rttUs, code] of rows(3_000, 11)) minute.add(series, rttUs, code);
    minute.clear();
    expect(minute.size).toBe(0);
    expect(minute.rollups().size).toBe(0);
    const second = rows(400, 13);
    for (const [series, rttUs, code] of second) minute.add(series, rttUs, code);
    expect(minute.rollups()).toEqual(expected(second));
  });

  it('hands out rollups the caller may change without changing what it keeps', () => {
    const minute = new OpenMinute();
    minute.add(1, 1_500, 200);
    const first = minute.rollups().get(1) as Rollup;
    addSample(first, 9, 200);
    expect(minute.rollups().get(1)).toEqual(expected([[1, 1_500, 200]]).get(1));
  });

  it('hands out each row in series order with its histogram as encodeHistogram stores it', () => {
    const input = rows(4_000, 17);
    const minute = new OpenMinute();
    for (const [series, rttUs, code] of input) minute.add(series, rttUs, code);
    const want = expected(input);
    const seen: number[] = [];
    minute.forEachRow((series, r, hist) => {
      seen.push(series);
      const { hist: counts, ...fields } = want.get(series) as Rollup;
      expect({ ...r }).toEqual(fields);
      expect(new Uint8Array(hist)).toEqual(encodeHistogram(counts));
    });
    expect(seen).toEqual([...want.keys()].sort((a, b) => a - b));
  });

  it('hands out the rows above a series in slices, each once, a series added between slices included', () => {
    const minute = new OpenMinute();
    for (const [series, rttUs, code] of rows(3_000, 7)) minute.add(series, rttUs, code);
    const all: number[] = [];
    minute.forEachRow((series) => all.push(series));
    const sliced: number[] = [];
    let after = 0;
    for (let slice = 0; ; slice += 1) {
      // A new series, higher than any so far, joins while the slices are under way.
      if (slice === 3) minute.add(10_000, 1_000, Number.NaN);
      const last = minute.forEachRowAfter(after, 64, (series, r) => {
        sliced.push(series);
        expect(r.count).toBeGreaterThan(0);
      });
      if (last === null) break;
      after = last;
    }
    expect(sliced).toEqual([...all, 10_000]);
    expect(minute.forEachRowAfter(10_000, 64, () => undefined)).toBeNull();
  });
});
