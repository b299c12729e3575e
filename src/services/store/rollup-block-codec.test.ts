import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf } from '../../domain/monitoring/histogram';
import { encodeRollupBlock, sdCode, sdOfCode, type BlockRow } from './rollup-block-codec';
import { columnsIndexOf, decodeRollupBlock, decodeRollupColumns, rowsOfColumns } from './rollup-block-decode';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1);

/** A row as the writer makes it from samples: every column follows from the round trips. */
function rowOf(bucket: number, rtts: readonly (number | null)[], flaggedEvery = 0): BlockRow {
  const answered = rtts.filter((r): r is number => r !== null);
  const hist = new Map<number, number>();
  for (const r of answered) hist.set(bucketOf(r / 1000), (hist.get(bucketOf(r / 1000)) ?? 0) + 1);
  return {
    bucket,
    count: rtts.length,
    lost: rtts.length - answered.length,
    flagged: flaggedEvery > 0 ? Math.floor(answered.length / flaggedEvery) : 0,
    minUs: answered.length === 0 ? null : Math.min(...answered),
    maxUs: answered.length === 0 ? null : Math.max(...answered),
    sumUs: answered.reduce((a, b) => a + b, 0),
    sumSqUs2: answered.reduce((a, b) => a + b * b, 0),
    hist: [...hist].sort((a, b) => a[0] - b[0]),
  };
}

const sd = (r: BlockRow) => {
  const n = r.count - r.lost;
  return n === 0 ? 0 : Math.sqrt(Math.max(0, r.sumSqUs2 / n - (r.sumUs / n) ** 2));
};

function expectRoundTrip(rows: BlockRow[]): void {
  const back = decodeRollupBlock(START, MINUTE, encodeRollupBlock(START, MINUTE, rows));
  expect(back.map(({ sumSqUs2: _, ...rest }) => rest)).toEqual(rows.map(({ sumSqUs2: _, ...rest }) => rest));
  // The sum of squares is kept as the standard deviation: whole µs up to 128, within 0.8 % above.
  back.forEach((r, i) => {
    const want = sd(rows[i] as BlockRow);
    expect(Math.abs(sd(r) - want)).toBeLessThanOrEqual(Math.max(0.5, want * 0.008) + 1e-6);
  });
}

const rttArb = fc.option(fc.integer({ min: 0, max: 2_000_000 }), { freq: 8 });

