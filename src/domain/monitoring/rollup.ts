// The summary a chart point and a rollup row hold: enough for mean, standard deviation,
// min/max band, loss, and percentiles from the histogram (the Smokeping-style smoke).
import { bucketLowerMs, bucketOf, bucketUpperMs, HISTOGRAM_SIZE } from './histogram';
import { isFlaggedCode } from './sample';

export interface Rollup {
  /** Probes sent, answered or not. */
  count: number;
  lost: number;
  /** Answered with a flagged SIP code (5xx, 6xx): alive but not well. */
  flagged: number;
  /** Over answered probes only; null while none answered. */
  minMs: number | null;
  maxMs: number | null;
  sumMs: number;
  sumSqMs: number;
  /** Answered probes per bucket of the fixed log-scale histogram. */
  hist: number[];
}

export function emptyRollup(): Rollup {
  return { count: 0, lost: 0, flagged: 0, minMs: null, maxMs: null, sumMs: 0, sumSqMs: 0, hist: new Array<number>(HISTOGRAM_SIZE).fill(0) };
}

/** Adds one probe outcome in place (the hot path of ingest, so no copying). */
export function addSample(r: Rollup, rttMs: number | null, code?: number): Rollup {
  r.count += 1;
  if (rttMs === null || !Number.isFinite(rttMs) || rttMs < 0) {
    r.lost += 1;
    return r;
  }
  if (isFlaggedCode(code)) r.flagged += 1;
  r.minMs = r.minMs === null ? rttMs : Math.min(r.minMs, rttMs);
  r.maxMs = r.maxMs === null ? rttMs : Math.max(r.maxMs, rttMs);
  r.sumMs += rttMs;
  r.sumSqMs += rttMs * rttMs;
  const b = bucketOf(rttMs);
  r.hist[b] = (r.hist[b] ?? 0) + 1;
  return r;
}

/** A new rollup holding both; neither input changes. Commutative and associative. */
export function mergeRollups(a: Rollup, b: Rollup): Rollup {
  return mergeInto(mergeInto(emptyRollup(), a), b);
}

/** Adds `from` into `into` in place and returns `into`. */
export function mergeInto(into: Rollup, from: Rollup): Rollup {
  into.count += from.count;
  into.lost += from.lost;
  into.flagged += from.flagged;
  into.minMs = minOf(into.minMs, from.minMs);
  into.maxMs = maxOf(into.maxMs, from.maxMs);
  into.sumMs += from.sumMs;
  into.sumSqMs += from.sumSqMs;
  for (let i = 0; i < HISTOGRAM_SIZE; i += 1) into.hist[i] = (into.hist[i] ?? 0) + (from.hist[i] ?? 0);
  return into;
}

export const answered = (r: Rollup): number => r.count - r.lost;

export function lossPct(r: Rollup): number {
  return r.count === 0 ? 0 : (100 * r.lost) / r.count;
}

export function meanMs(r: Rollup): number | null {
  const n = answered(r);
  return n === 0 ? null : r.sumMs / n;
}

export function stddevMs(r: Rollup): number | null {
  const n = answered(r);
  if (n === 0) return null;
  const mean = r.sumMs / n;
  // Rounding can take the variance a hair below zero for identical values.
  return Math.sqrt(Math.max(0, r.sumSqMs / n - mean * mean));
}

/**
 * The q-th percentile (0..1) estimated from the histogram: the bucket holding that rank,
 * interpolated geometrically inside it (the buckets are log-spaced), clamped to the observed
 * min and max so the estimate never leaves the data.
 */
export function percentileMs(r: Rollup, q: number): number | null {
  return percentileOfHistogram(r.hist, q, r.minMs, r.maxMs);
}

export function percentileOfHistogram(hist: readonly number[], q: number, minMs: number | null, maxMs: number | null): number | null {
  const total = hist.reduce((s, c) => s + c, 0);
  if (total === 0 || minMs === null || maxMs === null) return null;
  const rank = Math.min(Math.max(q, 0), 1) * (total - 1);
  let seen = 0;
  for (let i = 0; i < hist.length; i += 1) {
    const c = hist[i] ?? 0;
    if (c === 0) continue;
    if (rank < seen + c) return withinBucket(i, c, rank - seen, minMs, maxMs);
    seen += c;
  }
  return maxMs;
}

/**
 * The same estimate from the sparse form ([bucket, count] in bucket order, as chart points carry
 * it): a chart step holds a dozen non-empty buckets, so this skips the 82-slot dense array.
 */
export function percentileOfPairs(
  pairs: readonly (readonly [number, number])[],
  q: number,
  minMs: number | null,
  maxMs: number | null,
): number | null {
  let total = 0;
  for (const [, c] of pairs) total += c;
  if (total === 0 || minMs === null || maxMs === null) return null;
  const rank = Math.min(Math.max(q, 0), 1) * (total - 1);
  let seen = 0;
  for (const [i, c] of pairs) {
    if (c <= 0) continue;
    if (rank < seen + c) return withinBucket(i, c, rank - seen, minMs, maxMs);
    seen += c;
  }
  return maxMs;
}

/** Interpolates rank `into` (0-based) among the `c` values of bucket `i`. */
function withinBucket(i: number, c: number, into: number, minMs: number, maxMs: number): number {
  const lo = Math.max(bucketLowerMs(i), minMs);
  const hi = Math.min(bucketUpperMs(i), maxMs);
  const frac = c === 1 ? 0.5 : Math.min(into / (c - 1), 1);
  // Geometric inside the log buckets; bucket 0 starts at zero, so linear there.
  const geometric = i > 0 && lo > 0 && hi > lo ? lo * (hi / lo) ** frac : Number.NaN;
  const value = Number.isFinite(geometric) ? geometric : lo + (hi - lo) * frac;
  return Math.min(Math.max(value, minMs), maxMs);
}

/** Several percentiles at once, for the smoke bands (e.g. [0.1, 0.25, 0.5, 0.75, 0.9]). */
export function quantilesMs(r: Rollup, qs: readonly number[]): (number | null)[] {
  return qs.map((q) => percentileMs(r, q));
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.max(a, b);
}
