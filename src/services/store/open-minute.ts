// One open minute's rollups, one slot per series, held in typed arrays rather than a Rollup object
// (and an 82-number histogram array) per series. At 10,000 servers a minute is 30,000 series:
// as objects they were about 20 MB a minute that lived past the minute's close, every byte of it
// promoted to the old generation and collected there. Here a minute is a few flat arrays, handed
// back when the minute closes and reused by a later one, so the open minutes cost the collector
// next to nothing (about 7 MB a minute at 30,000 series, most of it the 16-bit histograms). The
// close writes a minute's rows straight from here (forEachRow); a Rollup is made only on the rare
// path that needs one (several minutes closing at once, or the closing flush's own rows).
import { HISTOGRAM_SIZE, bucketOf } from '../../domain/monitoring/histogram';
import { emptyRollup, type Rollup } from '../../domain/monitoring/rollup';
import { isFlaggedCode } from '../../domain/monitoring/sample';

const INITIAL_SLOTS = 256;

/** A rollup without its histogram: what forEachRow hands out (one object, refilled for each row). */
export type RollupFields = Omit<Rollup, 'hist'>;

export class OpenMinute {
  readonly #slotOf = new Map<number, number>();
  #series = new Float64Array(INITIAL_SLOTS);
  #counts = new Uint32Array(INITIAL_SLOTS * 3);
  /** min, max, sum, sum of squares per slot; min and max are NaN while none answered. */
  #stats = new Float64Array(INITIAL_SLOTS * 4);
  /** Counts per bucket: a series has at most 60,000 rows a minute (one per ms), so 16 bits hold them. */
  #hist = new Uint16Array(INITIAL_SLOTS * HISTOGRAM_SIZE);
  #size = 0;
  /** Slots sorted by series, for as many slots as it holds (forEachRowAfter). */
  #order = new Uint32Array(0);

  /** Series with at least one row in this minute. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds one stored row as reading it back would: the stored µs in ms (NaN for a loss), the stored
   * code (NaN for none). The same arithmetic, in the same order, as addSample on a Rollup.
   */
  add(series: number, rttUs: number, code: number): void {
    let slot = this.#slotOf.get(series);
    if (slot === undefined) slot = this.#newSlot(series);
    const c = slot * 3;
    this.#counts[c] = (this.#counts[c] as number) + 1;
    if (Number.isNaN(rttUs)) {
      this.#counts[c + 1] = (this.#counts[c + 1] as number) + 1;
      return;
    }
    const rttMs = rttUs / 1000;
    if (!Number.isFinite(rttMs) || rttMs < 0) {
      this.#counts[c + 1] = (this.#counts[c + 1] as number) + 1;
      return;
    }
    if (!Number.isNaN(code) && isFlaggedCode(code)) this.#counts[c + 2] = (this.#counts[c + 2] as number) + 1;
    const s = slot * 4;
    const min = this.#stats[s] as number;
    const max = this.#stats[s + 1] as number;
    this.#stats[s] = Number.isNaN(min) ? rttMs : Math.min(min, rttMs);
    this.#stats[s + 1] = Number.isNaN(max) ? rttMs : Math.max(max, rttMs);
    this.#stats[s + 2] = (this.#stats[s + 2] as number) + rttMs;
    this.#stats[s + 3] = (this.#stats[s + 3] as number) + rttMs * rttMs;
    const h = slot * HISTOGRAM_SIZE + bucketOf(rttMs);
    this.#hist[h] = (this.#hist[h] as number) + 1;
  }

