// Collects samples and writes them in one transaction per flush (every second by default, or
// sooner when a batch fills). A failed write keeps the samples for the next flush, up to a bound:
// a full disk costs the oldest samples, never the process.
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
  maxBatch?: number;
  /** Samples kept while writes fail; the oldest go first beyond this. */
  maxBuffered?: number;
  onError?(error: unknown): void;
}

export class SampleWriter {
  readonly #o: Required<Omit<SampleWriterOptions, 'onError'>> & Pick<SampleWriterOptions, 'onError'>;
  #buffer: Sample[] = [];
  #timer: TimerHandle | null = null;
  #running = false;
  written = 0;
  dropped = 0;

  constructor(options: SampleWriterOptions) {
    this.#o = { flushMs: 1_000, maxBatch: 5_000, maxBuffered: 200_000, ...options };
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
      this.dropped += excess;
    }
    if (this.#buffer.length >= this.#o.maxBatch) this.flush();
  }

  /** Writes everything buffered now; returns how many samples were stored. */
  flush(): number {
    if (this.#buffer.length === 0) return 0;
    const batch = this.#buffer;
    this.#buffer = [];
    try {
      this.#o.sink.insertBatch(batch);
      this.written += batch.length;
      return batch.length;
    } catch (error) {
      this.#buffer = batch.concat(this.#buffer);
      this.#o.onError?.(error);
      return 0;
    }
  }

  /** Flushes what is left and stops the timer. */
  close(): void {
    this.#running = false;
    if (this.#timer) this.#o.clock.clearTimer(this.#timer);
    this.#timer = null;
    this.flush();
  }

  #arm(): void {
    if (!this.#running) return;
    this.#timer = this.#o.clock.setTimer(() => {
      this.#timer = null;
      this.flush();
      this.#arm();
    }, this.#o.flushMs);
  }
}
