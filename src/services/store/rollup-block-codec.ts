// One series' closed minute or hour rollups over a day or a month, packed into one BLOB (a
// "block"), column by column, like the raw sample chunks (sample-chunk-codec.ts).
//
// A rollup row costs 73 (minute) and 89 (hour) bytes as a row of its own: a key, five numbers
// stored as 8-byte floats and a histogram of five bytes per bucket. Most of it is predictable:
//
// - Buckets, count, lost, flagged: a row in the next bucket with the block's usual count and
//   nothing lost or flagged costs nothing; the others are listed as exceptions (which row, its
//   gap, count, losses and flagged answers).
// - Min, max and the mean are kept to the precision the console shows round trips at
//   (domain/monitoring/rtt-precision.ts: whole µs below 1 ms, 10 µs to 10 ms, 100 µs to 100 ms,
//   whole ms above; no printed value changes) and numbered on that grid: min as the distance
//   from the previous row's (or the block's median), the spread max − min, and the mean as its
//   distance from (min + max)/2, small for any distribution that is not lopsided. The sum read
//   back is n × that mean (below 1 ms: the mean to the µs, so the sum within n/2 µs). In whole
//   µs these three took 34 bits a minute row and 39 an hour row; on the grid 19 and 21
//   (storage-density). Format 1 kept them in whole µs (the sum as its distance from
//   n·(min + max)/2); its blocks still decode exactly as they were, and the conversion of an
//   older database writes it (rollup-blocks.ts).
// - The histogram's lowest and highest buckets are those of min and max (format 2: of the rounded
//   min and max, the few rows where rounding carried one over a bucket's edge listed with the
//   bucket it has), and its counts add up to the answers: a row whose samples share one bucket
//   costs nothing; otherwise the lowest bucket's count, then how many buckets between are used,
//   each one's distance and count (the highest holds what is left). Format 2 may give the counts
//   as their distance from the previous answered row's count in the same bucket, scaled to this
//   row's answers (predictCount), when that is smaller for the block: an hour's 720 answers fall
//   much as the hour before's did, and the histogram of an hour row went from 48 to 32 bits,
//   exactly. A row whose histogram does not fit that shape (written by hand, merged from
//   elsewhere) is kept whole as an exception at the end of the block.
// - The sum of squares, which no chart draws (it gives the standard deviation), is kept as the
//   row's standard deviation, whole µs up to 128 µs and to 1/128 of itself above (a float with a
//   7-bit mantissa): under 0.8 % of the deviation, about a byte instead of three or four for the
//   exact integer.
//
// Each stream is Rice-coded at its best k for that block, and for the signed ones from whichever
// prediction (the previous row, or the block's median) costs fewer bits: the raw codec's method.
// Blocks are read back by rollup-block-decode.ts.
import { bucketLowerMs, HISTOGRAM_SIZE } from '../../domain/monitoring/histogram';
import { roundRttUs, rttIndex, rttOfIndex } from '../../domain/monitoring/rtt-precision';
import { BitWriter, zigzag } from './bit-stream';

/** Written since round trips are kept to the shown precision; format 1 (whole µs) is still read. */
export const ROLLUP_BLOCK_FORMAT = 2;
export const ROLLUP_BLOCK_FORMAT_EXACT = 1;
/** BitWriter's escape for a long Rice quotient (bit-stream.ts): this many ones, then the value in full. */
export const ESCAPE = 24;
export const ESCAPE_BITS = 40;
/** Lower edges of the histogram's buckets in ms, for bucketOfUs. */
const EDGES_MS = Array.from({ length: HISTOGRAM_SIZE }, (_, i) => bucketLowerMs(i));

/**
 * The histogram bucket of a round trip in whole µs, by binary search over the buckets' edges
 * (bucketOf's own settling rule) instead of a logarithm and two powers: a block reads two per row.
 * Should it ever disagree with the bucket a sample was counted in, the row's histogram no longer
 * has the predicted shape and is stored whole, so nothing depends on it but the size.
 */
