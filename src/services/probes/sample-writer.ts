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
//
// A sink that can close its minutes in pieces (`closeSome`: the samples repository) stores the
// slices with no close of their own, and the writer rolls the closing minute up a few hundred
// series at a time at turns of their own, after the tick's slices: at 10,000 servers a minute's
// close in one transaction held the loop for a quarter of a second once a minute.
import type { Sample } from '../../domain/monitoring/sample';
import type { Clock, TimerHandle } from './clock';

export interface SampleSink {
  /**
   * Writes all or none, in one transaction. `closeBudget` bounds the rollup close the batch does
   * (series written); 0 leaves it to `closeSome`.
   */
  insertBatch(samples: readonly Sample[], closeBudget?: number): number;
  /** Rolls up part of what waits for its minute's close, in one transaction; true while some is left. */
  closeSome?(budget: number): boolean;
  /** Whether a close waits (from memory, no query): the writer asks after each slice. */
  closePending?(): boolean;
}

export interface SampleWriterOptions {
  sink: SampleSink;
  clock: Clock;
  flushMs?: number;
  /** The most samples one transaction takes; a full slice is written at the next turn. */
  maxBatch?: number;
  /** Samples kept while writes fail; the oldest go first beyond this. */
  maxBuffered?: number;
  /** Series one close step rolls up (a sink with `closeSome`). */
  closeSlice?: number;
  onError?(error: unknown): void;
}

/**
 * About 2 to 3 ms of writing at 10,000 servers (samples-repo.ts also seals and packs in proportion
 * to the slice): short enough for a probe slot, long enough that a commit's fixed cost stays small.
 */
export const DEFAULT_SLICE = 300;

/**
 * Series a close step rolls up: two upserts each (minute and hour), about 2 ms at 250 on this
 * fleet's hardware; 30,000 series (10,000 servers, three kinds) close in about 120 steps.
 */
export const DEFAULT_CLOSE_SLICE = 250;

/** While slices wait, a close due takes one turn in this many. */
const CLOSE_EVERY = 4;

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
  /** A minute's close may be waiting for close steps (the sink has `closeSome`). */
  #closeDue = false;
  /** Slices written since the last close step (CLOSE_EVERY). */
  #slicesSinceClose = 0;
  #running = false;
  written = 0;
  dropped = 0;

  constructor(options: SampleWriterOptions) {
    this.#o = { flushMs: 1_000, maxBatch: DEFAULT_SLICE, maxBuffered: 200_000, closeSlice: DEFAULT_CLOSE_SLICE, ...options };
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
    // And the close, whole: what flush promised before closes went in steps.
    if (this.#closeDue && !this.#failing) this.#closeStep(Number.POSITIVE_INFINITY);
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
      if (this.#o.sink.closeSome) {
        this.#o.sink.insertBatch(slice, 0);
        this.#closeDue = this.#o.sink.closePending?.() ?? true;
      } else this.#o.sink.insertBatch(slice);
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

  /** One step of the close in progress; false when it failed (retried at the next tick). */
  #closeStep(budget: number): boolean {
    try {
      this.#closeDue = this.#o.sink.closeSome?.(budget) ?? false;
      return true;
    } catch (error) {
      this.#failing = true;
      this.#o.onError?.(error);
      return false;
    }
  }

  readonly #nextSlice = (): void => {
    this.#sliceTimer = null;
    // Samples first, but a close due takes one turn in CLOSE_EVERY while slices wait: a writer that
    // stays behind (a fleet beyond what the disk keeps up with) must not put the close off for ever.
    const waiting = this.#due > 0 || this.#buffer.length >= this.#o.maxBatch;
    const close = this.#closeDue && (!waiting || this.#slicesSinceClose >= CLOSE_EVERY - 1);
    this.#slicesSinceClose = close ? 0 : this.#slicesSinceClose + 1;
    if (close ? !this.#closeStep(this.#o.closeSlice) : this.#writeSlice() === 0) return;
    if (this.#due > 0 || this.#buffer.length >= this.#o.maxBatch || this.#closeDue) this.#plan();
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
