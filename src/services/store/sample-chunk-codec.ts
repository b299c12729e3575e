// One series' raw samples over a few minutes, packed into a few hundred bytes (a "chunk").
//
// A raw row in SQLite costs about 21 bytes (key, record header, page slack) for what is, in
// information, a timestamp on a 5 s grid, a round trip that jitters around its usual value and a
// code that is nearly always the same. The chunk stores only what is not predictable:
//
// - Timestamps: the scheduler stamps a probe with the time its slot fired, so samples sit on a
//   grid of the interval plus a few milliseconds of timer lateness. Each one is stored as its
//   distance from the predicted slot (previous slot + the chunk's usual step); a distance past
//   REBASE (probing restarted, the interval changed) moves the grid to the sample. This beats
//   Gorilla's delta-of-delta, which doubles the lateness' spread by subtracting two of them.
//   The grid starts at the first sample, whose own lateness makes the others' distances two-sided;
//   since format 3 the distances are stored less the chunk's least (a timer is late, never early),
//   one-sided, when that is smaller: about 1.9 bits a sample instead of 2.2.
// - Round trips rounded to what the console shows of them (domain/monitoring/rtt-precision.ts:
//   whole µs below 1 ms, 10 µs to 10 ms, 100 µs to 100 ms, whole ms above, so no printed value
//   changes) and numbered on that grid, as the distance from the chunk's median, or from the
//   previous round trip when that is smaller for the chunk (a drifting path). Numbered, a 2 %
//   jitter on a 20 ms path is a few steps instead of a few hundred µs: 1.09 bytes a sample
//   against 1.51 (storage-codecs). Format 1 (before this rounding) kept whole µs; its chunks
//   still decode as they were, and the conversion of an older database writes it (samples-chunks.ts).
// - Losses and codes as exceptions to the chunk's usual code: a gap to the previous exception and
//   what it was, so a chunk of all "200 OK" pays nothing per sample for them.
//
// Each stream is Rice-coded (zig-zag, then a unary quotient and k low bits) with the k that makes
// that stream of that chunk smallest, found by trying them all: near the entropy for the
// two-sided, peaked distributions these residuals have, at a few µs per chunk. A spike's long
// quotient is cut short after 8 ones since format 3 and written as its length and bits
// (bit-stream.ts SHORT_ESCAPE), not after 24 ones and 40 bits: 0.16 bits a sample less.
//
// Weighed against general-purpose compression (`npm run bench -- storage-codecs`, the same chunks):
// deflate (level 9) and brotli (quality 11) over the same residuals written as byte varints take
// 1.76 and 1.49 bytes a sample against this codec's 1.09 (1.51 in format 1, whole µs), because
// jittered round trips are noise to a dictionary coder; zstd from the registry is a native addon
// that would need its own build for Electron's ABI, like better-sqlite3. This encoding is plain
// TypeScript, decodes a 15-minute chunk in microseconds and needs nothing to ship.
import { roundRttUs, rttIndex, rttOfIndex } from '../../domain/monitoring/rtt-precision';
import { bestRiceK, BitReader, BitWriter, LONG_ESCAPE, SHORT_ESCAPE, zigzag, type Escape } from './bit-stream';

/**
 * Written today: round trips kept to the shown precision (since format 2), one-sided timestamp
 * distances and short escapes (format 3). Formats 1 (whole µs) and 2 are still read.
 */
export const CHUNK_FORMAT = 3;
const CHUNK_FORMAT_ROUNDED = 2;
const CHUNK_FORMAT_EXACT = 1;
export type ChunkFormat = 1 | 2 | 3;
/** A timestamp this far from its predicted slot starts a new grid (ms). */
const REBASE = 1_000;
const MAX_K = 26;

export interface ChunkSample {
  at: number;
  /** Round trip in whole microseconds (kept to rtt-precision.ts' grid); null for a loss. */
  rttUs: number | null;
  code: number | null;
}

/** Columns of decoded samples, in time order. */
export interface ChunkColumns {
  at: number[];
  rttUs: (number | null)[];
  code: (number | null)[];
}