export function bucketOfUs(us: number): number {
  const ms = us / 1000;
  if (!(ms >= (EDGES_MS[1] as number))) return 0;
  let lo = 1;
  let hi = HISTOGRAM_SIZE - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ms >= (EDGES_MS[mid] as number)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const MAX_K = 30;
/** Standard deviations up to this many µs are kept whole; above, to 1/SD_EXACT of themselves. */
const SD_EXACT = 128;

/** One rollup row in the units the block stores: whole µs (and µs² for the sum of squares). */
export interface BlockRow {
  /** Bucket start, UTC ms. */
  bucket: number;
  count: number;
  lost: number;
  flagged: number;
  /** Over answered probes; null when none answered. */
  minUs: number | null;
  maxUs: number | null;
  sumUs: number;
  sumSqUs2: number;
  /** [histogram bucket, count] pairs in bucket order, non-empty buckets only. */
  hist: [number, number][];
}

function bestK(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  // The best Rice parameter sits near log2 of the mean: try the neighbourhood, not all 31.
  const guess = mean < 1 ? 0 : Math.floor(Math.log2(mean));
  let best = 0;
  let bestBits = Infinity;
  for (let k = Math.max(0, guess - 2); k <= Math.min(MAX_K, guess + 2); k += 1) {
    const bits = bitsOf(values, k);
    if (bits < bestBits) {
      bestBits = bits;
      best = k;
    }
  }
  return best;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  // A typed array sorts numerically without a comparator call per pair: most of an encode's time otherwise.
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1] as number;
}

/** What BitWriter.rice writes for these values at k (riceCost in bulk, the divisor worked out once). */
function bitsOf(values: readonly number[], k: number): number {
  const divisor = 2 ** k;
  let bits = 0;
  for (const v of values) {
    const q = Math.floor(v / divisor);
    bits += q < ESCAPE ? q + 1 + k : ESCAPE + ESCAPE_BITS;
  }
  return bits;
}

/** A signed stream: from its median or from the previous value, whichever is smaller; then Rice. */
function writeSigned(w: BitWriter, values: readonly number[]): void {
  const base = median(values);
  const fromBase = values.map((v) => zigzag(v - base));
  const fromPrev = values.map((v, i) => zigzag(v - (i === 0 ? base : (values[i - 1] as number))));
  const kBase = bestK(fromBase);
  const kPrev = bestK(fromPrev);
  const byPrev = bitsOf(fromPrev, kPrev) < bitsOf(fromBase, kBase);
  const k = byPrev ? kPrev : kBase;
  w.bits(byPrev ? 1 : 0, 1);
  w.varint(zigzag(base));
  w.bits(k, 5);
  for (const v of byPrev ? fromPrev : fromBase) w.rice(v, k);
}

function writeUnsigned(w: BitWriter, values: readonly number[]): void {
  const k = bestK(values);
  w.bits(k, 5);
  for (const v of values) w.rice(v, k);
}

/** A row's standard deviation (µs) as a small float: whole below SD_EXACT, 7 significant bits above. */
export function sdCode(sdUs: number): number {
  if (!(sdUs >= SD_EXACT - 0.5)) return Math.max(0, Math.round(sdUs));
  let e = Math.floor(Math.log2(sdUs / SD_EXACT)) + 1;
  let m = Math.round(sdUs / 2 ** e);
  if (m >= SD_EXACT) {
    e += 1;
    m = Math.round(sdUs / 2 ** e);
  }
  if (m < SD_EXACT / 2) {
    e -= 1;
    m = Math.round(sdUs / 2 ** e);
  }
  return (SD_EXACT / 2) * e + m;
}

export function sdOfCode(code: number): number {
  if (code < SD_EXACT) return code;
  const e = Math.floor(code / (SD_EXACT / 2)) - 1;
  return (code - (SD_EXACT / 2) * e) * 2 ** e;
}

function sdUnits(row: BlockRow, answered: number): number {
  const m2 = row.sumSqUs2 - (row.sumUs * row.sumUs) / answered;
  return sdCode(Math.sqrt(Math.max(0, m2) / answered));
}

/**
 * A histogram bucket's count predicted from the previous answered row's count there, scaled by
 * this row's answers over that row's (format 2; rollup-block-decode.ts reads with the same
 * arithmetic, so both sides round alike).
 */
export function predictCount(before: number, scale: number): number {
  return Math.round(before * scale);
}

/** A bucket's count in a row's pairs (the first pair of that bucket), 0 when it has none. */
function countIn(hist: readonly [number, number][], b: number): number {
  for (const [bucket, c] of hist) if (bucket === b) return c;
  return 0;
}

/** Whether the histogram has the shape the block predicts from min and max. */
function regularHistogram(row: BlockRow, answered: number, lo: number, hi: number): boolean {
  let total = 0;
  let last = -1;
  for (const [b, c] of row.hist) {
    if (b <= last || b < lo || b > hi || !Number.isInteger(c) || c <= 0) return false;
    last = b;
    total += c;
  }
  const first = row.hist[0];
  const tail = row.hist[row.hist.length - 1];
  return total === answered && first?.[0] === lo && tail?.[0] === hi;
}

