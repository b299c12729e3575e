// A fixed log-scale histogram of round-trip times. Every rollup uses the same buckets, so
// rollups merge by adding counts and percentiles come out within one bucket's width (about 19 %).

/** Lower edge of the first log bucket; anything faster lands in bucket 0. */
export const HISTOGRAM_MIN_MS = 0.01;
/** Buckets per doubling: 2^(1/4) ≈ 1.19, so an estimate is off by at most ~19 %. */
export const BUCKETS_PER_DOUBLING = 4;
/** 20 doublings from 0.01 ms reach about 10.5 s, past any probe deadline; the last bucket is open. */
const LOG_BUCKETS = 20 * BUCKETS_PER_DOUBLING;
export const HISTOGRAM_SIZE = LOG_BUCKETS + 2;

/** Lower edge of bucket `i` in ms (bucket 0 starts at 0). */
export function bucketLowerMs(i: number): number {
  if (i <= 0) return 0;
  return HISTOGRAM_MIN_MS * 2 ** ((i - 1) / BUCKETS_PER_DOUBLING);
}

/** Upper edge of bucket `i` in ms; the last bucket has none. */
export function bucketUpperMs(i: number): number {
  return i >= HISTOGRAM_SIZE - 1 ? Number.POSITIVE_INFINITY : bucketLowerMs(i + 1);
}

export function bucketOf(rttMs: number): number {
  if (!(rttMs >= HISTOGRAM_MIN_MS)) return 0;
  const i = Math.floor(Math.log2(rttMs / HISTOGRAM_MIN_MS) * BUCKETS_PER_DOUBLING) + 1;
  // Floating point can put an exact edge one bucket low or high; settle it against the edges.
  let b = Math.min(Math.max(i, 1), HISTOGRAM_SIZE - 1);
  if (b > 1 && rttMs < bucketLowerMs(b)) b -= 1;
  else if (b < HISTOGRAM_SIZE - 1 && rttMs >= bucketLowerMs(b + 1)) b += 1;
  return b;
}

/**
 * Sparse binary form for SQLite: (bucket index as one byte, count as four bytes little-endian)
 * per non-empty bucket. A minute of 5 s probes fills a dozen buckets at most, so this is a few
 * dozen bytes where a dense array would be hundreds, on every rollup row.
 */
export function encodeHistogram(counts: readonly number[]): Uint8Array {
  let used = 0;
  for (const c of counts) if (c > 0) used += 1;
  const out = new Uint8Array(used * 5);
  const view = new DataView(out.buffer);
  let at = 0;
  counts.forEach((c, i) => {
    if (c <= 0) return;
    out[at] = i;
    view.setUint32(at + 1, Math.min(c, 0xffffffff), true);
    at += 5;
  });
  return out;
}

/** Reads the sparse form back; malformed bytes (a torn or foreign blob) are ignored, not thrown. */
export function decodeHistogram(bytes: Uint8Array | null | undefined, into?: number[]): number[] {
  const counts = into ?? new Array<number>(HISTOGRAM_SIZE).fill(0);
  if (!bytes) return counts;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 5 <= bytes.length; at += 5) {
    const i = bytes[at] ?? 0;
    if (i < HISTOGRAM_SIZE) counts[i] = (counts[i] ?? 0) + view.getUint32(at + 1, true);
  }
  return counts;
}

/**
 * Reads the sparse form as [bucket, count] pairs in bucket order, merging repeats, without the
 * dense array: what a chart point carries. Malformed bytes are ignored like decodeHistogram does.
 */
export function decodeHistogramPairs(bytes: Uint8Array | null | undefined): [number, number][] {
  const out: [number, number][] = [];
  if (!bytes) return out;
  let sorted = true;
  for (let at = 0; at + 5 <= bytes.length; at += 5) {
    const i = bytes[at] ?? 0;
    // Little-endian by hand: a DataView per row costs more than the few bytes it reads.
    const c = ((bytes[at + 1] ?? 0) | ((bytes[at + 2] ?? 0) << 8) | ((bytes[at + 3] ?? 0) << 16)) + (bytes[at + 4] ?? 0) * 0x1000000;
    if (i >= HISTOGRAM_SIZE || c === 0) continue;
    const last = out[out.length - 1];
    if (last && last[0] >= i) sorted = false;
    out.push([i, c]);
  }
  // Our encoder writes ascending buckets; anything else is summed back into order.
  return sorted ? out : pairsOf(decodeHistogram(bytes));
}

/** Non-empty buckets of a dense histogram as [bucket, count] pairs. */
export function pairsOf(counts: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < counts.length; i += 1) {
    const c = counts[i] ?? 0;
    if (c > 0) out.push([i, c]);
  }
  return out;
}

/**
 * The sum of two histograms in the sparse form, byte for byte what
 * `encodeHistogram(decodeHistogram(b, decodeHistogram(a)))` gives, without the two dense arrays:
 * the hour rollups merge a minute into their histogram this way once a minute per series. Our
 * encoder writes buckets in ascending order; anything else takes the dense way.
 */
export function mergeEncodedHistograms(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): Uint8Array {
  const la = a ? a.length - (a.length % 5) : 0;
  const lb = b ? b.length - (b.length % 5) : 0;
  if (!ascending(a, la) || !ascending(b, lb)) return encodeHistogram(decodeHistogram(b, decodeHistogram(a)));
  const out = new Uint8Array(la + lb);
  let o = 0;
  let i = 0;
  let j = 0;
  while (i < la || j < lb) {
    const ia = i < la && a ? (a[i] as number) : 256;
    const ib = j < lb && b ? (b[j] as number) : 256;
    const index = Math.min(ia, ib);
    // Ascending: every bucket after one out of range is out of range too.
    if (index >= HISTOGRAM_SIZE) break;
    let c = 0;
    if (ia === index && a) {
      c += readCount(a, i + 1);
      i += 5;
    }
    if (ib === index && b) {
      c += readCount(b, j + 1);
      j += 5;
    }
    if (c <= 0) continue;
    const clamped = Math.min(c, 0xffffffff);
    out[o] = index;
    out[o + 1] = clamped & 0xff;
    out[o + 2] = (clamped >>> 8) & 0xff;
    out[o + 3] = (clamped >>> 16) & 0xff;
    out[o + 4] = (clamped >>> 24) & 0xff;
    o += 5;
  }
  return out.subarray(0, o);
}

function ascending(bytes: Uint8Array | null | undefined, length: number): boolean {
  if (!bytes) return true;
  for (let at = 5; at < length; at += 5) if ((bytes[at] as number) <= (bytes[at - 5] as number)) return false;
  return true;
}

function readCount(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) + (bytes[at + 3] as number) * 0x1000000
  );
}