// Exception kinds (2 bits): what differs from the chunk's usual answer.
const LOST = 0;
const LOST_CODED = 1;
const ANSWER_UNCODED = 2;
const ANSWER_CODED = 3;

/** The k that codes these values in the fewest bits, and those bits. */
function bestK(values: readonly number[], escape: Escape): { k: number; bits: number } {
  return bestRiceK(values, MAX_K, escape);
}

/** Bits BitWriter.varint takes for v. */
const varintBits = (v: number): number => 8 * Math.max(1, Math.ceil(Math.log2(v + 1) / 7));

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

function mostCommon(values: readonly (number | null)[]): number | null {
  const counts = new Map<number | null, number>();
  let best: number | null = null;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) {
      bestCount = c;
      best = v;
    }
  }
  return best;
}

/**
 * Packs samples (strictly increasing `at`, all at or after `start`) into one chunk. `start` is
 * the chunk's key and is not stored again. Formats 1 (whole µs) and 2 are written only to compare
 * with and to test that they are still read.
 */
export function encodeChunk(start: number, samples: readonly ChunkSample[], format: ChunkFormat = CHUNK_FORMAT): Uint8Array {
  const n = samples.length;
  if (n === 0) throw new RangeError('a chunk holds at least one sample');
  const escape = format === CHUNK_FORMAT ? SHORT_ESCAPE : LONG_ESCAPE;
  const w = new BitWriter(16 + n * 2);
  const first = samples[0] as ChunkSample;
  if (!(first.at >= start)) throw new RangeError(`sample at ${first.at} lies before its chunk (${start})`);
  const deltas: number[] = [];
  for (let i = 1; i < n; i += 1) {
    const d = (samples[i] as ChunkSample).at - (samples[i - 1] as ChunkSample).at;
    if (!(d > 0)) throw new RangeError(`chunk samples must be in strictly increasing time (at ${(samples[i] as ChunkSample).at})`);
    deltas.push(d);
  }
  const step = median(deltas);
  // Timestamp residuals against the slot grid.
  const dist: number[] = [];
  let slot = first.at;
  for (let i = 1; i < n; i += 1) {
    const at = (samples[i] as ChunkSample).at;
    const r = at - (slot + step);
    dist.push(r);
    slot = Math.abs(r) > REBASE ? at : slot + step;
  }
  let tRes = dist.map(zigzag);
  let t = bestK(tRes, escape);
  // One-sided (format 3): the distances less the least of them, when that costs fewer bits.
  let least: number | null = null;
  if (format === CHUNK_FORMAT && dist.length > 0) {
    let low = Infinity;
    for (const d of dist) if (d < low) low = d;
    const shifted = dist.map((d) => d - low);
    const s = bestK(shifted, escape);
    if (s.bits + varintBits(zigzag(low)) < t.bits) {
      least = low;
      tRes = shifted;
      t = s;
    }
  }
  const usualCode = mostCommon(samples.map((s) => (s.rttUs === null ? -1 : s.code)).filter((c) => c !== -1));
  const exceptions: { gap: number; kind: number; code: number }[] = [];
  let lastException = -1;
  const answered: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const s = samples[i] as ChunkSample;
    if (s.rttUs !== null) {
      if (!Number.isInteger(s.rttUs) || s.rttUs < 0) throw new RangeError(`not a round trip in µs: ${s.rttUs}`);
      answered.push(format === CHUNK_FORMAT_EXACT ? s.rttUs : rttIndex(roundRttUs(s.rttUs)));
    }
    let kind = -1;
    if (s.rttUs === null) kind = s.code === null ? LOST : LOST_CODED;
    else if (s.code !== usualCode) kind = s.code === null ? ANSWER_UNCODED : ANSWER_CODED;
    if (kind < 0) continue;
    exceptions.push({ gap: i - lastException - 1, kind, code: s.code ?? 0 });
    lastException = i;
  }
  const base = median(answered);
  const fromBase = answered.map((v) => zigzag(v - base));
  const fromPrev = answered.map((v, i) => zigzag(v - (i === 0 ? base : (answered[i - 1] as number))));
  const rBase = bestK(fromBase, escape);
  const rPrev = bestK(fromPrev, escape);
  const byPrev = rPrev.bits < rBase.bits;
  const gaps = exceptions.map((e) => e.gap);
  const kT = t.k;
  const kG = bestK(gaps, escape).k;
  const kR = byPrev ? rPrev.k : rBase.k;

  w.varint(format);
  w.varint(n);
  w.varint(first.at - start);
  w.varint(step);
  w.varint(usualCode === null ? 0 : usualCode);
  w.varint(base);
  w.varint(exceptions.length);
  // Format 3: 0 for two-sided timestamp distances, else 1 + the least distance (zig-zag).
  if (format === CHUNK_FORMAT) w.varint(least === null ? 0 : 1 + zigzag(least));
  w.bits(kT, 5);
  w.bits(kG, 5);
  w.bits(kR, 5);
  w.bits(byPrev ? 1 : 0, 1);
  for (const r of tRes) w.rice(r, kT, escape);
  for (const e of exceptions) {
    w.rice(e.gap, kG, escape);
    w.bits(e.kind, 2);
    if (e.kind === LOST_CODED || e.kind === ANSWER_CODED) w.bits(e.code, 10);
  }
  for (const v of byPrev ? fromPrev : fromBase) w.rice(v, kR, escape);
  return w.finish();
}