  /** A slot's counts and round-trip figures, copied into `r`. */
  #read<R extends RollupFields>(slot: number, r: R): R {
    const c = slot * 3;
    const s = slot * 4;
    r.count = this.#counts[c] as number;
    r.lost = this.#counts[c + 1] as number;
    r.flagged = this.#counts[c + 2] as number;
    const min = this.#stats[s] as number;
    const max = this.#stats[s + 1] as number;
    r.minMs = Number.isNaN(min) ? null : min;
    r.maxMs = Number.isNaN(max) ? null : max;
    r.sumMs = this.#stats[s + 2] as number;
    r.sumSqMs = this.#stats[s + 3] as number;
    return r;
  }

  /** Each series' rollup as a new Rollup (the caller may change it). */
  rollups(): Map<number, Rollup> {
    const out = new Map<number, Rollup>();
    for (let slot = 0; slot < this.#size; slot += 1) {
      const r = this.#read(slot, emptyRollup());
      const h = slot * HISTOGRAM_SIZE;
      for (let i = 0; i < HISTOGRAM_SIZE; i += 1) r.hist[i] = this.#hist[h + i] as number;
      out.set(this.#series[slot] as number, r);
    }
    return out;
  }

  /**
   * Each series' rollup as the row a rollup table stores, in series order (consecutive upserts
   * walk the B-tree forwards), with the histogram already in its stored form (encodeHistogram's):
   * what the close writes, with no Rollup made on the way.
   */
  forEachRow(row: (series: number, r: RollupFields, hist: Buffer) => void): void {
    this.forEachRowAfter(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, row);
  }

  /**
   * forEachRow for at most `limit` series with ids above `after`, the lowest first: one slice of
   * a close written in slices. Returns the last series handed out, or null when none is above
   * `after`. The order is sorted once and kept until a series is added.
   */
  forEachRowAfter(after: number, limit: number, row: (series: number, r: RollupFields, hist: Buffer) => void): number | null {
    const order = this.#sorted();
    const series = this.#series;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((series[order[mid] as number] as number) <= after) lo = mid + 1;
      else hi = mid;
    }
    const r: RollupFields = { count: 0, lost: 0, flagged: 0, minMs: null, maxMs: null, sumMs: 0, sumSqMs: 0 };
    let last: number | null = null;
    for (let i = lo; i < order.length && i - lo < limit; i += 1) {
      const slot = order[i] as number;
      this.#read(slot, r);
      last = series[slot] as number;
      row(last, r, this.#encodeHist(slot));
    }
    return last;
  }

  /** Slots in series order; sorted again only when series were added since. */
  #sorted(): Uint32Array {
    if (this.#order.length === this.#size) return this.#order;
    const order = new Uint32Array(this.#size);
    for (let slot = 0; slot < this.#size; slot += 1) order[slot] = slot;
    const series = this.#series;
    order.sort((a, b) => (series[a] as number) - (series[b] as number));
    this.#order = order;
    return order;
  }

  /** The slot's histogram as encodeHistogram writes one: (bucket byte, count as u32 LE) per bucket used. */
  #encodeHist(slot: number): Buffer {
    const h = slot * HISTOGRAM_SIZE;
    let used = 0;
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) if ((this.#hist[h + i] as number) > 0) used += 1;
    const out = Buffer.allocUnsafe(used * 5);
    let at = 0;
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) {
      const c = this.#hist[h + i] as number;
      if (c === 0) continue;
      out[at] = i;
      out.writeUInt32LE(c, at + 1);
      at += 5;
    }
    return out;
  }

  /** Empties the minute for reuse; the arrays keep their size. */
  clear(): void {
    this.#counts.fill(0, 0, this.#size * 3);
    this.#stats.fill(0, 0, this.#size * 4);
    this.#hist.fill(0, 0, this.#size * HISTOGRAM_SIZE);
    this.#slotOf.clear();
    this.#size = 0;
    this.#order = new Uint32Array(0);
  }

  #newSlot(series: number): number {
    if (this.#size === this.#series.length) this.#grow();
    const slot = this.#size;
    this.#size += 1;
    this.#slotOf.set(series, slot);
    this.#series[slot] = series;
    this.#stats[slot * 4] = Number.NaN;
    this.#stats[slot * 4 + 1] = Number.NaN;
    return slot;
  }

  #grow(): void {
    const grown = <T extends Float64Array | Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.#series = grown(this.#series, (n) => new Float64Array(n));
    this.#counts = grown(this.#counts, (n) => new Uint32Array(n));
    this.#stats = grown(this.#stats, (n) => new Float64Array(n));
    this.#hist = grown(this.#hist, (n) => new Uint16Array(n));
  }
}
