// Collects samples and writes them in small transactions ("slices") of at most `maxBatch` each.
// A slice is written at the next turn of the event loop once that many are waiting, and every
// `flushMs` the rest goes too, slice by slice with a turn between them: at 10,000 servers a
// second is about 6,000 samples, and writing them in one transaction held the loop for tens of
// milliseconds, long enough for probe slots to fire late. Slices also keep the samples young:
// written within a few dozen milliseconds, they die before a scavenge would promote them.
//
// Each slice is one transaction, all or none: a sample counts as written once its slice has
// committed, and a kill after that loses none of it. Slices go in arrival order. A failed write
// keeps its samples (at the head, in order) for the next tick, up to a bound: a full disk costs
// the oldest samples, never the process, and a failing disk is retried once a tick, not once a
// turn. `flush` and `close` write everything at once (still slice by slice), without yielding.
import type { Sample } from '../../domain/monitoring/sample';
import type { Clock, TimerHandle } from './clock';

export interface SampleSink {
  /** Writes all or none, in one transaction. */
  insertBatch(samples: readonly Sample[]): number;
}

export interface SampleWriterOptions {
  sink: SampleSink;
  clock: Clock;
  flushMs?: number;
  /** The most samples one transaction takes; a full slice is written at the next turn. */
  maxBatch?: number;
  /** Samples kept while writes fail; the oldest go first beyond this. */
  maxBuffered?: number;
  onError?(error: unknown): void;
}

/**
 * About 2 to 3 ms of writing at 10,000 servers (samples-repo.ts also seals and packs in proportion
 * to the slice): short enough for a probe slot, long enough that a commit's fixed cost stays small.
 */
export const DEFAULT_SLICE = 300;

export class SampleWriter {
  readonly #o: Required<Omit<SampleWriterOptions, 'onError'>> & Pick<SampleWriterOptions, 'onError'>;
  #buffer: Sample[] = [];
  #timer: TimerHandle | null = null;
  /** The next slice, planned for the next turn of the loop. */
  #sliceTimer: TimerHandle | null = null;
  /** Samples at the head that the last tick asked to be written (they go even when short of a slice). */
  #due = 0;
  /** A write failed: nothing more is tried before the next tick. */
  #failing = false;
  #running = false;
  written = 0;
  dropped = 0;

  constructor(options: SampleWriterOptions) {
    this.#o = { flushMs: 1_000, maxBatch: DEFAULT_SLICE, maxBuffered: 200_000, ...options };
  }

  get pending(): number {
    return this.#buffer.length;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm();
  }

  add(sample: Sample): void {
    this.#buffer.push(sample);
    if (this.#buffer.length > this.#o.maxBuffered) {
      const excess = this.#buffer.length - this.#o.maxBuffered;
      this.#buffer.splice(0, excess);
      this.#due = Math.max(0, this.#due - excess);
      this.dropped += excess;
    }
    if (this.#buffer.length >= this.#o.maxBatch) this.#plan();
  }

  /** Writes everything buffered now, slice by slice; returns how many samples were stored. */
  flush(): number {
    let stored = 0;
    while (this.#buffer.length > 0) {
      const n = this.#writeSlice();
      if (n === 0) break;
      stored += n;
    }
    return stored;
  }

  /** Flushes what is left and stops the timers. */
  close(): void {
    this.#running = false;
    if (this.#timer) this.#o.clock.clearTimer(this.#timer);
    if (this.#sliceTimer) this.#o.clock.clearTimer(this.#sliceTimer);
    this.#timer = null;
    this.#sliceTimer = null;
    this.#failing = false;
    this.flush();
  }

  /** Writes the first slice of the buffer in one transaction; returns how many it stored (0 on failure). */
  #writeSlice(): number {
    const n = Math.min(this.#buffer.length, this.#o.maxBatch);
    if (n === 0) return 0;
    const slice = n === this.#buffer.length ? this.#buffer : this.#buffer.slice(0, n);
    try {
      this.#o.sink.insertBatch(slice);
    } catch (error) {
      this.#failing = true;
      this.#due = 0;
      this.#o.onError?.(error);
      return 0;
    }
    if (slice === this.#buffer) this.#buffer = [];
    else this.#buffer.splice(0, n);
    this.#due = Math.max(0, this.#due - n);
    this.#failing = false;
    this.written += n;
    return n;
  }

  #plan(): void {
    if (this.#sliceTimer !== null || this.#failing) return;
    this.#sliceTimer = this.#o.clock.setTimer(this.#nextSlice, 0);
  }

  readonly #nextSlice = (): void => {
    this.#sliceTimer = null;
    if (this.#writeSlice() === 0) return;
    if (this.#due > 0 || this.#buffer.length >= this.#o.maxBatch) this.#plan();
  };

  #arm(): void {
    if (!this.#running) return;
    this.#timer = this.#o.clock.setTimer(() => {
      this.#timer = null;
      this.#failing = false;
      this.#due = this.#buffer.length;
      // The first slice now; the rest at the next turns.
      if (this.#sliceTimer === null) this.#nextSlice();
      this.#arm();
    }, this.#o.flushMs);
  }
}