/** Unpacks a chunk made by encodeChunk; throws on a damaged or foreign blob rather than inventing samples. */
export function decodeChunk(start: number, blob: Uint8Array): ChunkColumns {
  const r = new BitReader(blob);
  const format = r.varint();
  if (format !== CHUNK_FORMAT && format !== CHUNK_FORMAT_ROUNDED && format !== CHUNK_FORMAT_EXACT)
    throw new RangeError(`unknown sample chunk format ${format}`);
  const indexed = format !== CHUNK_FORMAT_EXACT;
  const escape = format === CHUNK_FORMAT ? SHORT_ESCAPE : LONG_ESCAPE;
  const n = r.varint();
  const at0 = start + r.varint();
  const step = r.varint();
  const usualRaw = r.varint();
  const usualCode = usualRaw === 0 ? null : usualRaw;
  const base = r.varint();
  const exceptionCount = r.varint();
  const leastRaw = format === CHUNK_FORMAT ? r.varint() : 0;
  const least = leastRaw === 0 ? null : unzigzag(leastRaw - 1);
  const kT = r.bits(5);
  const kG = r.bits(5);
  const kR = r.bits(5);
  const byPrev = r.bits(1) === 1;
  if (n > 1_000_000 || exceptionCount > n) throw new RangeError('sample chunk header out of range');
  const at = new Array<number>(n);
  at[0] = at0;
  let slot = at0;
  for (let i = 1; i < n; i += 1) {
    const res = least === null ? unzigzag(r.rice(kT, escape)) : r.rice(kT, escape) + least;
    at[i] = slot + step + res;
    slot = Math.abs(res) > REBASE ? (at[i] as number) : slot + step;
  }
  const code = new Array<number | null>(n).fill(usualCode);
  const lost = new Uint8Array(n);
  let index = -1;
  for (let e = 0; e < exceptionCount; e += 1) {
    index += r.rice(kG, escape) + 1;
    const kind = r.bits(2);
    const c = kind === LOST_CODED || kind === ANSWER_CODED ? r.bits(10) : null;
    if (index >= n) throw new RangeError('sample chunk exception past its end');
    code[index] = kind === LOST || kind === ANSWER_UNCODED ? null : c;
    if (kind === LOST || kind === LOST_CODED) lost[index] = 1;
  }
  const rttUs = new Array<number | null>(n);
  let prev = base;
  for (let i = 0; i < n; i += 1) {
    if (lost[i] === 1) {
      rttUs[i] = null;
      continue;
    }
    const v = (byPrev ? prev : base) + unzigzag(r.rice(kR, escape));
    if (v < 0) throw new RangeError('sample chunk round trip out of range');
    rttUs[i] = indexed ? rttOfIndex(v) : v;
    prev = v;
  }
  return { at, rttUs, code };
}

function unzigzag(v: number): number {
  return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
}