describe('rollup block codec', () => {
  it('gives back every row: counts, losses, min, max, sum and histogram exactly', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ gap: fc.nat({ max: 3 }), rtts: fc.array(rttArb, { minLength: 0, maxLength: 40 }), flagged: fc.nat({ max: 4 }) }),
          {
            minLength: 1,
            maxLength: 120,
          },
        ),
        (specs) => {
          let index = -1;
          const rows = specs.map((s) => {
            index += s.gap + 1;
            return rowOf(START + index * MINUTE, s.rtts, s.flagged);
          });
          expectRoundTrip(rows);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps rows whose histogram does not follow from min and max whole', () => {
    const regular = rowOf(START, [1_000, 1_200, 5_000]);
    const odd: BlockRow = {
      ...rowOf(START + MINUTE, [2_000, 2_100]),
      hist: [
        [3, 1],
        [70, 1],
      ],
    };
    const single: BlockRow = { ...rowOf(START + 2 * MINUTE, [900]), maxUs: 950, sumUs: 925, hist: [[1, 1]] };
    const empty: BlockRow = { ...rowOf(START + 3 * MINUTE, [null, null]) };
    expectRoundTrip([regular, odd, single, empty]);
  });

  it('packs a realistic minute series into a few bytes a row', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const rows = Array.from({ length: 360 }, (_, m) =>
      rowOf(
        START + m * MINUTE,
        Array.from({ length: 12 }, () => (rand() < 0.003 ? null : Math.round(20_000 + (rand() + rand() + rand() - 1.5) * 400))),
      ),
    );
    const blob = encodeRollupBlock(START, MINUTE, rows);
    expectRoundTrip(rows);
    // A row each costs 73 bytes; jitter of a few hundred µs packs into well under 10.
    expect(blob.length / rows.length).toBeLessThan(10);
  });

  it('refuses rows out of order, outside the block, or not in whole µs, naming the row', () => {
    const a = rowOf(START + MINUTE, [1_000]);
    const b = rowOf(START, [1_000]);
    expect(() => encodeRollupBlock(START, MINUTE, [a, b])).toThrow(/strictly increasing/);
    expect(() => encodeRollupBlock(START + MINUTE, MINUTE, [b])).toThrow(/not a bucket of its block/);
    expect(() => encodeRollupBlock(START, MINUTE, [{ ...b, minUs: 0.5 }])).toThrow(/minUs and maxUs must be whole µs/);
    expect(() => encodeRollupBlock(START, MINUTE, [{ ...b, lost: -1 }])).toThrow(/lost must be a whole number/);
    expect(() => encodeRollupBlock(START, MINUTE, [{ ...b, lost: 2 }])).toThrow(/more lost or flagged than probes/);
    expect(() => encodeRollupBlock(START, MINUTE, [])).toThrow(/at least one row/);
  });

  it('throws on a damaged or foreign blob rather than inventing rows', () => {
    const blob = encodeRollupBlock(START, MINUTE, [rowOf(START, [1_000, 2_000, 40_000]), rowOf(START + MINUTE, [3_000])]);
    expect(() => decodeRollupBlock(START, MINUTE, Uint8Array.from([9, ...blob.subarray(1)]))).toThrow(/unknown rollup block format/);
    expect(() => decodeRollupBlock(START, MINUTE, blob.subarray(0, 4))).toThrow(RangeError);
  });

  it('gives any stretch of a block from its columns as the same rows, found by bucket', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.nat({ max: 3 }), rtts: fc.array(rttArb, { maxLength: 20 }) }), { minLength: 1, maxLength: 80 }),
        fc.nat(),
        fc.nat(),
        (specs, a, b) => {
          let index = -1;
          const rows = specs.map((s) => {
            index += s.gap + 1;
            return rowOf(START + index * MINUTE, s.rtts);
          });
          const blob = encodeRollupBlock(START, MINUTE, rows);
          const all = decodeRollupBlock(START, MINUTE, blob);
          const columns = decodeRollupColumns(START, MINUTE, blob);
          const [first, end] = [a % (rows.length + 1), b % (rows.length + 1)].sort((x, y) => x - y) as [number, number];
          expect(rowsOfColumns(columns, first, end)).toEqual(all.slice(first, end));
          // By bucket: a bucket between rows (a gap) starts at the next row.
          const from = START + Math.floor(a % (index + 2)) * MINUTE - (a % 2) * 1;
          const at = columnsIndexOf(columns, from);
          expect(at).toBe(all.findIndex((r) => r.bucket >= from) === -1 ? all.length : all.findIndex((r) => r.bucket >= from));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a damaged blob with a RangeError, never another error or a lost histogram pair', () => {
    const rows = Array.from({ length: 40 }, (_, m) =>
      rowOf(START + m * MINUTE, [1_000 + m * 37, 2_000, m % 9 === 0 ? null : 40_000 + m, ...(m % 4 === 0 ? [900_000] : [])]),
    );
    const blob = encodeRollupBlock(START, MINUTE, rows);
    fc.assert(
      fc.property(fc.nat({ max: blob.length * 8 - 1 }), fc.nat({ max: blob.length }), (bit, cut) => {
        const damaged = Uint8Array.from(blob.subarray(0, Math.max(1, cut === 0 ? blob.length : cut)));
        if (bit < damaged.length * 8) damaged[bit >> 3] = (damaged[bit >> 3] as number) ^ (0x80 >> (bit & 7));
        let decoded: BlockRow[] | undefined;
        try {
          decoded = decodeRollupBlock(START, MINUTE, damaged);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          return;
        }
        // What does decode is made of whole numbers, as a block only holds those: no gap, no NaN.
        for (const row of decoded) {
          expect(Number.isSafeInteger(row.count)).toBe(true);
          for (const [b, c] of row.hist) expect(Number.isInteger(b) && Number.isInteger(c)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('codes standard deviations monotonically, whole below 128 µs and within 0.8 % above', () => {
    let previous = -1;
    for (let v = 0; v < 3_000_000; v = v < 2_000 ? v + 0.37 : v * 1.003) {
      const code = sdCode(v);
      expect(code).toBeGreaterThanOrEqual(previous);
      previous = code;
      const back = sdOfCode(code);
      if (v < 127.5) expect(Math.abs(back - v)).toBeLessThanOrEqual(0.5);
      else expect(Math.abs(back - v) / v).toBeLessThanOrEqual(0.008);
    }
  });
});