function checkRow(row: BlockRow, start: number, unit: number): void {
  for (const field of ['count', 'lost', 'flagged', 'sumUs'] as const)
    if (!Number.isSafeInteger(row[field]) || row[field] < 0)
      throw new RangeError(`rollup row at ${row.bucket}: ${field} must be a whole number ≥ 0 (got ${row[field]})`);
  if (row.lost + row.flagged > row.count || row.lost > row.count)
    throw new RangeError(`rollup row at ${row.bucket}: more lost or flagged than probes`);
  if ((row.bucket - start) % unit !== 0 || row.bucket < start)
    throw new RangeError(`rollup row at ${row.bucket} is not a bucket of its block (${start})`);
  const answered = row.count - row.lost;
  if (answered > 0) {
    if (row.minUs === null || row.maxUs === null || !Number.isSafeInteger(row.minUs) || !Number.isSafeInteger(row.maxUs))
      throw new RangeError(`rollup row at ${row.bucket}: minUs and maxUs must be whole µs when probes answered`);
    if (row.minUs < 0 || row.maxUs < row.minUs) throw new RangeError(`rollup row at ${row.bucket}: minUs must be ≥ 0 and ≤ maxUs`);
  }
}

export interface EncodeOptions {
  /** Format 1 (whole µs) is written only to compare with: benchmarks and the tests of old blocks. */
  format?: 1 | 2;
  /** Adds each stream's bits here, by name: what a benchmark charges per row. */
  streams?: Record<string, number>;
}

/**
 * Packs rows (strictly increasing buckets, all at or after `start`, multiples of `unit` from it)
 * into one block. `start` and `unit` are the block's key and are not stored again.
 */
