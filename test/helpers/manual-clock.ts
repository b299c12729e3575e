import type { Clock, TimerHandle } from '../../src/services/probes/clock';

/** A clock that only moves when the test says so; timers fire in time order as it advances. */
export class ManualClock implements Clock {
  #now: number;
  #next = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  elapsedMs(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    this.#next += 1;
    this.#timers.set(this.#next, { at: this.#now + Math.max(0, ms), fn });
    return { id: this.#next };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle.id);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward to `to`, firing every timer due on the way at its own time and letting
   * the promise callbacks each one starts run before the next fires, as a real event loop would.
   */
  async advanceTo(to: number): Promise<void> {
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= to && (!first || entry[1].at < first[1].at)) first = entry;
      if (!first) break;
      this.#timers.delete(first[0]);
      this.#now = Math.max(this.#now, first[1].at);
      first[1].fn();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#now = Math.max(this.#now, to);
  }
}
