// Reading rollup blocks (rollup-block-codec.ts writes them): whole blocks into rows, or into
// columns that a cache can keep (rollup-block-cache.ts) and a read turns into rows for just the
// range it wants. Both formats: 2 (round trips on the shown grid, counts maybe from the row
// before) and 1 (whole µs), which databases and snapshots written before format 2 hold.
import { HISTOGRAM_SIZE } from '../../domain/monitoring/histogram';
import { roundRttUs, rttIndex, rttOfIndex } from '../../domain/monitoring/rtt-precision';
import { BlockReader } from './block-reader';
import { bucketOfUs, predictCount, ROLLUP_BLOCK_FORMAT, ROLLUP_BLOCK_FORMAT_EXACT, sdOfCode, type BlockRow } from './rollup-block-codec';

function readSigned(r: BlockReader, n: number): number[] {
  const byPrev = r.bits(1) === 1;
  const base = unzigzag(r.varint());
  const k = r.bits(5);
  const out = new Array<number>(n);
  let prev = base;
  for (let i = 0; i < n; i += 1) {
    const v = (byPrev ? prev : base) + unzigzag(r.rice(k));
    out[i] = v;
    prev = v;
  }
  return out;
}

function readUnsigned(r: BlockReader, n: number): number[] {
  const k = r.bits(5);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i += 1) out[i] = r.rice(k);
  return out;
}

/**
 * A decoded block, column by column: row i's histogram pairs are histBucket and histCount from
 * histAt[i] to histAt[i + 1]. Typed arrays over one ArrayBuffer hold it outside the JavaScript
 * object graph, 130 (minute) to 200 (hour) bytes a row against about 950 as row objects, so a
 * cache can keep blocks without the collector copying or walking them (rollup-block-cache.ts),
 * and a read makes objects only for the rows it returns (rowsOfColumns).
 */
export interface BlockColumns {
  readonly length: number;
  readonly bucket: Float64Array;
  readonly count: Float64Array;
  readonly lost: Float64Array;
  readonly flagged: Float64Array;
  /** NaN where no probe answered (null in a row), as maxUs. */
  readonly minUs: Float64Array;
  readonly maxUs: Float64Array;
  readonly sumUs: Float64Array;
  /**
   * The standard deviation's code (sdCode) where more than one probe answered, else NaN: the sum
   * of squares is worked out from it only for the rows that want it (rowsOfColumns); a chart,
   * which draws no deviation, never pays for it.
   */
  readonly sdCode: Float64Array;
  readonly histAt: Uint32Array;
  /**
   * Integer arrays, not floats: a pair made from a float array's values is an array of doubles to
   * V8, unlike the small-integer pairs every other histogram is made of, and code meeting both
   * kinds of array takes slower, more general paths.
   */
  readonly histBucket: Uint32Array;
  readonly histCount: Uint32Array;
}

/** Bytes a decoded block's columns take (they share one buffer). */
export function columnsBytes(c: BlockColumns): number {
  return c.bucket.buffer.byteLength;
}

/** Unpacks a block made by encodeRollupBlock; throws on a damaged or foreign blob rather than inventing rows. */
export function decodeRollupBlock(start: number, unit: number, blob: Uint8Array): BlockRow[] {
  const columns = decodeRollupColumns(start, unit, blob);
  return rowsOfColumns(columns, 0, columns.length);
}

/** The rows at indexes [first, end) of decoded columns, as fresh objects the caller owns. */
export function rowsOfColumns(c: BlockColumns, first: number, end: number): BlockRow[] {
  const rows = new Array<BlockRow>(Math.max(0, end - first));
  for (let i = first; i < end; i += 1) {
    const from = c.histAt[i] as number;
    const to = c.histAt[i + 1] as number;
    const hist = new Array<[number, number]>(to - from);
    for (let h = from; h < to; h += 1) hist[h - from] = [c.histBucket[h] as number, c.histCount[h] as number];
    const min = c.minUs[i] as number;
    const max = c.maxUs[i] as number;
    const sum = c.sumUs[i] as number;
    const code = c.sdCode[i] as number;
    const a = (c.count[i] as number) - (c.lost[i] as number);
    let sumSq = sum * sum;
    if (!Number.isNaN(code)) {
      const sd = sdOfCode(code);
      sumSq = a * sd * sd + sumSq / a;
    }
    // A literal, not a spread of shared fields: V8 builds a spread object on a slow path, and
    // that was most of a chart's time here.
    rows[i - first] = {
      bucket: c.bucket[i] as number,
      count: c.count[i] as number,
      lost: c.lost[i] as number,
      flagged: c.flagged[i] as number,
      minUs: Number.isNaN(min) ? null : min,
      maxUs: Number.isNaN(max) ? null : max,
      sumUs: sum,
      sumSqUs2: sumSq,
      hist,
    };
  }
  return rows;
}