export function encodeRollupBlock(start: number, unit: number, rows: readonly BlockRow[], options: EncodeOptions = {}): Uint8Array {
  const n = rows.length;
  if (n === 0) throw new RangeError('a rollup block holds at least one row');
  const format = options.format ?? ROLLUP_BLOCK_FORMAT;
  const exact = format === ROLLUP_BLOCK_FORMAT_EXACT;
  // A round trip as the block stores it, and as a reader gets it back.
  const stored = (us: number): number => (exact ? us : rttIndex(roundRttUs(us)));
  const value = (s: number): number => (exact ? s : rttOfIndex(s));
  const usualCount = median(rows.map((r) => r.count));
  // Rows that differ from "next bucket, usual count, nothing lost or flagged": the exceptions.
  const odd: { at: number; gap: number; count: number; lost: number; flagged: number }[] = [];
  let prevIndex = -1;
  rows.forEach((row, i) => {
    checkRow(row, start, unit);
    const index = (row.bucket - start) / unit;
    if (index <= prevIndex) throw new RangeError(`rollup rows must be in strictly increasing buckets (at ${row.bucket})`);
    const gap = index - prevIndex - 1;
    prevIndex = index;
    if (gap !== 0 || row.count !== usualCount || row.lost !== 0 || row.flagged !== 0)
      odd.push({ at: i, gap, count: zigzag(row.count - usualCount), lost: row.lost, flagged: row.flagged });
  });
  const answeredRows = rows.filter((r) => r.count - r.lost > 0);
  const mins: number[] = [];
  const spreads: number[] = [];
  const sums: number[] = [];
  const sds: number[] = [];
  const firstCounts: number[] = [];
  const midUsed: number[] = [];
  const midSkips: number[] = [];
  const midCounts: number[] = [];
  // The same counts as their distance from the previous answered row's count in that bucket,
  // scaled to this row's answers: an hour's 720 answers fall much as the hour before's did.
  const firstFromPrev: number[] = [];
  const midFromPrev: number[] = [];
  let prevHist: readonly [number, number][] = [];
  let prevAnswered = 1;
  const irregular: number[] = [];
  /** Format 2: [answered row, its lowest bucket's and highest bucket's distance from the rounded min's and max's]. */
  const fixes: [number, number, number][] = [];
  answeredRows.forEach((row, i) => {
    const a = row.count - row.lost;
    const min = row.minUs as number;
    const max = row.maxUs as number;
    const before = prevHist;
    const scale = a / prevAnswered;
    const fromPrev = (b: number, c: number) => zigzag(c - predictCount(countIn(before, b), scale));
    prevHist = row.hist;
    prevAnswered = a;
    const minS = stored(min);
    const maxS = stored(max);
    mins.push(minS);
    const minV = value(minS);
    const maxV = value(maxS);
    const predLo = bucketOfUs(minV);
    const predHi = maxV === minV ? predLo : bucketOfUs(maxV);
    let lo = predLo;
    let hi = predHi;
    // Rounding may carry min or max over a bucket's edge the exact value was under: one bucket at most.
    const first = row.hist[0]?.[0];
    const last = row.hist[row.hist.length - 1]?.[0];
    if (!exact && first !== undefined && last !== undefined && first <= last && Math.abs(first - lo) <= 1 && Math.abs(last - hi) <= 1) {
      lo = first;
      hi = last;
    }
    const fix = () => {
      if (lo !== predLo || hi !== predHi) fixes.push([i, lo - predLo, hi - predHi]);
    };
    if (a === 1) {
      // One answer: max, sum and histogram follow from min; only a mismatch is worth bits.
      if (max !== min || row.sumUs !== min || !regularHistogram(row, 1, lo, hi)) irregular.push(i);
      else fix();
      return;
    }
    spreads.push(maxS - minS);
    sums.push(
      exact ? row.sumUs - Math.floor((a * (min + max)) / 2) : stored(Math.round(row.sumUs / a)) - stored(Math.floor((minV + maxV) / 2)),
    );
    sds.push(sdUnits(row, a));
    if (!regularHistogram(row, a, lo, hi)) {
      irregular.push(i);
      return;
    }
    fix();
    if (lo === hi) return;
    firstCounts.push((row.hist[0] as [number, number])[1] - 1);
    firstFromPrev.push(fromPrev(lo, (row.hist[0] as [number, number])[1]));
    if (hi - lo < 2) return;
    // Middle buckets: how many are used, then each one's distance from the last and its count.
    const middle = row.hist.slice(1, -1);
    midUsed.push(middle.length);
    let at = lo;
    for (const [b, c] of middle) {
      midSkips.push(b - at - 1);
      midCounts.push(c - 1);
      midFromPrev.push(fromPrev(b, c));
      at = b;
    }
  });

  const w = new BitWriter(32 + n * 4);
  let marked = 0;
  const charge = (name: string) => {
    if (options.streams) options.streams[name] = (options.streams[name] ?? 0) + w.bitLength - marked;
    marked = w.bitLength;
  };
  w.varint(format);
  w.varint(n);
  w.varint(usualCount);
  w.varint(odd.length);
  w.varint(irregular.length);
  charge('header');
  writeUnsigned(
    w,
    odd.map((o, i) => o.at - (i === 0 ? 0 : (odd[i - 1] as { at: number }).at + 1)),
  );
  for (const key of ['gap', 'count', 'lost', 'flagged'] as const)
    writeUnsigned(
      w,
      odd.map((o) => o[key]),
    );
  charge('counts');
  // Which answered rows are exceptions, before the streams whose length depends on it.
  irregular.forEach((index, e) => w.varint(index - (e === 0 ? 0 : (irregular[e - 1] as number) + 1)));
  if (!exact) {
    w.varint(fixes.length);
    fixes.forEach(([index, dLo, dHi], f) => {
      w.varint(index - (f === 0 ? 0 : (fixes[f - 1] as [number, number, number])[0] + 1));
      w.bits(dLo + 1, 2);
      w.bits(dHi + 1, 2);
    });
  }
  charge('exceptions');
  writeSigned(w, mins);
  charge('min');
  writeSigned(w, spreads);
  charge('spread');
  writeSigned(w, sums);
  charge('sum');
  writeSigned(w, sds);
  charge('sd');
  // Format 2: the counts as they are, or from the previous row's, whichever is smaller for the block.
  const costOf = (values: readonly number[]) => bitsOf(values, bestK(values));
  const byPrev = !exact && costOf(firstFromPrev) + costOf(midFromPrev) < costOf(firstCounts) + costOf(midCounts);
  if (!exact) w.bits(byPrev ? 1 : 0, 1);
  writeUnsigned(w, byPrev ? firstFromPrev : firstCounts);
  writeUnsigned(w, midUsed);
  writeUnsigned(w, midSkips);
  writeUnsigned(w, byPrev ? midFromPrev : midCounts);
  // The exceptions' histograms and, for a single answer, its max and sum.
  for (const index of irregular) {
    const row = answeredRows[index] as BlockRow;
    if (row.count - row.lost === 1) {
      w.varint(stored(row.maxUs as number));
      w.varint(stored(row.sumUs));
    }
    w.varint(row.hist.length);
    for (const [b, c] of row.hist) {
      w.varint(b);
      w.varint(c);
    }
  }
  const out = w.finish();
  charge('histogram');
  return out;
}
