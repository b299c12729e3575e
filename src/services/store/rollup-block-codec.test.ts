import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketLowerMs, bucketOf } from '../../domain/monitoring/histogram';
import { roundRttUs } from '../../domain/monitoring/rtt-precision';
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

/**
 * A row as format 2 gives it back: min, max and the mean on the shown grid (rtt-precision.ts),
 * the sum being the answers times that mean; counts and histogram exact.
 */
function shown(row: BlockRow): BlockRow {
  const a = row.count - row.lost;
  if (a === 0) return row;
  return {
    ...row,
    minUs: roundRttUs(row.minUs as number),
    maxUs: roundRttUs(row.maxUs as number),
    sumUs: a * roundRttUs(Math.round(row.sumUs / a)),
  };
}

function expectRoundTrip(rows: BlockRow[], format: 1 | 2 = 2): void {
  const back = decodeRollupBlock(START, MINUTE, encodeRollupBlock(START, MINUTE, rows, { format }));
  const want = format === 1 ? rows : rows.map(shown);
  expect(back.map(({ sumSqUs2: _, ...rest }) => rest)).toEqual(want.map(({ sumSqUs2: _, ...rest }) => rest));
  // The sum of squares is kept as the standard deviation: whole µs up to 128, within 0.8 % above.
  back.forEach((r, i) => {
    const want = sd(rows[i] as BlockRow);
    expect(Math.abs(sd(r) - want)).toBeLessThanOrEqual(Math.max(0.5, want * 0.008) + 1e-6);
  });
}

const rttArb = fc.option(fc.integer({ min: 0, max: 2_000_000 }), { freq: 8 });

describe('rollup block codec', () => {
  it('gives back every row: counts, losses and histogram exactly, min, max and mean to the shown precision (format 1: exactly)', () => {
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
          expectRoundTrip(rows, 1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps min, max and mean within half a shown digit, and exact to the µs below 1 ms', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_000_000 }), { minLength: 1, maxLength: 30 }), (rtts) => {
        const row = rowOf(START, rtts);
        const [back] = decodeRollupBlock(START, MINUTE, encodeRollupBlock(START, MINUTE, [row])) as [BlockRow];
        const half = (us: number) => (us < 1_000 ? 0 : us < 10_000 ? 5 : us < 100_000 ? 50 : 500);
        const min = row.minUs as number;
        const max = row.maxUs as number;
        expect(Math.abs((back.minUs as number) - min)).toBeLessThanOrEqual(half(min));
        expect(Math.abs((back.maxUs as number) - max)).toBeLessThanOrEqual(half(max));
        const mean = row.sumUs / rtts.length;
        expect(Math.abs(back.sumUs / rtts.length - mean)).toBeLessThanOrEqual(Math.max(0.5, half(mean) + 0.5));
        if (max < 1_000) expect([back.minUs, back.maxUs]).toEqual([min, max]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the histogram when rounding carries min or max over a bucket edge', () => {
    // Values a µs either side of each bucket edge from 1 ms to 1 s: rounded, some cross it.
    const rows: BlockRow[] = [];
    for (let b = 41; b < 81; b += 1) {
      const edge = bucketLowerMs(b) * 1000;
      const m = rows.length;
      rows.push(rowOf(START + m * MINUTE, [Math.floor(edge) - 1, Math.floor(edge), Math.ceil(edge), Math.ceil(edge) + 1]));
    }
    rows.push(rowOf(START + rows.length * MINUTE, [Math.floor(bucketLowerMs(60) * 1000)]));
    expectRoundTrip(rows);
  });

  it('still reads blocks of format 1, written before the rounding, exactly', () => {
    // Written by the encoder of format 1 for the rows `formatOneRows` makes.
    const blob = Buffer.from(FORMAT_ONE_BLOCK, 'base64');
    const back = decodeRollupBlock(START, MINUTE, blob);
    expect(back.map(({ sumSqUs2: _, ...rest }) => rest)).toEqual(formatOneRows().map(({ sumSqUs2: _, ...rest }) => rest));
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
    // A row each costs 73 bytes; a few hundred µs of jitter at 20 ms are a few steps of 100 µs on
    // the shown grid: under 2.5 bytes, against over 4 in whole µs (format 1).
    expect(blob.length / rows.length).toBeLessThan(2.5);
    expect(encodeRollupBlock(START, MINUTE, rows, { format: 1 }).length / rows.length).toBeGreaterThan(4);
  });

  it("codes an hour's histogram counts from the hour before, exactly", () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    // 720 answers an hour spread over half a dozen buckets, a spike now and then, much as the hour before.
    const rows = Array.from({ length: 240 }, (_, h) =>
      rowOf(
        START + h * MINUTE,
        Array.from({ length: 720 }, () =>
          rand() < 0.003 ? null : Math.round((rand() < 0.005 ? 3 : 1) * (8_000 + (rand() + rand() + rand() - 1.5) * 1_500)),
        ),
      ),
    );
    expectRoundTrip(rows);
    const exact = encodeRollupBlock(START, MINUTE, rows, { format: 1, streams: {} });
    const streams: Record<string, number> = {};
    const blob = encodeRollupBlock(START, MINUTE, rows, { streams });
    expect(blob.length).toBeLessThan(0.8 * exact.length);
    expect(streams.histogram ?? 0).toBeGreaterThan(0);
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

const FORMAT_ONE_BLOCK =
  'AScMCAANIPvnAEAP/oAAET8VQACchQE/CZJyWrLYA7qdByUF5QWFkI0VTKuoeURpuqPE4FTKd7/g8njWyBKnggISmqADjkDcMWS/PeoYE2RuI40AfiMuSZ7pvqK+CqaYbQeh9i+/KXYSToCHGD3W4a6ANWyLIzDpjFlxCPOE6JjDYqk+ZtMJIULnXwnGBnDfmjq7yRzD51ixrevp48k8CnAeQgAGLcHmBCVZCAZGqBMISnRTgxH+0eePT4/TGFiMe+bUTyiJLcbbnAbMplAxQAAA';

/** The rows FORMAT_ONE_BLOCK holds: 40 minutes at 9 ms ± 0.9 ms, one gap, one single answer, one row all lost. */
function formatOneRows(): BlockRow[] {
  let s = 5;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const rows: BlockRow[] = [];
  for (let i = 0; i < 40; i += 1) {
    if (i === 7) continue;
    const n = i === 3 ? 1 : i === 9 ? 0 : 12;
    const rtts = Array.from({ length: n === 0 ? 12 : n }, () =>
      n === 0 || r() < 0.02 ? null : Math.round(9_000 + (r() + r() + r() - 1.5) * 600),
    );
    rows.push(rowOf(START + i * MINUTE, rtts));
  }
  return rows;
}