/** The index of the first row whose bucket is at or after `at`. */
export function columnsIndexOf(c: BlockColumns, at: number): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((c.bucket[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Unpacks a block into columns; throws on a damaged or foreign blob rather than inventing rows.
 * Every stream is read whatever range is wanted (each one runs the block's length, and a row's
 * values depend on the rows before it). The streams are read into plain arrays, which the young
 * generation sweeps away for nothing; the columns kept go into one ArrayBuffer, allocated once the
 * histograms' size is known: buffers are allocated and freed outside the JavaScript heap, and a
 * dozen of them per block (one per stream) doubled a cold chart's time in collections.
 */
export function decodeRollupColumns(start: number, unit: number, blob: Uint8Array): BlockColumns {
  const r = new BlockReader(blob);
  const format = r.varint();
  if (format !== ROLLUP_BLOCK_FORMAT && format !== ROLLUP_BLOCK_FORMAT_EXACT) throw new RangeError(`unknown rollup block format ${format}`);
  // Format 2 numbers round trips on the shown grid (rtt-precision.ts); format 1 holds whole µs.
  const exact = format === ROLLUP_BLOCK_FORMAT_EXACT;
  const value = (stored: number): number => {
    if (stored < 0) throw new RangeError('rollup block round trip out of range');
    return exact ? stored : rttOfIndex(stored);
  };
  const n = r.varint();
  const usualCount = r.varint();
  const oddCount = r.varint();
  const irregularCount = r.varint();
  if (n > 1_000_000 || oddCount > n || irregularCount > n) throw new RangeError('rollup block header out of range');
  const oddAt = readUnsigned(r, oddCount);
  const oddGap = readUnsigned(r, oddCount);
  const oddCountOf = readUnsigned(r, oddCount);
  const oddLost = readUnsigned(r, oddCount);
  const oddFlagged = readUnsigned(r, oddCount);
  const gaps = new Array<number>(n).fill(0);
  const counts = new Array<number>(n).fill(usualCount);
  const lost = new Array<number>(n).fill(0);
  const flagged = new Array<number>(n).fill(0);
  for (let o = 0, at = -1; o < oddCount; o += 1) {
    at += (oddAt[o] as number) + 1;
    if (at >= n) throw new RangeError('rollup block exception past its end');
    gaps[at] = oddGap[o] as number;
    counts[at] = usualCount + unzigzag(oddCountOf[o] as number);
    lost[at] = oddLost[o] as number;
    flagged[at] = oddFlagged[o] as number;
  }
  let answeredCount = 0;
  let multiCount = 0;
  for (let i = 0; i < n; i += 1) {
    const a = (counts[i] as number) - (lost[i] as number);
    if (a < 0) throw new RangeError('rollup block counts out of range');
    if (a > 0) answeredCount += 1;
    if (a > 1) multiCount += 1;
  }
  // Which answered rows are exceptions, in increasing order.
  const irregular = new Array<number>(irregularCount);
  const isIrregular = new Array<boolean>(answeredCount).fill(false);
  for (let e = 0, index = -1; e < irregularCount; e += 1) {
    index += r.varint() + 1;
    if (index >= answeredCount) throw new RangeError('rollup block exception past its end');
    irregular[e] = index;
    isIrregular[index] = true;
  }
  // Format 2: rows whose lowest or highest bucket is one off that of the rounded min or max.
  const fixCount = exact ? 0 : r.varint();
  if (fixCount > answeredCount) throw new RangeError('rollup block header out of range');
  const fixLo = new Map<number, number>();
  const fixHi = new Map<number, number>();
  for (let f = 0, index = -1; f < fixCount; f += 1) {
    index += r.varint() + 1;
    if (index >= answeredCount) throw new RangeError('rollup block exception past its end');
    fixLo.set(index, r.bits(2) - 1);
    fixHi.set(index, r.bits(2) - 1);
  }
  const mins = readSigned(r, answeredCount);
  const spreads = readSigned(r, multiCount);
  const sums = readSigned(r, multiCount);
  const sds = readSigned(r, multiCount);
  // The histogram streams' lengths follow from min and max of the regular rows.
  const maxes = new Array<number>(answeredCount);
  const los = new Array<number>(answeredCount);
  const his = new Array<number>(answeredCount);
  const answeredOf = new Array<number>(answeredCount);
  let firstNeeded = 0;
  let midRows = 0;
  for (let i = 0, j = 0, multi = 0; i < n; i += 1) {
    const a = (counts[i] as number) - (lost[i] as number);
    if (a === 0) continue;
    const min = value(mins[j] as number);
    const max = a > 1 ? value((mins[j] as number) + (spreads[multi++] as number)) : min;
    if (max < min) throw new RangeError('rollup block spread out of range');
    const lo = bucketOfUs(min) + (fixLo.get(j) ?? 0);
    const hi = (max === min ? bucketOfUs(min) : bucketOfUs(max)) + (fixHi.get(j) ?? 0);
    if (lo < 0 || hi < lo || hi >= HISTOGRAM_SIZE) throw new RangeError('rollup block histogram out of range');
    mins[j] = min;
    maxes[j] = max;
    los[j] = lo;
    his[j] = hi;
    answeredOf[j] = a;
    if (a > 1 && !isIrregular[j] && lo !== hi) {
      firstNeeded += 1;
      if (hi - lo >= 2) midRows += 1;
    }
    j += 1;
  }
  // Format 2: whether the counts are distances from the previous answered row's (predictedCount).
  const countsByPrev = !exact && r.bits(1) === 1;
  const firstCounts = readUnsigned(r, firstNeeded);
  const midUsed = readUnsigned(r, midRows);
  let midTotal = 0;
  for (const used of midUsed) midTotal += used;
  if (midTotal > n * HISTOGRAM_SIZE) throw new RangeError('rollup block histogram out of range');
  const midSkips = readUnsigned(r, midTotal);
  const midCounts = readUnsigned(r, midTotal);
  // The exceptions: a single answer's max and sum, and every exception's histogram.
  const exceptionMax = new Array<number>(irregularCount);
  const exceptionSum = new Array<number>(irregularCount);
  const exceptionAt = new Array<number>(irregularCount + 1).fill(0);
  const exceptionPairs: number[] = [];
  for (let e = 0; e < irregularCount; e += 1) {
    const single = answeredOf[irregular[e] as number] === 1;
    exceptionMax[e] = single ? value(r.varint()) : 0;
    exceptionSum[e] = single ? value(r.varint()) : 0;
    const length = r.varint();
    if (length > HISTOGRAM_SIZE) throw new RangeError('rollup block histogram out of range');
    for (let h = 0; h < length; h += 1) exceptionPairs.push(r.varint(), r.varint());
    exceptionAt[e + 1] = exceptionPairs.length >> 1;
  }

  // Regular rows hold one pair when min and max share a bucket, else the first, the middle ones
  // and the last.
  const pairs = answeredCount - irregularCount + firstNeeded + midTotal + (exceptionPairs.length >> 1);
  const buffer = new ArrayBuffer(8 * 8 * n + 4 * (n + 1) + 2 * 4 * pairs);
  const numbers = new Float64Array(buffer, 0, 8 * n);
  const column = (c: number) => numbers.subarray(c * n, (c + 1) * n);
  const columns: BlockColumns = {
    length: n,
    bucket: column(0),
    count: column(1),
    lost: column(2),
    flagged: column(3),
    minUs: column(4),
    maxUs: column(5),
    sumUs: column(6),
    sdCode: column(7),
    histAt: new Uint32Array(buffer, 8 * 8 * n, n + 1),
    histBucket: new Uint32Array(buffer, 8 * 8 * n + 4 * (n + 1), pairs),
    histCount: new Uint32Array(buffer, 8 * 8 * n + 4 * (n + 1) + 4 * pairs, pairs),
  };
  const { histAt, histBucket, histCount } = columns;
  let p = 0;
  const pair = (b: number, c: number) => {
    // A typed array drops a write past its end, and wraps a value past its range, without a
    // word: refuse both rather than lose or change a pair.
    if (p >= pairs || b > 0xffff_ffff || c > 0xffff_ffff) throw new RangeError('rollup block histogram out of range');
    histBucket[p] = b;
    histCount[p] = c;
    p += 1;
  };
  let index = -1;
  let firstAt = 0;
  let usedAt = 0;
  let midAt = 0;
  let e = 0;
  // The previous answered row's pairs and answers, which countsByPrev predicts from.
  let prevFrom = 0;
  let prevTo = 0;
  let prevAnswered = 1;
  const countOf = (stored: number, b: number, scale: number): number => {
    if (!countsByPrev) return stored + 1;
    let before = 0;
    for (let h = prevFrom; h < prevTo; h += 1)
      if (histBucket[h] === b) {
        before = histCount[h] as number;
        break;
      }
    const c = predictCount(before, scale) + unzigzag(stored);
    if (c < 1) throw new RangeError('rollup block histogram out of range');
    return c;
  };
  for (let i = 0, j = 0, multi = 0; i < n; i += 1) {
    index += (gaps[i] as number) + 1;
    const a = (counts[i] as number) - (lost[i] as number);
    columns.bucket[i] = start + index * unit;
    columns.count[i] = counts[i] as number;
    columns.lost[i] = lost[i] as number;
    columns.flagged[i] = flagged[i] as number;
    if (a === 0) {
      columns.minUs[i] = Number.NaN;
      columns.maxUs[i] = Number.NaN;
      columns.sdCode[i] = Number.NaN;
      histAt[i + 1] = p;
      continue;
    }
    const min = mins[j] as number;
    const exception = e < irregularCount && irregular[e] === j ? e++ : -1;
    const lo = los[j] as number;
    const hi = his[j] as number;
    let max = maxes[j] as number;
    j += 1;
    let sum: number;
    if (a === 1) {
      max = exception < 0 ? min : (exceptionMax[exception] as number);
      sum = exception < 0 ? min : (exceptionSum[exception] as number);
      columns.sdCode[i] = Number.NaN;
    } else {
      // Format 2 holds the mean's distance from the middle of min and max, on the grid.
      sum = exact
        ? (sums[multi] as number) + Math.floor((a * (min + max)) / 2)
        : a * value((sums[multi] as number) + rttIndexOfMiddle(min, max));
      columns.sdCode[i] = sds[multi] as number;
      multi += 1;
    }
    columns.minUs[i] = min;
    columns.maxUs[i] = max;
    columns.sumUs[i] = sum;
    const rowFrom = p;
    const scale = a / prevAnswered;
    if (exception >= 0) {
      for (let h = exceptionAt[exception] as number; h < (exceptionAt[exception + 1] as number); h += 1)
        pair(exceptionPairs[2 * h] as number, exceptionPairs[2 * h + 1] as number);
    } else if (lo === hi) pair(lo, a);
    else {
      const first = countOf(firstCounts[firstAt++] as number, lo, scale);
      pair(lo, first);
      let left = a - first;
      if (hi - lo >= 2) {
        let b = lo;
        const used = midUsed[usedAt++] as number;
        for (let u = 0; u < used; u += 1) {
          b += (midSkips[midAt] as number) + 1;
          const c = countOf(midCounts[midAt] as number, b, scale);
          midAt += 1;
          if (b >= hi) throw new RangeError('rollup block histogram out of range');
          pair(b, c);
          left -= c;
        }
      }
      if (left <= 0) throw new RangeError('rollup block histogram does not add up');
      pair(hi, left);
    }
    histAt[i + 1] = p;
    prevFrom = rowFrom;
    prevTo = p;
    prevAnswered = a;
  }
  if (p !== pairs) throw new RangeError('rollup block histogram does not add up');
  return columns;
}

/** The grid index of the middle of min and max, which the mean's stream is the distance from. */
function rttIndexOfMiddle(min: number, max: number): number {
  return rttIndex(roundRttUs(Math.floor((min + max) / 2)));
}

function unzigzag(v: number): number {
  return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
}
